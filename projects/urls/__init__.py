"""URLs of the projects app (namespace `projects`), one module per area: themes (themes,
timeline, focus groups, meetings), proposals (the partners' side), review (the steering group's).

Planned names, already used by projects/emails (links appear in emails as soon as these
exist; until then `emails.base.link` leaves them out). Italian paths, as partners has them:

    projects:theme-list              tematiche/
    projects:theme-detail            tematiche/<int:pk>/
    projects:focusgroup-detail       focus-group/<int:pk>/                  (emails)
    projects:meeting-detail          focus-group/incontri/<int:pk>/
    projects:timeline                cronoprogramma/
    projects:proposal-list           proposte/                              (my organisations')
    projects:proposal-create         proposte/nuova/
    projects:proposal-detail         proposte/<int:pk>/                     (emails)
    projects:proposal-update         proposte/<int:pk>/modifica/
    projects:proposal-submit         proposte/<int:pk>/invia/               (POST)
    projects:proposal-withdraw       proposte/<int:pk>/ritira/              (POST)
    projects:proposal-partner-invite proposte/<int:pk>/partner/invita/
    projects:proposal-partner-answer proposte/partner/<int:pk>/risposta/    (POST)
    projects:commitment-create       proposte/<int:pk>/impegni/nuovo/
    projects:attachment-download     proposte/allegati/<int:pk>/            (checks projects.view_attachment)
    projects:review-queue            regia/proposte/                        (emails)
    projects:proposal-evaluate       regia/proposte/<int:pk>/valuta/
    projects:proposal-decide         regia/proposte/<int:pk>/decisione/
"""

from django.urls import include, path

app_name = "projects"

urlpatterns = [
    path("", include("projects.urls.themes")),
    path("", include("projects.urls.proposals")),
    path("", include("projects.urls.review")),
]
