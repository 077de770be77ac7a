"""Pages of the projects app: proposals on the partners' side (writing, co-partners,
commitments, attachments, submitting and withdrawing)."""

from django.urls import path

from ..views import attachments, partnership
from ..views import proposals as views

urlpatterns = [
    path("proposte/", views.proposal_list, name="proposal-list"),
    path("proposte/nuova/", views.proposal_create, name="proposal-create"),
    path("proposte/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposte/<int:pk>/modifica/", views.proposal_update, name="proposal-update"),
    path("proposte/<int:pk>/invia/", views.proposal_submit, name="proposal-submit"),
    path("proposte/<int:pk>/ritira/", views.proposal_withdraw, name="proposal-withdraw"),
    path("proposte/<int:pk>/partner/invita/", partnership.partner_invite, name="proposal-partner-invite"),
    path("proposte/partner/<int:pk>/risposta/", partnership.partner_answer, name="proposal-partner-answer"),
    path("proposte/partner/<int:pk>/rifiuta/", partnership.partner_decline, name="proposal-partner-decline"),
    path("proposte/<int:pk>/impegni/nuovo/", partnership.commitment_create, name="commitment-create"),
    path("proposte/impegni/<int:pk>/modifica/", partnership.commitment_update, name="commitment-update"),
    path("proposte/impegni/<int:pk>/elimina/", partnership.commitment_delete, name="commitment-delete"),
    path("proposte/<int:pk>/allegati/nuovo/", attachments.attachment_upload, name="attachment-upload"),
    path("proposte/allegati/<int:pk>/", attachments.attachment_download, name="attachment-download"),
    path("proposte/allegati/<int:pk>/elimina/", attachments.attachment_delete, name="attachment-delete"),
]
