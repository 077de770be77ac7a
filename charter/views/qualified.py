"""Signing the Patto with a qualified digital signature (PAdES): the legal representative
downloads the text for signing, signs it with their own software and uploads it here.

The same gate as signing on the portal (charter.views.signing): only the organisation's
confirmed legal representative, a fresh re-authentication, while the pact takes answers; once
the organisation has answered, the signing page shows the answer. The signed file stays in
private storage; the steering group and staff download it through a permission-checked view.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from welfare_portal.network import client_ip

from .. import services
from ..forms.qualified import QualifiedSignatureForm
from welfare_portal.uploads import accepts_uploads

from ..models import DocumentKind, QualifiedSignatureEvidence
from ..qualified import max_bytes
from ..reauthentication import recent_reauthentication
from ..rules import is_confirmed_legal_representative
from ..services.signing import reauthentication_max_age
from .pacts import get_visible_signatory, posted
from .signing import USER_AGENT_MAX_LENGTH, is_fresh, refused


def reauthenticate_redirect(request, signatory):
    messages.info(request, _(
        "To sign for %(organisation)s, confirm it is you: enter your password (or your authenticator "
        "code) again. Then you have %(minutes)d minutes to upload the signed file."
    ) % {"organisation": signatory.organisation.name, "minutes": max(1, reauthentication_max_age() // 60)})
    next_url = reverse("charter:signatory-sign-qualified", args=[signatory.pk])
    return redirect(f"{reverse('account_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


@accepts_uploads(max_bytes)
@login_required
@require_http_methods(["GET", "POST"])
def signatory_sign_qualified(request, pk):
    signatory = get_visible_signatory(request, pk)
    pact, organisation = signatory.pact, signatory.organisation
    if not is_confirmed_legal_representative(request.user, organisation):
        return refused(request, signatory)
    if not request.user.has_perm("charter.sign_signatory", signatory):
        return redirect("charter:signatory-sign", pk=signatory.pk)
    reauthenticated_at = recent_reauthentication(request)
    if not is_fresh(reauthenticated_at):
        return reauthenticate_redirect(request, signatory)
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    form = QualifiedSignatureForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["signed_file"]
        try:
            signature = services.sign_pact_qualified(
                pact, by=request.user, organisation=organisation, signed_file=upload.read(),
                ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
                reauthenticated_at=reauthenticated_at,
            )
        except services.CharterError as error:
            form.add_error("signed_file", error.message)
        else:
            messages.success(request, _(
                "Your qualified digital signature has been checked and recorded on %(date)s for %(organisation)s. "
                "A receipt has been sent to you."
            ) % {
                "date": date_format(timezone.localtime(signature.signed_at), "DATETIME_FORMAT"),
                "organisation": organisation.name,
            })
            return redirect("charter:signatory-sign", pk=signatory.pk)
    return render(request, "charter/qualified/sign.html", {
        "signatory": signatory, "pact": pact, "form": form, "document": document,
        "reauthenticated_at": reauthenticated_at,
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def signed_file_download(request, pk):
    """The PAdES file as uploaded, for the steering group and staff."""
    signatory = get_visible_signatory(request, pk)
    if not request.user.has_perm("charter.view_pact_progress", signatory.pact):
        raise PermissionDenied
    evidence = get_object_or_404(
        QualifiedSignatureEvidence,
        signature__pact=signatory.pact_id, signature__organisation=signatory.organisation_id,
    )
    try:
        file = evidence.signed_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, content_type="application/pdf",
        filename=f"patto-{signatory.pact_id}-firmato-{signatory.organisation_id}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
