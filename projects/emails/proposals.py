"""Notifications about proposals, for the people who wait on each step.

Services call these inside `transaction.on_commit`, so nothing is sent for a change that rolls
back.
"""

from ..models import ProposalPartner
from .base import link, members, referents, send, steering_members

__all__ = [
    "send_changes_requested", "send_co_partner_answered", "send_co_partner_invitation",
    "send_proposal_decided", "send_proposal_submitted", "send_proposal_withdrawn",
]


def _proposal_link(proposal):
    return link("projects:proposal-detail", proposal.pk)


def send_co_partner_invitation(partner):
    """To the invited organisation's referents, who accept or decline."""
    proposal = partner.proposal
    send(
        "co_partner_invitation", referents(partner.organisation),
        {"partner": partner, "proposal": proposal, "link": _proposal_link(proposal)},
    )


def send_co_partner_answered(partner):
    """To the lead's members, who wait for the answer before submitting."""
    proposal = partner.proposal
    send(
        "co_partner_answered", members(proposal.lead_organisation),
        {"partner": partner, "proposal": proposal, "link": _proposal_link(proposal)},
    )


def send_proposal_submitted(proposal, *, resubmission=False):
    """To the lead's members (received) and to the steering group (to review)."""
    context = {"proposal": proposal, "resubmission": resubmission, "link": _proposal_link(proposal)}
    send("proposal_submitted_lead", members(proposal.lead_organisation), context)
    send(
        "proposal_submitted_steering", steering_members(),
        {**context, "queue_link": link("projects:review-queue")},
    )


def send_changes_requested(proposal):
    send(
        "changes_requested", members(proposal.lead_organisation),
        {"proposal": proposal, "link": _proposal_link(proposal)},
    )


def send_proposal_decided(proposal):
    """To the lead's members, who read the motivation, and to the accepted co-partners."""
    recipients = members(proposal.lead_organisation)
    for partner in proposal.partners.filter(status=ProposalPartner.Status.ACCEPTED).select_related("organisation"):
        recipients += members(partner.organisation)
    send("proposal_decided", recipients, {"proposal": proposal, "link": _proposal_link(proposal)})


def send_proposal_withdrawn(proposal, *, was_submitted):
    """To the co-partners (members of those who accepted, referents of those still invited),
    and, when it had been submitted, to the steering group, whose review queue loses it."""
    recipients = []
    for partner in proposal.partners.exclude(status=ProposalPartner.Status.DECLINED).select_related("organisation"):
        if partner.status == ProposalPartner.Status.ACCEPTED:
            recipients += members(partner.organisation)
        else:
            recipients += referents(partner.organisation)
    if was_submitted:
        recipients += steering_members()
    send("proposal_withdrawn", recipients, {"proposal": proposal, "link": _proposal_link(proposal)})
