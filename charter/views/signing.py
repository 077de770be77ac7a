"""Signing and declining the Patto, by each organisation's confirmed legal representative, and
the list of what the logged-in person still has to sign.

Only the confirmed legal representative reaches the forms: anyone else who may see the pact
gets a 403 page that says why (staff included: they never sign for an organisation). Signing
needs a fresh re-authentication: without one the page sends the person to allauth's
re-authentication page (password, or the authenticator code) and back. When
`charter.sign_signatory` says no to the legal representative (the organisation has answered,
or the pact no longer takes answers), the page shows the answer or the reason instead of the
form, so a second POST never signs twice.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partners.models import Membership
from welfare_portal.network import client_ip
from welfare_portal.pagination import paginate

from .. import services
from ..forms.signing import DeclineForm, SignForm
from ..models import Decline, DocumentKind, Signatory, Signature
from ..reauthentication import recent_reauthentication
from ..rules import is_confirmed_legal_representative
from ..services.base import text_being_prepared_message
from ..services.signing import consent_statement, reauthentication_max_age
from .pacts import get_visible_signatory, posted

USER_AGENT_MAX_LENGTH = 500


@login_required
@require_GET
def pacts_to_sign(request):
    """The open pacts the person can still sign or decline, as a confirmed legal representative."""
    signatories = Signatory.objects.awaiting(request.user).order_by("pact__deadline", "organisation_name", "pk")
    return render(request, "charter/pacts/pacts_to_sign.html", {"page": paginate(request, signatories)})


def is_fresh(reauthenticated_at):
    if reauthenticated_at is None:
        return False
    age = timezone.now() - reauthenticated_at
    return age <= datetime.timedelta(seconds=reauthentication_max_age())


def reauthenticate_redirect(request, signatory):
    """To allauth's re-authentication page, which offers the authenticator code to those who
    have one, and back to the signing page."""
    messages.info(request, _(
        "To sign for %(organisation)s, confirm it is you: enter your password (or your authenticator "
        "code) again. Then you have %(minutes)d minutes to sign."
    ) % {"organisation": signatory.organisation.name, "minutes": max(1, reauthentication_max_age() // 60)})
    next_url = reverse("charter:signatory-sign", args=[signatory.pk])
    return redirect(f"{reverse('account_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


def refused(request, signatory):
    """The 403 page: why this person cannot answer for the organisation, and what to do."""
    membership = Membership.objects.filter(user=request.user, organisation=signatory.organisation).first()
    if membership is not None and membership.status == Membership.Status.ACCEPTED:
        reason = "unconfirmed" if membership.role == Membership.Role.LEGAL_REPRESENTATIVE else "member"
    else:
        reason = "staff" if request.user.is_staff else "other"
    return render(request, "charter/pacts/sign_refused.html", {
        "signatory": signatory, "pact": signatory.pact, "reason": reason,
    }, status=403)


def answer_of(signatory):
    """The organisation's signature or decline of the pact, or (None, None)."""
    signature = Signature.objects.filter(pact=signatory.pact_id, organisation=signatory.organisation_id).first()
    if signature is not None:
        return signature, None
    return None, Decline.objects.filter(pact=signatory.pact_id, organisation=signatory.organisation_id).first()


def closed_reason(pact):
    """Why the pact takes no answers now, or no signature yet (asked once
    `charter.sign_signatory` said no and the organisation has not answered), or None while it does."""
    if not pact.is_open:
        return _("The pact is “%(status)s”: it cannot be signed or declined now.") % {
            "status": pact.get_status_display(),
        }
    if pact.deadline_passed():
        return _("The deadline for answering was %(date)s: the pact can no longer be signed or declined.") % {
            "date": date_format(pact.deadline, "DATE_FORMAT"),
        }
    if not pact.documents.filter(kind=DocumentKind.PACT_DRAFT).exists():
        return text_being_prepared_message()
    return None


def answered_page(request, signatory, signature, decline, reason):
    return render(request, "charter/pacts/sign_answered.html", {
        "signatory": signatory, "pact": signatory.pact, "signature": signature, "decline": decline,
        "reason": reason, "draft_document": signatory.pact.documents.filter(kind=DocumentKind.PACT_DRAFT).first(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def signatory_sign(request, pk):
    signatory = get_visible_signatory(request, pk)
    pact, organisation = signatory.pact, signatory.organisation
    if not is_confirmed_legal_representative(request.user, organisation):
        return refused(request, signatory)
    if not request.user.has_perm("charter.sign_signatory", signatory):
        signature, decline = answer_of(signatory)
        if request.method == "POST":  # a second submission: show the answer, never sign again
            if signature is not None:
                messages.info(request, _("%(organisation)s has already signed this pact.") % {
                    "organisation": organisation.name,
                })
            return redirect("charter:signatory-sign", pk=signatory.pk)
        reason = None if signature or decline else closed_reason(pact)
        return answered_page(request, signatory, signature, decline, reason)
    reauthenticated_at = recent_reauthentication(request)
    if not is_fresh(reauthenticated_at):
        return reauthenticate_redirect(request, signatory)
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    form = SignForm(
        posted(request), consent_text=consent_statement(pact, organisation, document),
        account_name=request.user.full_name, document_sha256=document.sha256,
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.sign_pact(
                pact, by=request.user, organisation=organisation, full_name=form.cleaned_data["full_name"],
                consent=form.cleaned_data["consent"], ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
                reauthenticated_at=reauthenticated_at, document_sha256=form.cleaned_data["document_sha256"],
            )
        except services.CharterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Signed on %(date)s for %(organisation)s. A receipt has been sent to you.") % {
                "date": date_format(timezone.localtime(signature.signed_at), "DATETIME_FORMAT"),
                "organisation": organisation.name,
            })
            return redirect("charter:signatory-sign", pk=signatory.pk)
    return render(request, "charter/pacts/sign.html", {
        "signatory": signatory, "pact": pact, "form": form, "document": document,
        "commitments": signatory.commitments(),
        "reauthenticated_at": reauthenticated_at,
    })


@login_required
@require_http_methods(["GET", "POST"])
def signatory_decline(request, pk):
    """The reason, and a warning that the answer is final; the POST declines."""
    signatory = get_visible_signatory(request, pk)
    pact, organisation = signatory.pact, signatory.organisation
    if not is_confirmed_legal_representative(request.user, organisation):
        return refused(request, signatory)
    if not request.user.has_perm("charter.decline_signatory", signatory):
        return redirect("charter:signatory-sign", pk=signatory.pk)
    form = DeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_pact(pact, by=request.user, organisation=organisation, reason=form.cleaned_data["reason"])
        except services.CharterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _(
                "%(organisation)s has declined the pact. The steering group has been told and will read your reason."
            ) % {"organisation": organisation.name})
            return redirect("charter:signatory-sign", pk=signatory.pk)
    return render(request, "charter/pacts/decline.html", {"signatory": signatory, "pact": pact, "form": form})
