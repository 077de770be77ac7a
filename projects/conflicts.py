"""Conflicts of interest in the feasibility evaluation.

An evaluator is in conflict with a proposal when an organisation they belong to (accepted
membership) or represent in the steering group is its lead or an invited or accepted co-partner,
or when they declared a conflict (also for reasons the portal cannot see). Such an evaluator
cannot score the proposal, and sees none of its evaluations: neither who scored it, nor the
scores, comments and averages (projects.rules: `projects.view_evaluation`).

The definition is here once, as a condition on proposals (`conflict_of_interest`), which the
rules ask for one proposal and the review queue computes for every row.
"""

from django.db.models import Exists, OuterRef, Q

from partners.models import Membership, Organisation, SteeringGroupMember

from .models import Evaluation, Proposal, ProposalPartner


def _own_organisations(user, today=None):
    """The organisations the user belongs to or represents in the steering group, as two
    subqueries of their ids."""
    members = Membership.objects.accepted().filter(user=user).values("organisation_id")
    seats = (
        SteeringGroupMember.objects.current(today)
        .filter(user=user, organisation__isnull=False)
        .values("organisation_id")
    )
    return members, seats


def conflict_of_interest(user, today=None):
    """A condition on proposals, true where the (authenticated) user is in conflict."""
    members, seats = _own_organisations(user, today)
    as_partner = ProposalPartner.objects.filter(
        proposal=OuterRef("pk"), status__in=ProposalPartner.SEES_PROPOSAL,
    ).filter(Q(organisation_id__in=members) | Q(organisation_id__in=seats))
    declared = Evaluation.objects.filter(proposal=OuterRef("pk"), evaluator=user, conflict_declared=True)
    return (
        Q(lead_organisation_id__in=members) | Q(lead_organisation_id__in=seats)
        | Q(Exists(as_partner)) | Q(Exists(declared))
    )


def without_conflicts(evaluations, user):
    """The evaluations (a queryset) less those of proposals the user is in conflict with: for
    the admin, where superusers pass every `has_perm`."""
    if not user or not user.is_authenticated:
        return evaluations.none()
    return evaluations.exclude(proposal__in=Proposal.objects.filter(conflict_of_interest(user)).values("pk"))


def is_in_conflict(user, proposal):
    """Whether the user is in conflict with the proposal (one query)."""
    if not user or not user.is_authenticated or proposal is None or proposal.pk is None:
        return False
    return Proposal.objects.filter(pk=proposal.pk).filter(conflict_of_interest(user)).exists()


def conflicting_organisations(user, proposal, today=None):
    """The organisations that put the user in conflict with the proposal, to name them (one
    query)."""
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    involved = Q(pk=proposal.lead_organisation_id) | Q(
        pk__in=ProposalPartner.objects.filter(
            proposal=proposal, status__in=ProposalPartner.SEES_PROPOSAL
        ).values("organisation_id")
    )
    members, seats = _own_organisations(user, today)
    return Organisation.objects.filter(involved).filter(Q(pk__in=members) | Q(pk__in=seats)).order_by("name")



def has_declared_conflict(user, proposal):
    """Whether the user has declared a conflict with the proposal (one query): declared once,
    it cannot be declared again."""
    if not user or not user.is_authenticated or proposal is None:
        return False
    return Evaluation.objects.filter(proposal=proposal, evaluator=user, conflict_declared=True).exists()
