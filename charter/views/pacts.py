"""The Patto di solidarietà: its public page, and the steering group's pages that prepare it
(text and deadline; its signatories in charter.views.signatories), open it for signing, follow
the answers, remind and close it.

Visibility follows `charter.view_pact`: a draft is the steering group's and staff's, so anyone
else gets 404 for it. Acting follows the action's permission: 403 for whoever has no role in
it; when the role allows it but the pact's state does not, a message says why and nothing
changes. The services check the state again under a lock, and their refusal is shown the same
way.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from partners.models import Membership
from welfare_portal.pagination import paginate

from .. import services
from ..filters.pacts import SignatoryFilter
from ..forms.pacts import PactForm, PactNoteForm
from ..models import CharterVersion, Decline, DocumentKind, Pact, Signatory, Signature
from ..resources import resources_summary, totals_by_organisation
from ..rules import coordinator_or_staff, steering_or_staff

SIGNATORIES_PER_PAGE = 25


# Shared by the views of this module


def get_visible_pact(request, pk):
    pact = get_object_or_404(Pact.objects.select_related("version__charter"), pk=pk)
    if not request.user.has_perm("charter.view_pact", pact):
        raise Http404
    return pact


def refuse_unless_allowed(request, pact, perm, role, obj=None):
    """None when the user may act (`perm` on `obj`, the pact by default). When the user's role
    allows it but the pact's state does not, a message and back to the progress page; 403 for
    everyone else."""
    if request.user.has_perm(perm, obj if obj is not None else pact):
        return None
    if role.test(request.user, pact):
        messages.error(request, state_refusal(pact))
        return redirect("charter:pact-progress", pk=pact.pk)
    raise PermissionDenied


def state_refusal(pact):
    params = {"status": pact.get_status_display()}
    if pact.status == Pact.Status.DRAFT:
        return _("The pact is “%(status)s”: this can be done once it is open for signing.") % params
    if pact.status == Pact.Status.OPEN:
        return _(
            "The pact is “%(status)s”: its text and signatories no longer change, and it can be closed "
            "once every signatory has answered or the deadline has passed."
        ) % params
    return _("The pact is “%(status)s”: nothing can change it any more.") % params


def posted(request):
    return request.POST if request.method == "POST" else None


def documents_of(pact):
    """{kind: document} of the pact's stored PDFs, in one query."""
    return {document.kind: document for document in pact.documents.all()}


def _confirmed_representatives():
    return Membership.objects.confirmed_legal_representatives()


def _has_representative():
    return Exists(_confirmed_representatives().filter(organisation=OuterRef("organisation_id")))


def signatory_rows(pact, *, with_representatives=False):
    """The pact's signatories with their answer (`has_signed`, `signed_at`, `signed_by`,
    `has_declined`, `declined_at`, `decline_reason`) and whether the organisation has a
    confirmed legal representative, in one query (two with the representatives' names)."""
    signature = Signature.objects.filter(pact=OuterRef("pact_id"), organisation=OuterRef("organisation_id"))
    decline = Decline.objects.filter(pact=OuterRef("pact_id"), organisation=OuterRef("organisation_id"))
    rows = (
        pact.signatories.with_answers()
        .annotate(
            has_representative=_has_representative(),
            signed_at=Subquery(signature.values("signed_at")[:1]),
            signed_by=Subquery(signature.values("full_name")[:1]),
            qualified_trust=Subquery(signature.values("qualified_evidence__trust")[:1]),
            qualified_issuer=Subquery(signature.values("qualified_evidence__certificate_issuer")[:1]),
            qualified_serial=Subquery(signature.values("qualified_evidence__certificate_serial_number")[:1]),
            declined_at=Subquery(decline.values("declined_at")[:1]),
            decline_reason=Subquery(decline.values("reason")[:1]),
        )
        .select_related("organisation")
        .order_by("organisation_name", "pk")
    )
    if with_representatives:
        representatives = _confirmed_representatives().select_related("user").order_by("user__full_name", "pk")
        rows = rows.prefetch_related(
            Prefetch("organisation__memberships", queryset=representatives, to_attr="representatives")
        )
    return rows


def answer_counts(pact):
    """How many signatories there are, have signed, declined, not answered, and lack a
    confirmed legal representative (among those still to answer), in one query."""
    rows = list(
        pact.signatories.with_answers()
        .annotate(has_representative=_has_representative())
        .values_list("has_signed", "has_declined", "has_representative")
    )
    awaiting = [has_representative for signed, declined, has_representative in rows if not (signed or declined)]
    return {
        "total": len(rows),
        "signed": sum(1 for signed, _declined, _rep in rows if signed),
        "declined": sum(1 for _signed, declined, _rep in rows if declined),
        "awaiting": len(awaiting),
        "missing_representative": sum(1 for has_representative in awaiting if not has_representative),
        "all_missing_representative": sum(1 for _s, _d, has_representative in rows if not has_representative),
    }


def get_visible_signatory(request, pk):
    signatory = get_object_or_404(
        Signatory.objects.select_related("pact__version__charter", "organisation"), pk=pk,
    )
    if not request.user.has_perm("charter.view_pact", signatory.pact):
        raise Http404
    return signatory


# The public page


@require_GET
def pact_detail(request, pk):
    """The pact's text, its signatories and their answers, the resources they put into the
    network, and the PDFs with their fingerprints."""
    pact = get_visible_pact(request, pk)
    rows = list(signatory_rows(pact))
    snapshot = pact.version.snapshot
    totals = totals_by_organisation(snapshot)
    for row in rows:
        row.total_eur = totals.get(row.organisation_id)
    documents = documents_of(pact)
    return render(request, "charter/pacts/pact_detail.html", {
        "pact": pact,
        "version": pact.version,
        "signatories": rows,
        "summary": resources_summary(snapshot, organisation_ids={row.organisation_id for row in rows}),
        "draft_document": documents.get(DocumentKind.PACT_DRAFT),
        "final_document": documents.get(DocumentKind.PACT_FINAL) if pact.status == Pact.Status.CLOSED else None,
        "can_manage": request.user.has_perm("charter.view_pact_progress", pact),
        "to_sign": (
            list(Signatory.objects.awaiting(request.user).filter(pact=pact)) if request.user.is_authenticated else []
        ),
    })


# The steering group's pages


@login_required
@require_http_methods(["GET", "POST"])
def pact_create(request, pk):
    """The draft pact of a published version, starting from the seed's text."""
    version = get_object_or_404(CharterVersion.objects.select_related("charter"), pk=pk)
    if not request.user.has_perm("charter.view_charterversion", version):
        raise Http404
    if not request.user.has_perm("charter.add_pact", version):
        if not steering_or_staff.test(request.user, version):
            raise PermissionDenied
        existing = Pact.objects.filter(version=version).first()
        if existing is not None:
            messages.info(request, _("This version of the Carta already has its pact."))
            return redirect("charter:pact-progress", pk=existing.pk)
        messages.error(request, _("A pact can be prepared only for the published version of the Carta."))
        return redirect("charter:version-detail", pk=version.pk)
    form = PactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            pact = services.create_pact(version, by=request.user, **form.cleaned_data)
        except services.CharterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _(
                "The pact has been prepared with the partners of the Carta's projects as signatories. "
                "Add the other organisations that put resources into the network, then open it for signing."
            ))
            return redirect("charter:pact-progress", pk=pact.pk)
    return render(request, "charter/pacts/pact_form.html", {"form": form, "version": version, "pact": None})


@login_required
@require_http_methods(["GET", "POST"])
def pact_update(request, pk):
    pact = get_visible_pact(request, pk)
    refusal = refuse_unless_allowed(request, pact, "charter.change_pact", steering_or_staff)
    if refusal:
        return refusal
    # The form edits its own copy, so a refused change never shows in the page's title.
    form = PactForm(posted(request), instance=Pact.objects.get(pk=pact.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pact(pact, by=request.user, **form.cleaned_data)
        except services.CharterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("charter:pact-progress", pk=pact.pk)
    return render(request, "charter/pacts/pact_form.html", {"form": form, "version": pact.version, "pact": pact})


@login_required
@require_GET
def pact_progress(request, pk):
    """Every signatory with its legal representative (or its lack, flagged) and its answer;
    the counts; the actions the pact's state allows."""
    pact = get_visible_pact(request, pk)
    if not request.user.has_perm("charter.view_pact_progress", pact):
        raise PermissionDenied
    signatory_filter = SignatoryFilter(request.GET, queryset=signatory_rows(pact, with_representatives=True))
    page = paginate(request, signatory_filter.qs, per_page=SIGNATORIES_PER_PAGE)
    user = request.user
    documents = documents_of(pact)
    return render(request, "charter/pacts/pact_progress.html", {
        "pact": pact, "filter": signatory_filter, "page": page, "counts": answer_counts(pact),
        "is_filtered": any(signatory_filter.form.data.get(name) for name in signatory_filter.filters),
        "can_edit": user.has_perm("charter.change_pact", pact),
        "can_add_signatory": user.has_perm("charter.add_signatory", pact),
        "can_open": user.has_perm("charter.open_pact", pact),
        "can_remind": user.has_perm("charter.remind_pact", pact),
        "can_close": user.has_perm("charter.close_pact", pact),
        "draft_document": documents.get(DocumentKind.PACT_DRAFT),
        "final_document": documents.get(DocumentKind.PACT_FINAL),
    })


@login_required
@require_http_methods(["GET", "POST"])
def pact_open(request, pk):
    """A confirmation page; the POST renders the PDF to sign and emails the legal
    representatives."""
    pact = get_visible_pact(request, pk)
    refusal = refuse_unless_allowed(request, pact, "charter.open_pact", coordinator_or_staff)
    if refusal:
        return refusal
    form = PactNoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.open_pact(pact, by=request.user, note=form.cleaned_data["note"])
        except services.CharterError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _(
                "The pact is open for signing. Its legal representatives have been asked by email to sign it."
            ))
            return redirect("charter:pact-progress", pk=pact.pk)
    return render(request, "charter/pacts/pact_open.html", {
        "pact": pact, "form": form, "counts": answer_counts(pact),
    })


@login_required
@require_http_methods(["GET", "POST"])
def pact_remind(request, pk):
    """A confirmation page; the POST emails those who have not answered yet."""
    pact = get_visible_pact(request, pk)
    refusal = refuse_unless_allowed(request, pact, "charter.remind_pact", steering_or_staff)
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            pending = services.send_reminders(pact, by=request.user)
        except services.CharterError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, reminders_sent_message(pending))
            return redirect("charter:pact-progress", pk=pact.pk)
    return render(request, "charter/pacts/pact_remind.html", {"pact": pact, "counts": answer_counts(pact)})


def reminders_sent_message(pending):
    """How many emails were sent: the legal representatives of the signatories reminded, or the
    referents of those that have none (charter.emails sends to those)."""
    organisation_ids = {signatory.organisation_id for signatory in pending}
    memberships = Membership.objects.managing().filter(
        organisation_id__in=organisation_ids, user__is_active=True,
    ).exclude(user__email="").values_list("organisation_id", "user_id", "role")
    representatives, referents = {}, {}
    for organisation_id, user_id, role in memberships:
        target = representatives if role == Membership.Role.LEGAL_REPRESENTATIVE else referents
        target.setdefault(organisation_id, set()).add(user_id)
    emails = without = 0
    for organisation_id in organisation_ids:  # one message per person and signatory
        if organisation_id in representatives:
            emails += len(representatives[organisation_id])
        else:
            without += 1
            emails += len(referents.get(organisation_id, ()))
    parts = [
        ngettext(
            "A reminder has been sent for the %(count)d signatory that has not answered.",
            "Reminders have been sent for the %(count)d signatories that have not answered.", len(organisation_ids),
        ) % {"count": len(organisation_ids)},
        ngettext("%(count)d email sent.", "%(count)d emails sent.", emails) % {"count": emails},
    ]
    if without:
        parts.append(ngettext(
            "%(count)d of them has no confirmed legal representative: its referents were asked to have one confirmed.",
            "%(count)d of them have no confirmed legal representative: their referents were asked to have one "
            "confirmed.", without,
        ) % {"count": without})
    return " ".join(parts)


@login_required
@require_http_methods(["GET", "POST"])
def pact_close(request, pk):
    """A confirmation page; the POST closes the signing and renders the signed document. Before
    every signatory has answered and before the deadline, the reason instead."""
    pact = get_visible_pact(request, pk)
    refusal = refuse_unless_allowed(request, pact, "charter.close_pact", coordinator_or_staff)
    if refusal:
        return refusal
    form = PactNoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.close_pact(pact, by=request.user, note=form.cleaned_data["note"])
        except services.CharterError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _(
                "The pact is closed. The signed document, with the annex of signatures, is being prepared and is "
                "published on its page as soon as it is ready."
            ))
            return redirect("charter:pact-detail", pk=pact.pk)
    return render(request, "charter/pacts/pact_close.html", {"pact": pact, "form": form, "counts": answer_counts(pact)})
