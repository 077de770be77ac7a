"""URLs of the charter app (namespace `charter`), one module per area: versions (the Carta, its
versions and documents) and pacts (the Patto, signatories, signing). The names, already used by charter/emails (links appear in emails as soon as these
exist; until then `emails.base.link` leaves them out). Italian paths, as the other apps have:

    charter:charter-detail         carta/                                   (the published Carta, public)
    charter:version-list           carta/versioni/                          (public ones; drafts for the regia)
    charter:version-detail         carta/versioni/<int:pk>/
    charter:version-diff           carta/versioni/<int:pk>/confronto/<int:other_pk>/
    charter:version-create         regia/carta/versioni/nuova/              (POST: services.open_draft)
    charter:version-update         regia/carta/versioni/<int:pk>/modifica/  (services.update_draft)
    charter:version-projects       regia/carta/versioni/<int:pk>/progetti/  (add/remove/reorder_proposals)
    charter:version-discard        regia/carta/versioni/<int:pk>/elimina/   (POST)
    charter:version-approve        regia/carta/versioni/<int:pk>/approva/   (POST)
    charter:version-publish        regia/carta/versioni/<int:pk>/pubblica/  (POST)
    charter:pact-detail            patto/<int:pk>/                          (public once open; emails)
    charter:pact-create            regia/carta/versioni/<int:pk>/patto/nuovo/
    charter:pact-update            regia/patto/<int:pk>/modifica/
    charter:pact-progress          regia/patto/<int:pk>/                    (signatories, answers; emails)
    charter:pact-open              regia/patto/<int:pk>/apri/               (POST)
    charter:pact-remind            regia/patto/<int:pk>/sollecita/          (POST)
    charter:pact-close             regia/patto/<int:pk>/chiudi/             (POST)
    charter:signatory-add          regia/patto/<int:pk>/firmatari/nuovo/
    charter:signatory-update       regia/patto/firmatari/<int:pk>/modifica/
    charter:signatory-remove       regia/patto/firmatari/<int:pk>/rimuovi/  (POST)
    charter:signatory-sign         patto/firmatari/<int:pk>/firma/          (emails; services.sign_pact)
    charter:signatory-decline      patto/firmatari/<int:pk>/rifiuta/        (services.decline_pact)
    charter:document-download      documenti/<int:pk>/                      (checks charter.view_document)
    charter:verification-start     verifica/                                (public: enter a document's code)
    charter:verification-detail    verifica/<str:code>/                     (public: details, compare an upload)
    charter:document-job-list      gestione/documenti/                      (staff: PDFs being prepared, failures)
    charter:document-job-retry     gestione/documenti/<int:pk>/riprova/     (staff: confirm, POST queues again)
"""

from django.urls import include, path

app_name = "charter"

urlpatterns = [
    path("", include("charter.urls.versions")),
    path("", include("charter.urls.pacts")),
    path("", include("charter.urls.qualified")),
    path("", include("charter.urls.verification")),
    path("", include("charter.urls.transparency")),
    path("", include("charter.urls.documents")),
]
