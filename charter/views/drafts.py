"""The steering group's side of the Carta: opening a draft, writing its texts, choosing and
ordering its projects, discarding it, approving and publishing a version.

Who may open a page is checked here: 404 when the version is not visible at all, 403 (with the
reason) when it is but the role does not allow the action. When the role allows it but the
version's status does not, a message says why and nothing changes. charter.services check both
again under a lock, so two tabs or two coordinators cannot approve or publish twice.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from projects.models import Proposal
from welfare_portal.pagination import paginate

from .. import services
from ..filters.versions import AvailableProposalFilter
from ..forms.versions import (
    DraftOpenForm,
    DraftTextsForm,
    MoveProjectForm,
    MoveThemeForm,
    ProposalChoiceForm,
    StatusNoteForm,
    grouped_order,
)
from ..models import CharterItem, CharterVersion
from ..rules import coordinator_or_staff, steering_or_staff
from .versions import charter_document, get_visible_version, portal_versions

Status = CharterVersion.Status


def _posted(request):
    return request.POST if request.method == "POST" else None


def _refuse(request, reason, version=None):
    """A 403 page that says why, for people whose role does not allow the action."""
    return render(request, "charter/versions/refused.html", {"reason": reason, "version": version}, status=403)


def _steering_refusal(request, version=None):
    return _refuse(request, _("Only members of the steering group and staff can prepare the Carta."), version)


def _coordinator_refusal(request, version):
    return _refuse(
        request, _("Only the coordinator of the steering group or staff can approve or publish the Carta."), version,
    )


def _to_version(version):
    return redirect("charter:version-detail", version.pk)


def _to_projects(version, anchor=""):
    return redirect(reverse("charter:version-projects", args=[version.pk]) + anchor)


def _draft_refusal(version):
    """Why a version that is not a draft cannot be changed (the services' own words)."""
    return _("Version %(number)s is “%(status)s”: only a draft can be changed.") % {
        "number": version.number, "status": version.get_status_display(),
    }


def _move_refusal(version, to_status):
    """Why the version's status does not allow the move (the services' own words)."""
    return _("Version %(number)s is “%(status)s”: it cannot become “%(to)s”.") % {
        "number": version.number, "status": version.get_status_display(), "to": Status(to_status).label,
    }


def _draft_or_refusal(request, pk, perm="charter.change_charterversion"):
    """(draft, None) when the user may change the version (`perm`), else (version, response):
    the reason when the role allows it but the version is no longer a draft, 403 otherwise."""
    version = get_visible_version(request, pk)
    if request.user.has_perm(perm, version):
        return version, None
    if not steering_or_staff.test(request.user):
        return version, _steering_refusal(request, version)
    messages.error(request, _draft_refusal(version))
    return version, _to_version(version)


# Opening and discarding a draft


@login_required
@require_http_methods(["GET", "POST"])
def version_create(request):
    """A confirmation page (start from a copy of the latest version, or from the default
    texts); the POST opens the draft."""
    if not request.user.has_perm("charter.add_charterversion"):
        return _steering_refusal(request)
    draft = portal_versions().filter(status=Status.DRAFT).first()
    if draft is not None:
        messages.info(request, _(
            "Version %(number)s is already a draft: edit it, or discard it before opening another."
        ) % {"number": draft.number})
        return _to_version(draft)
    latest = portal_versions().defer("snapshot").order_by("-number").first()
    form = DraftOpenForm(_posted(request), has_versions=latest is not None)
    if form.is_valid():
        try:
            version = services.open_draft(by=request.user, copy_latest=form.copy_latest)
        except services.CharterError as error:
            messages.error(request, error.message)
            return redirect("charter:version-list")
        messages.success(request, _("Version %(number)s has been opened as a draft.") % {"number": version.number})
        return _to_version(version)
    return render(request, "charter/versions/version_create.html", {"form": form, "latest": latest})


@login_required
@require_http_methods(["GET", "POST"])
def version_discard(request, pk):
    version, refusal = _draft_or_refusal(request, pk, "charter.delete_charterversion")
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            services.discard_draft(version, by=request.user)
        except services.CharterError as error:
            messages.error(request, error.message)
            return _to_version(version)
        messages.success(request, _("The draft of version %(number)s has been discarded.") % {"number": version.number})
        return redirect("charter:version-list")
    return render(request, "charter/versions/version_discard.html", {
        "version": version, "project_count": version.items.count(),
    })


# The draft's texts and projects


@login_required
@require_http_methods(["GET", "POST"])
def version_update(request, pk):
    version, refusal = _draft_or_refusal(request, pk)
    if refusal:
        return refusal
    # The form works on its own copy, so a refused change never shows elsewhere on the page.
    form = DraftTextsForm(_posted(request), instance=CharterVersion.objects.get(pk=version.pk))
    if form.is_valid():
        try:
            services.update_draft(version, by=request.user, **form.cleaned_data)
        except services.CharterError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The texts of the draft have been saved."))
            return _to_version(version)
    return render(request, "charter/versions/version_form.html", {"version": version, "form": form})


def _available_proposals(version):
    """Approved proposals not listed in the draft yet."""
    listed = CharterItem.objects.filter(version=version, proposal=OuterRef("pk"))
    return (
        Proposal.objects.filter(status=Proposal.Status.APPROVED).exclude(Exists(listed))
        .select_related("theme", "lead_organisation").order_by("theme__title", "title", "pk")
    )


@login_required
@require_http_methods(["GET"])
def version_projects(request, pk):
    """The draft's projects grouped by theme, with their buttons, and the approved proposals
    that can still be added."""
    version, refusal = _draft_or_refusal(request, pk)
    if refusal:
        return refusal
    items = list(version.items.select_related("proposal__theme", "proposal__lead_organisation"))
    available = AvailableProposalFilter(request.GET, queryset=_available_proposals(version))
    return render(request, "charter/versions/version_projects.html", {
        "version": version,
        "groups": [(group[0].proposal.theme, group) for _theme, group in grouped_order(items)],
        "item_count": len(items),
        "filter": available,
        "page": paginate(request, available.qs),
        "is_filtered": any(available.form.data.get(name) for name in available.filters),
    })


def _proposal_action(request, pk, service, success):
    version, refusal = _draft_or_refusal(request, pk)
    if refusal:
        return refusal
    form = ProposalChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["proposal"][0])
        return _to_projects(version)
    proposal = form.cleaned_data["proposal"]
    try:
        service(version, by=request.user, proposal=proposal)
    except services.CharterError as error:
        messages.error(request, error.message)
        return _to_projects(version)
    messages.success(request, success % {"title": proposal.title})
    return _to_projects(version, "#draft-projects")


@login_required
@require_POST
def version_project_add(request, pk):
    return _proposal_action(request, pk, services.add_proposal, _("“%(title)s” has been added to the draft."))


@login_required
@require_POST
def version_project_remove(request, pk):
    return _proposal_action(request, pk, services.remove_proposal, _("“%(title)s” has been removed from the draft."))


def _move(request, pk, form_class):
    version, refusal = _draft_or_refusal(request, pk)
    if refusal:
        return refusal
    form = form_class(request.POST)
    order = form.new_order(list(version.items.select_related("proposal"))) if form.is_valid() else None
    if order is None:
        messages.error(request, _("This project or theme is not in the draft."))
        return _to_projects(version)
    try:
        services.reorder_proposals(version, by=request.user, proposal_ids=order)
    except services.CharterError as error:
        messages.error(request, error.message)
    return _to_projects(version, "#draft-projects")


@login_required
@require_POST
def version_project_move(request, pk):
    """One place up or down among the projects of the same theme."""
    return _move(request, pk, MoveProjectForm)


@login_required
@require_POST
def version_theme_move(request, pk):
    """A whole theme, with its projects, one place up or down."""
    return _move(request, pk, MoveThemeForm)


# Approval and publication


def _status_move(request, pk, perm, to_status):
    """(version, None) when the user may move the version to `to_status` now (`perm`), else
    (version, response): the reason when the role allows it but the status does not, a 403 page
    saying which role may otherwise."""
    version = get_visible_version(request, pk)
    if request.user.has_perm(perm, version):
        return version, None
    if not steering_or_staff.test(request.user):
        return version, _steering_refusal(request, version)
    if not coordinator_or_staff.test(request.user):
        return version, _coordinator_refusal(request, version)
    messages.error(request, _move_refusal(version, to_status))
    return version, _to_version(version)


@login_required
@require_http_methods(["GET", "POST"])
def version_approve(request, pk):
    """A confirmation page saying what approval does; the POST freezes the content; the PDF
    follows in the background (charter.documents)."""
    version, refusal = _status_move(request, pk, "charter.approve_charterversion", Status.APPROVED)
    if refusal:
        return refusal
    form = StatusNoteForm(_posted(request))
    if form.is_valid():
        try:
            services.approve_version(version, by=request.user, note=form.cleaned_data["note"])
        except services.CharterError as error:
            messages.error(request, error.message)
            return _to_version(version)
        document = charter_document(version)
        if document is None:
            messages.success(request, _(
                "Version %(number)s has been approved. Its PDF is being prepared and appears on this page, "
                "with its SHA-256 fingerprint, in a few minutes."
            ) % {"number": version.number})
        else:
            messages.success(request, _(
                "Version %(number)s has been approved and its PDF rendered. SHA-256 fingerprint: %(sha256)s"
            ) % {"number": version.number, "sha256": document.sha256})
        return _to_version(version)
    items = list(version.items.select_related("proposal__theme"))
    return render(request, "charter/versions/version_approve.html", {
        "version": version, "form": form, "item_count": len(items),
        "theme_count": len({item.proposal.theme_id for item in items}),
        "not_approved": [item.proposal for item in items if item.proposal.status != Proposal.Status.APPROVED],
    })


@login_required
@require_http_methods(["GET", "POST"])
def version_publish(request, pk):
    """A confirmation page saying which version the public Carta is today; the POST makes this
    one the public Carta and supersedes the other."""
    version, refusal = _status_move(request, pk, "charter.publish_charterversion", Status.PUBLISHED)
    if refusal:
        return refusal
    form = StatusNoteForm(_posted(request))
    if form.is_valid():
        try:
            services.publish_version(version, by=request.user, note=form.cleaned_data["note"])
        except services.CharterError as error:
            messages.error(request, error.message)
            return _to_version(version)
        messages.success(request, _("Version %(number)s is now the public Carta.") % {"number": version.number})
        return redirect("charter:charter-detail")
    current = version.charter.versions.published().defer("snapshot").first()
    return render(request, "charter/versions/version_publish.html", {
        "version": version, "form": form, "current": current, "document": charter_document(version),
    })
