"""Pages of the Carta: public versions, the steering group's drafts, documents."""

from django.urls import path

from ..views import documents, drafts, versions

urlpatterns = [
    path("carta/", versions.charter_detail, name="charter-detail"),
    path("carta/progetti/<int:proposal_id>/", versions.charter_project, name="charter-project"),
    path("carta/partner/", versions.charter_partners, name="charter-partners"),
    path("carta/versioni/", versions.version_list, name="version-list"),
    path("carta/versioni/confronta/", versions.version_compare, name="version-compare"),
    path("carta/versioni/<int:pk>/", versions.version_detail, name="version-detail"),
    path("carta/versioni/<int:pk>/progetti/<int:proposal_id>/", versions.version_project, name="version-project"),
    path("carta/versioni/<int:pk>/partner/", versions.version_partners, name="version-partners"),
    path("carta/versioni/<int:pk>/confronto/<int:other_pk>/", versions.version_diff, name="version-diff"),
    path("regia/carta/versioni/nuova/", drafts.version_create, name="version-create"),
    path("regia/carta/versioni/<int:pk>/modifica/", drafts.version_update, name="version-update"),
    path("regia/carta/versioni/<int:pk>/progetti/", drafts.version_projects, name="version-projects"),
    path("regia/carta/versioni/<int:pk>/progetti/aggiungi/", drafts.version_project_add, name="version-project-add"),
    path("regia/carta/versioni/<int:pk>/progetti/rimuovi/", drafts.version_project_remove,
         name="version-project-remove"),
    path("regia/carta/versioni/<int:pk>/progetti/sposta/", drafts.version_project_move, name="version-project-move"),
    path("regia/carta/versioni/<int:pk>/tematiche/sposta/", drafts.version_theme_move, name="version-theme-move"),
    path("regia/carta/versioni/<int:pk>/elimina/", drafts.version_discard, name="version-discard"),
    path("regia/carta/versioni/<int:pk>/approva/", drafts.version_approve, name="version-approve"),
    path("regia/carta/versioni/<int:pk>/pubblica/", drafts.version_publish, name="version-publish"),
    path("documenti/<int:pk>/", documents.document_download, name="document-download"),
]
