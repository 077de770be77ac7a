"""Conflicts of interest in the feasibility evaluation.

An evaluator is in conflict with a proposal when an organisation they belong to (accepted
membership) or represent in the steering group is its lead or an invited or accepted co-partner.
Such an evaluator must declare the conflict and cannot score the proposal.
"""

from django.db.models import Q

from partners.models import Membership, Organisation, SteeringGroupMember

from .models import Evaluation, ProposalPartner


def conflicting_organisations(user, proposal, today=None):
    """The organisations that put the user in conflict with the proposal (one query)."""
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    involved = Q(pk=proposal.lead_organisation_id) | Q(
        pk__in=ProposalPartner.objects.filter(
            proposal=proposal, status__in=ProposalPartner.SEES_PROPOSAL
        ).values("organisation_id")
    )
    own = Q(pk__in=Membership.objects.accepted().filter(user=user).values("organisation_id")) | Q(
        pk__in=SteeringGroupMember.objects.current(today)
        .filter(user=user, organisation__isnull=False)
        .values("organisation_id")
    )
    return Organisation.objects.filter(involved).filter(own).order_by("name")


def has_declared_conflict(user, proposal):
    if not user or not user.is_authenticated:
        return False
    return Evaluation.objects.filter(proposal=proposal, evaluator=user, conflict_declared=True).exists()
