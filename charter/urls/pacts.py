"""Pages of the Patto: public page, the steering group's management, signing."""

from django.urls import path

from ..views import pacts, signatories, signing

urlpatterns = [
    path("patto/<int:pk>/", pacts.pact_detail, name="pact-detail"),
    path("patto/da-firmare/", signing.pacts_to_sign, name="pacts-to-sign"),
    path("patto/firmatari/<int:pk>/firma/", signing.signatory_sign, name="signatory-sign"),
    path("patto/firmatari/<int:pk>/rifiuta/", signing.signatory_decline, name="signatory-decline"),
    path("regia/carta/versioni/<int:pk>/patto/nuovo/", pacts.pact_create, name="pact-create"),
    path("regia/patto/<int:pk>/", pacts.pact_progress, name="pact-progress"),
    path("regia/patto/<int:pk>/modifica/", pacts.pact_update, name="pact-update"),
    path("regia/patto/<int:pk>/apri/", pacts.pact_open, name="pact-open"),
    path("regia/patto/<int:pk>/sollecita/", pacts.pact_remind, name="pact-remind"),
    path("regia/patto/<int:pk>/chiudi/", pacts.pact_close, name="pact-close"),
    path("regia/patto/<int:pk>/firmatari/nuovo/", signatories.signatory_add, name="signatory-add"),
    path("regia/patto/firmatari/<int:pk>/modifica/", signatories.signatory_update, name="signatory-update"),
    path("regia/patto/firmatari/<int:pk>/rimuovi/", signatories.signatory_remove, name="signatory-remove"),
]
