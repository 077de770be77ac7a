"""Co-partners and commitments of a proposal: the lead invites verified organisations, the
invited organisation's referent accepts or declines, each partner states its own commitments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms.partnership import CommitmentForm, PartnerAnswerForm, PartnerInviteForm, commitment_organisations
from ..models import Commitment, ProposalPartner
from ..rules import (
    is_accepted_co_partner_member,
    is_lead_member,
    is_member_of_commitment_organisation,
    is_referent_of_partner_organisation,
)
from .proposals import get_visible_proposal, posted, refuse_unless_allowed, state_refusal


def _detail_url(proposal, anchor):
    return reverse("projects:proposal-detail", args=[proposal.pk]) + f"#{anchor}"


# Co-partners


@login_required
@require_http_methods(["GET", "POST"])
def partner_invite(request, pk):
    proposal = get_visible_proposal(request, pk)
    refusal = refuse_unless_allowed(request, proposal, "projects.invite_co_partner_proposal", is_lead_member)
    if refusal:
        return refusal
    form = PartnerInviteForm(posted(request), proposal=proposal)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.invite_co_partner(proposal, by=request.user, organisation=organisation)
        except services.ProjectsError as error:
            form.add_error("organisation", error.message)
        else:
            messages.success(request, _(
                "%(organisation)s has been invited as co-partner; its referents have received an email."
            ) % {"organisation": organisation})
            return redirect(_detail_url(proposal, "partners"))
    return render(request, "projects/proposals/partner_invite.html", {"proposal": proposal, "form": form})


def _get_invitation(request, pk):
    """The invitation and its proposal (404 unless the user sees the proposal); 403 unless the
    user is a referent of the invited organisation, who answers for it."""
    partner = get_object_or_404(ProposalPartner.objects.select_related("organisation"), pk=pk)
    partner.proposal = get_visible_proposal(request, partner.proposal_id)
    # The prefetched copy carries the memberships the rules read.
    partner.organisation = next(
        (p.organisation for p in partner.proposal.partners.all() if p.pk == partner.pk), partner.organisation
    )
    if not is_referent_of_partner_organisation(request.user, partner):
        raise PermissionDenied
    return partner


def _answered_refusal(request, partner):
    """For the invited organisation's referent, when `projects.decide_proposalpartner` says no:
    the invitation was answered already, or the proposal no longer takes answers."""
    if partner.can_move_to(ProposalPartner.Status.ACCEPTED):
        messages.error(request, state_refusal(partner.proposal))
    else:
        messages.info(request, _("This invitation has already been answered (%(status)s).")
                      % {"status": partner.get_status_display()})
    return redirect(_detail_url(partner.proposal, "partners"))


@login_required
@require_POST
def partner_answer(request, pk):
    """Accept or decline (`answer`), by a referent of the invited organisation. After declining,
    the organisation no longer sees the proposal: back to the list."""
    partner = _get_invitation(request, pk)
    form = PartnerAnswerForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose whether to accept or decline the invitation."))
    if not request.user.has_perm("projects.decide_proposalpartner", partner):
        return _answered_refusal(request, partner)
    accept = form.cleaned_data["answer"] == PartnerAnswerForm.ACCEPT
    params = {"organisation": partner.organisation, "title": partner.proposal.title}
    try:
        if accept:
            services.accept_co_partnership(partner, by=request.user)
        else:
            services.decline_co_partnership(partner, by=request.user)
    except services.ProjectsError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(partner.proposal, "partners"))
    if accept:
        messages.success(request, _(
            "%(organisation)s is now a co-partner of “%(title)s”: state its commitments below."
        ) % params)
        return redirect(_detail_url(partner.proposal, "commitments"))
    messages.success(request, _("%(organisation)s has declined to take part in “%(title)s”.") % params)
    return redirect("projects:proposal-list")


@login_required
@require_GET
def partner_decline(request, pk):
    """The confirmation before declining: the organisation then loses sight of the proposal."""
    partner = _get_invitation(request, pk)
    if not request.user.has_perm("projects.decide_proposalpartner", partner):
        return _answered_refusal(request, partner)
    return render(request, "projects/proposals/partner_decline.html", {
        "partner": partner, "proposal": partner.proposal,
    })


# Commitments

lead_or_accepted_partner = is_lead_member | is_accepted_co_partner_member


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request, pk):
    proposal = get_visible_proposal(request, pk)
    refusal = refuse_unless_allowed(request, proposal, "projects.add_commitment", lead_or_accepted_partner)
    if refusal:
        return refusal
    form = CommitmentForm(posted(request), organisations=commitment_organisations(proposal, request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            services.add_commitment(proposal, by=request.user, organisation=organisation, **data)
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commitment of %(organisation)s has been added.")
                             % {"organisation": organisation})
            return redirect(_detail_url(proposal, "commitments"))
    return render(request, "projects/proposals/commitment_form.html", {
        "proposal": proposal, "form": form, "commitment": None,
    })


def _get_commitment(request, pk, perm):
    """The commitment on its visible proposal; None and a response when the user may not act."""
    commitment = get_object_or_404(Commitment.objects.select_related("organisation"), pk=pk)
    commitment.proposal = get_visible_proposal(request, commitment.proposal_id)
    refusal = refuse_unless_allowed(
        request, commitment.proposal, perm, is_member_of_commitment_organisation, obj=commitment,
    )
    return commitment, refusal


@login_required
@require_http_methods(["GET", "POST"])
def commitment_update(request, pk):
    commitment, refusal = _get_commitment(request, pk, "projects.change_commitment")
    if refusal:
        return refusal
    proposal = commitment.proposal
    form = CommitmentForm(posted(request), instance=Commitment.objects.get(pk=commitment.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_commitment(commitment, by=request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commitment has been saved."))
            return redirect(_detail_url(proposal, "commitments"))
    return render(request, "projects/proposals/commitment_form.html", {
        "proposal": proposal, "form": form, "commitment": commitment,
    })


@login_required
@require_http_methods(["GET", "POST"])
def commitment_delete(request, pk):
    """A confirmation page; the POST deletes."""
    commitment, refusal = _get_commitment(request, pk, "projects.delete_commitment")
    if refusal:
        return refusal
    proposal = commitment.proposal
    if request.method == "POST":
        try:
            services.delete_commitment(commitment, by=request.user)
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The commitment has been deleted."))
        return redirect(_detail_url(proposal, "commitments"))
    return render(request, "projects/proposals/commitment_delete.html", {
        "proposal": proposal, "commitment": commitment,
    })
