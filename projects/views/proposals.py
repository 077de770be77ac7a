"""Project proposals on the partners' side: the list of the user's organisations' proposals,
writing and editing, the proposal page, submitting and withdrawing.

Visibility follows `projects.view_proposal` (404 for whoever may not see the proposal: a
partner never learns that another organisation's draft exists). Acting follows the action's
permission: 403 for whoever has no part in it; when the user's part allows it but the
proposal's status does not, a message says why and nothing changes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partners.models import Membership
from welfare_portal.pagination import paginate

from .. import services
from ..filters.proposals import ProposalFilter
from ..forms.proposals import ProposalCreateForm, ProposalForm, SubmitForm, WithdrawForm
from ..models import Attachment, Commitment, Proposal, ProposalPartner, ProposalStatusChange
from ..rules import is_lead_member

Status = Proposal.Status


# Shared by the proposal, partnership and attachment views


def proposal_queryset():
    """What the permission checks read (no query per check) and what the page shows."""
    return Proposal.objects.with_access_data().select_related("theme", "focus_group")


def get_visible_proposal(request, pk, queryset=None):
    proposal = get_object_or_404(queryset if queryset is not None else proposal_queryset(), pk=pk)
    if not request.user.has_perm("projects.view_proposal", proposal):
        raise Http404
    return proposal


def state_refusal(proposal):
    """Why the proposal's status does not allow what its partners asked for."""
    params = {"status": proposal.get_status_display()}
    if proposal.status == Status.WITHDRAWN:
        return _("This proposal has been withdrawn; nothing can change it any more.")
    if proposal.status in (Status.APPROVED, Status.REJECTED):
        return _("This proposal has already been decided (“%(status)s”); the decision cannot change.") % params
    if proposal.status in (Status.SUBMITTED, Status.IN_EVALUATION):
        return _(
            "This proposal is with the steering group (“%(status)s”): it can be changed and "
            "submitted again only if they request changes."
        ) % params
    return _("This cannot be done while the proposal is “%(status)s”.") % params


def refuse_unless_allowed(request, proposal, perm, role, obj=None, role_obj=None):
    """None when the user may act (`perm` on `obj`, the proposal by default). When the user's
    role (the predicate `role` on `role_obj`, by default `obj`) would allow it but the
    proposal's status does not, a redirect to the proposal page with the reason; for everyone
    else 403."""
    obj = obj if obj is not None else proposal
    if request.user.has_perm(perm, obj):
        return None
    if role.test(request.user, role_obj if role_obj is not None else obj):
        messages.error(request, state_refusal(proposal))
        return redirect("projects:proposal-detail", pk=proposal.pk)
    raise PermissionDenied


def posted(request):
    """The POST data to bind a form to, or None on GET: an empty POST is still a submission."""
    return request.POST if request.method == "POST" else None


# The list


def my_organisation_ids(user):
    return list(Membership.objects.accepted().filter(user=user).values_list("organisation_id", flat=True))


@login_required
@require_GET
def proposal_list(request):
    """Proposals the user's organisations lead or are invited to (or accepted) as co-partners:
    a constant number of queries however many there are."""
    organisation_ids = my_organisation_ids(request.user)
    as_partner = ProposalPartner.objects.filter(
        organisation_id__in=organisation_ids, status__in=ProposalPartner.SEES_PROPOSAL,
    ).values("proposal_id")
    proposals = (
        Proposal.objects.for_user(request.user)
        .filter(Q(lead_organisation_id__in=organisation_ids) | Q(pk__in=as_partner))
        .select_related("theme", "lead_organisation")
        .prefetch_related(Prefetch(
            "partners", queryset=ProposalPartner.objects.filter(organisation_id__in=organisation_ids),
            to_attr="my_partnerships",
        ))
        .order_by("-updated_at", "-pk")
    )
    proposal_filter = ProposalFilter(request.GET, queryset=proposals)
    page = paginate(request, proposal_filter.qs)
    for proposal in page.object_list:
        proposal.is_mine_as_lead = proposal.lead_organisation_id in organisation_ids
    return render(request, "projects/proposals/proposal_list.html", {
        "filter": proposal_filter, "page": page,
        "is_filtered": any(proposal_filter.form.data.get(name) for name in proposal_filter.filters),
        "can_add": request.user.has_perm("projects.add_proposal"),
    })


# Writing


def _theme_initial(request):
    theme = request.GET.get("theme", "")
    return {"theme": int(theme)} if theme.isdigit() else {}


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    if not request.user.has_perm("projects.add_proposal"):
        return render(request, "projects/proposals/no_organisation.html", status=403)
    form = ProposalCreateForm(posted(request), user=request.user, initial=_theme_initial(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lead = data.pop("lead_organisation")
        try:
            proposal = services.create_proposal(by=request.user, lead_organisation=lead, **data)
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _(
                "The draft has been saved. Complete it, invite the co-partners and state the "
                "commitments, then submit it."
            ))
            return redirect("projects:proposal-detail", pk=proposal.pk)
    return render(request, "projects/proposals/proposal_form.html", {"form": form, "proposal": None})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_update(request, pk):
    proposal = get_visible_proposal(request, pk)
    if not request.user.has_perm("projects.change_proposal", proposal):
        if not is_lead_member.test(request.user, proposal):
            raise PermissionDenied
        return render(request, "projects/proposals/proposal_locked.html", {
            "proposal": proposal, "reason": state_refusal(proposal),
        }, status=403)
    # The form works on its own copy, so a refused change never shows in the page's title.
    form = ProposalForm(posted(request), instance=Proposal.objects.get(pk=proposal.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(proposal, by=request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("projects:proposal-detail", pk=proposal.pk)
    return render(request, "projects/proposals/proposal_form.html", {"form": form, "proposal": proposal})


# The proposal page


def _commitments_by_organisation(proposal, commitments):
    """[(organisation, commitments, subtotal)], the lead first, then by name; and the total."""
    groups = {}
    for commitment in commitments:
        groups.setdefault(commitment.organisation_id, (commitment.organisation, []))[1].append(commitment)
    ordered = sorted(
        groups.values(),
        key=lambda group: (group[0].pk != proposal.lead_organisation_id, group[0].name.lower()),
    )
    rows = [(organisation, items, sum(c.estimated_value_eur for c in items)) for organisation, items in ordered]
    return rows, sum(subtotal for _org, _items, subtotal in rows)


@login_required
@require_GET
def proposal_detail(request, pk):
    queryset = proposal_queryset().select_related("created_by").prefetch_related(
        "target_groups", "age_bands", "municipalities", "policy_areas",
        Prefetch("status_changes", queryset=ProposalStatusChange.objects.select_related("changed_by")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related("organisation").prefetch_related("organisation__memberships"),
        ),
    )
    proposal = get_visible_proposal(request, pk, queryset)
    commitment_groups, commitment_total = _commitments_by_organisation(proposal, proposal.commitments.all())
    can_submit = request.user.has_perm("projects.submit_proposal", proposal)
    partners = proposal.partners.all()
    return render(request, "projects/proposals/proposal_detail.html", {
        "proposal": proposal,
        "partners": partners,
        "invitations_to_answer": [
            partner for partner in partners if request.user.has_perm("projects.decide_proposalpartner", partner)
        ],
        "commitment_groups": commitment_groups,
        "commitment_total": commitment_total,
        "can_submit": can_submit,
        "missing": proposal.missing_for_submission() if can_submit else [],
        "call_refusal": services.call_window_refusal(proposal) if can_submit else None,
    })


# Moves in the lifecycle


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit(request, pk):
    """A confirmation page listing what is still missing; the POST submits. A refusal (closed
    call, missing fields) shows the same page with the reason."""
    proposal = get_visible_proposal(request, pk)
    refusal = refuse_unless_allowed(request, proposal, "projects.submit_proposal", is_lead_member)
    if refusal:
        return refusal
    form = SubmitForm(posted(request))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_proposal(proposal, by=request.user, note=form.cleaned_data["note"])
        except services.ProjectsError as exc:
            error = exc.message
        else:
            messages.success(request, _(
                "The proposal has been submitted to the steering group. You will receive an email "
                "when they decide."
            ))
            return redirect("projects:proposal-detail", pk=proposal.pk)
    return render(request, "projects/proposals/proposal_submit.html", {
        "proposal": proposal, "form": form, "error": error,
        "missing": proposal.missing_for_submission(),
        "resubmission": proposal.status == Status.CHANGES_REQUESTED,
        "call_refusal": services.call_window_refusal(proposal),
    })


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk):
    """A confirmation page saying that withdrawing is final; the POST withdraws."""
    proposal = get_visible_proposal(request, pk)
    refusal = refuse_unless_allowed(request, proposal, "projects.withdraw_proposal", is_lead_member)
    if refusal:
        return refusal
    form = WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_proposal(proposal, by=request.user, note=form.cleaned_data["note"])
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The proposal has been withdrawn."))
        return redirect("projects:proposal-detail", pk=proposal.pk)
    return render(request, "projects/proposals/proposal_withdraw.html", {"proposal": proposal, "form": form})
