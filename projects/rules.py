"""Who may do what in the projects app: themes, focus groups, timeline, proposals, co-partners,
commitments and evaluations.

Permissions are `projects.<verb>_<model>`; for proposal moves the verb is the service's
(`start_evaluation_proposal` for `services.start_evaluation`). State predicates read the
models' TRANSITIONS, so buttons and services agree. Predicates read prefetched data when a view
has loaded it (`Proposal.objects.with_access_data()`, `prefetch_related("facilitators")`),
otherwise they ask one query, memoised for the rest of the same `has_perm` call.

Staff (the Ufficio di Piano) read every proposal once submitted, make the steering group's
moves on it and run focus groups and the timeline; they never write or score a proposal, nor
answer for an organisation.
"""

from dataclasses import dataclass, field

import rules
from django.db.models import OuterRef, Q, Subquery

from partners.models import Membership, Organisation
from partners.rules import (
    is_organisation_member,
    is_organisation_referent,
    is_staff,
    is_steering_coordinator,
    is_steering_member,
)

from .conflicts import has_declared_conflict, is_in_conflict
from .models import FocusGroupMembership, Proposal, ProposalPartner


def _authenticated(user):
    return bool(user and user.is_authenticated and user.is_active)


def _memoised(predicate, key, compute):
    """Compute once per `has_perm` call: `view_proposal` asks the same question three times."""
    context = predicate.context
    if context is None:
        return compute()
    if key not in context:
        context[key] = compute()
    return context[key]


# Proposals: the user's place in the lead and co-partner organisations


@dataclass(frozen=True)
class ProposalAccess:
    lead: bool = False
    partner_statuses: frozenset = field(default_factory=frozenset)

    @property
    def sees_as_partner(self):
        return bool(self.partner_statuses & set(ProposalPartner.SEES_PROPOSAL))

    @property
    def accepted_partner(self):
        return ProposalPartner.Status.ACCEPTED in self.partner_statuses


def _prefetched(obj, name):
    return getattr(obj, "_prefetched_objects_cache", {}).get(name)


def _is_accepted_member_in_prefetched(user, organisation):
    memberships = _prefetched(organisation, "memberships")
    return any(m.user_id == user.pk and m.status == Membership.Status.ACCEPTED for m in memberships)


def proposal_access(user, proposal):
    """The user's relation to the proposal's organisations: no query when the proposal comes
    from `with_access_data()`, one query otherwise."""
    if not _authenticated(user) or proposal is None:
        return ProposalAccess()
    partners = _prefetched(proposal, "partners")
    lead = proposal.lead_organisation if "lead_organisation" in proposal._state.fields_cache else None
    if (
        partners is not None and lead is not None and _prefetched(lead, "memberships") is not None
        and all(_prefetched(p.organisation, "memberships") is not None for p in partners)
    ):
        return ProposalAccess(
            lead=_is_accepted_member_in_prefetched(user, lead),
            partner_statuses=frozenset(
                p.status for p in partners if _is_accepted_member_in_prefetched(user, p.organisation)
            ),
        )
    partner_status = ProposalPartner.objects.filter(
        proposal=proposal, organisation=OuterRef("organisation_id")
    ).values("status")[:1]
    rows = (
        Membership.objects.accepted()
        .filter(user=user)
        .filter(
            Q(organisation_id=proposal.lead_organisation_id)
            | Q(organisation__proposal_partnerships__proposal=proposal)
        )
        .annotate(partner_status=Subquery(partner_status))
        .values_list("organisation_id", "partner_status")
        .distinct()
    )
    rows = list(rows)
    return ProposalAccess(
        lead=any(org_id == proposal.lead_organisation_id for org_id, _status in rows),
        partner_statuses=frozenset(status for _org_id, status in rows if status),
    )


def _access(predicate, user, proposal):
    key = ("proposal_access", getattr(proposal, "pk", None))
    return _memoised(predicate, key, lambda: proposal_access(user, proposal))


@rules.predicate(bind=True)
def is_lead_member(self, user, proposal):
    """An accepted member (any role) of the proposal's lead organisation."""
    return _access(self, user, proposal).lead


@rules.predicate(bind=True)
def is_co_partner_member(self, user, proposal):
    """A member of an organisation invited as co-partner, or that accepted."""
    return _access(self, user, proposal).sees_as_partner


@rules.predicate(bind=True)
def is_accepted_co_partner_member(self, user, proposal):
    return _access(self, user, proposal).accepted_partner


@rules.predicate
def is_submitted_once(user, proposal):
    """The proposal has reached the steering group at least once."""
    return proposal is not None and proposal.submitted_at is not None


@rules.predicate
def is_editable_proposal(user, proposal):
    return proposal is not None and proposal.is_editable


@rules.predicate
def is_proposal_in_evaluation(user, proposal):
    return proposal is not None and proposal.status == Proposal.Status.IN_EVALUATION


@rules.predicate
def is_proposal_under_review(user, proposal):
    return proposal is not None and proposal.status in (Proposal.Status.SUBMITTED, Proposal.Status.IN_EVALUATION)


def _proposal_can_move_to(status):
    @rules.predicate(name=f"proposal_can_move_to_{status}")
    def predicate(user, proposal):
        return proposal is not None and proposal.can_move_to(status)

    return predicate


can_be_submitted = _proposal_can_move_to(Proposal.Status.SUBMITTED)
can_start_evaluation = _proposal_can_move_to(Proposal.Status.IN_EVALUATION)
can_request_changes = _proposal_can_move_to(Proposal.Status.CHANGES_REQUESTED)
can_be_decided = _proposal_can_move_to(Proposal.Status.APPROVED)
can_be_withdrawn = _proposal_can_move_to(Proposal.Status.WITHDRAWN)


@rules.predicate(bind=True)
def has_conflict_of_interest(self, user, proposal):
    """The user's organisation is a partner in the proposal, or the user declared a conflict
    (projects.conflicts). Read from the row when the list computed it for this user
    (`with_weighted_score(viewer=user)`), otherwise one query."""
    if not _authenticated(user) or proposal is None:
        return False
    if getattr(proposal, "conflict_of_interest_of", None) == user.pk:
        return proposal.conflict_of_interest
    return _memoised(self, ("conflict_of_interest", proposal.pk), lambda: is_in_conflict(user, proposal))


@rules.predicate
def has_declared_conflict_of_interest(user, proposal):
    return _authenticated(user) and proposal is not None and has_declared_conflict(user, proposal)


@rules.predicate
def is_member_of_a_verified_organisation(user, organisation=None):
    """May write proposals: for a given organisation, an accepted member of it once verified;
    without one, an accepted member of some verified organisation."""
    if not _authenticated(user):
        return False
    if organisation is not None:
        return organisation.status == Organisation.Status.VERIFIED and is_organisation_member(user, organisation)
    return Membership.objects.accepted().filter(user=user, organisation__status=Organisation.Status.VERIFIED).exists()


steering_or_staff = is_staff | is_steering_member  # the cheap question first: no query for staff
coordinator_or_staff = is_staff | is_steering_coordinator

rules.add_perm(
    "projects.view_proposal", is_lead_member | is_co_partner_member | (steering_or_staff & is_submitted_once)
)
rules.add_perm("projects.add_proposal", is_member_of_a_verified_organisation)
rules.add_perm("projects.change_proposal", is_lead_member & is_editable_proposal)
rules.add_perm("projects.submit_proposal", is_lead_member & can_be_submitted)
rules.add_perm("projects.withdraw_proposal", is_lead_member & can_be_withdrawn)
rules.add_perm("projects.start_evaluation_proposal", steering_or_staff & can_start_evaluation)
# Whoever is in conflict of interest abstains from deciding (services.conflict_refusal says why).
rules.add_perm(
    "projects.request_changes_proposal", coordinator_or_staff & can_request_changes & ~has_conflict_of_interest
)
rules.add_perm("projects.decide_proposal", coordinator_or_staff & can_be_decided & ~has_conflict_of_interest)
rules.add_perm("projects.view_review_queue", steering_or_staff)

# Evaluation: only current steering members score, never with a conflict of interest; the
# scores are internal to the steering group and staff, the lead reads the decision. The review
# page of a proposal (score, declare a conflict, the group's moves) is the whole group's; its
# evaluations (who scored, scores, comments, averages) are hidden from whoever is in conflict,
# before and after declaring it.
rules.add_perm(
    "projects.evaluate_proposal", is_steering_member & is_proposal_in_evaluation & ~has_conflict_of_interest
)
rules.add_perm(
    "projects.declare_conflict_proposal",
    is_steering_member & is_proposal_under_review & ~has_declared_conflict_of_interest,
)
rules.add_perm("projects.review_proposal", steering_or_staff & is_submitted_once)
rules.add_perm("projects.view_evaluation", steering_or_staff & is_submitted_once & ~has_conflict_of_interest)
rules.add_perm("projects.change_rubric", coordinator_or_staff)

# Co-partners and commitments: the lead invites while it may edit; each partner states its own.
rules.add_perm("projects.invite_co_partner_proposal", is_lead_member & is_editable_proposal)


@rules.predicate
def is_referent_of_partner_organisation(user, partner):
    return partner is not None and is_organisation_referent(user, partner.organisation)


@rules.predicate
def is_pending_invitation(user, partner):
    """Not answered yet, on a proposal still open to answers (not decided or withdrawn)."""
    return (
        partner is not None and partner.can_move_to(ProposalPartner.Status.ACCEPTED)
        and not partner.proposal.is_final
    )


rules.add_perm("projects.decide_proposalpartner", is_referent_of_partner_organisation & is_pending_invitation)
rules.add_perm(
    "projects.add_commitment", (is_lead_member | is_accepted_co_partner_member) & is_editable_proposal
)


@rules.predicate
def is_member_of_commitment_organisation(user, commitment):
    return commitment is not None and is_organisation_member(user, commitment.organisation)


@rules.predicate
def is_commitment_editable(user, commitment):
    return commitment is not None and commitment.proposal.is_editable


rules.add_perm("projects.change_commitment", is_member_of_commitment_organisation & is_commitment_editable)
rules.add_perm("projects.delete_commitment", is_member_of_commitment_organisation & is_commitment_editable)

# Attachments follow the proposal: whoever sees it reads them, whoever edits it manages them.
rules.add_perm("projects.add_attachment", is_lead_member & is_editable_proposal)


def _of_attachment_proposal(perm):
    @rules.predicate(name=f"attachment_proposal_{perm}")
    def predicate(user, attachment):
        return attachment is not None and user.has_perm(perm, attachment.proposal)

    return predicate


rules.add_perm("projects.view_attachment", _of_attachment_proposal("projects.view_proposal"))
rules.add_perm("projects.delete_attachment", _of_attachment_proposal("projects.change_proposal"))

# Themes and timeline: public to read (the call and the cronoprogramma are the partnership's
# public agenda); the steering group and staff write them.
rules.add_perm("projects.view_theme", rules.always_allow)
rules.add_perm("projects.add_theme", steering_or_staff)
rules.add_perm("projects.change_theme", steering_or_staff)
rules.add_perm("projects.view_milestone", rules.always_allow)
rules.add_perm("projects.add_milestone", steering_or_staff)
rules.add_perm("projects.change_milestone", steering_or_staff)

# Focus groups


@rules.predicate(bind=True)
def is_facilitator(self, user, focus_group):
    """Listed as facilitator and still a current member of the steering group."""
    if not _authenticated(user) or focus_group is None:
        return False
    facilitators = _prefetched(focus_group, "facilitators")
    if facilitators is not None:
        listed = any(f.pk == user.pk for f in facilitators)
    else:
        listed = focus_group.facilitators.filter(pk=user.pk).exists()
    return listed and _memoised(self, "steering_member", lambda: is_steering_member(user))


@rules.predicate
def is_focus_group_member(user, focus_group):
    """An accepted member of an organisation whose place in the focus group is accepted."""
    if not _authenticated(user) or focus_group is None:
        return False
    return Membership.objects.accepted().filter(
        user=user,
        organisation__focus_group_memberships__focus_group=focus_group,
        organisation__focus_group_memberships__status=FocusGroupMembership.Status.ACCEPTED,
    ).exists()


@rules.predicate
def is_referent_of_a_verified_organisation(user):
    if not _authenticated(user):
        return False
    return Membership.objects.managing().filter(user=user, organisation__status=Organisation.Status.VERIFIED).exists()


@rules.predicate
def is_pending_focus_group_membership(user, membership):
    """A request or an invitation still to answer."""
    return membership is not None and membership.can_move_to(FocusGroupMembership.Status.ACCEPTED)


@rules.predicate
def answers_focus_group_membership(user, membership):
    """Who answers it: a facilitator a request, a referent of the organisation an invitation;
    once answered, either of them (they are told it has been decided)."""
    if membership is None:
        return False
    status = membership.status
    if status != FocusGroupMembership.Status.INVITED and is_facilitator(user, membership.focus_group):
        return True
    return status != FocusGroupMembership.Status.REQUESTED and is_organisation_referent(user, membership.organisation)


def _of_meeting_focus_group(predicate):
    @rules.predicate(name=f"meeting_focus_group_{predicate.name}")
    def wrapped(user, meeting):
        return meeting is not None and predicate(user, meeting.focus_group)

    return wrapped


@rules.predicate
def has_unpublished_minutes(user, meeting):
    return meeting is not None and meeting.minutes_published_at is None


@rules.predicate
def has_published_minutes(user, meeting):
    return meeting is not None and meeting.minutes_published_at is not None


can_see_focus_group = is_staff | is_focus_group_member | is_facilitator | is_steering_member
runs_focus_group = is_staff | is_facilitator
runs_meeting = _of_meeting_focus_group(is_facilitator) | is_staff

rules.add_perm("projects.view_focusgroup", can_see_focus_group)
rules.add_perm("projects.add_focusgroup", steering_or_staff)
rules.add_perm("projects.change_focusgroup", is_facilitator | is_steering_coordinator | is_staff)
rules.add_perm("projects.invite_focusgroup", runs_focus_group)
rules.add_perm("projects.join_focusgroup", is_referent_of_a_verified_organisation)
# Whoever answers a membership but may not decide it now is told why (see projects.views).
rules.add_perm(
    "projects.decide_focusgroupmembership",
    (answers_focus_group_membership | is_staff) & is_pending_focus_group_membership,
)
rules.add_perm("projects.add_meeting", runs_focus_group)
rules.add_perm("projects.view_meeting", _of_meeting_focus_group(can_see_focus_group))
rules.add_perm("projects.change_meeting", runs_meeting)
rules.add_perm("projects.change_meeting_minutes", runs_meeting & has_unpublished_minutes)
rules.add_perm("projects.publish_meeting_minutes", runs_meeting & has_unpublished_minutes)
rules.add_perm(
    "projects.view_meeting_minutes",
    runs_meeting | (has_published_minutes & _of_meeting_focus_group(can_see_focus_group)),
)
rules.add_perm("projects.add_attendance", runs_meeting)

# The rubric: the whole steering group reads the criteria it scores against; the coordinator
# and staff change them (projects.change_rubric above).
rules.add_perm("projects.view_rubric", steering_or_staff)


@rules.predicate
def is_inactive_rubric(user, rubric):
    return rubric is not None and not rubric.is_active


rules.add_perm("projects.activate_rubric", coordinator_or_staff & is_inactive_rubric)

# The Django admin, for staff: the app, and the lists its pages ask for without an object.
# Proposals and evaluations are listed as the review queue (`projects.view_review_queue`, see
# projects.admin); focus-group memberships change only through the admin's actions.
rules.add_perm("projects", is_staff)
rules.add_perm("projects.view_focusgroupmembership", is_staff)
rules.add_perm("projects.add_rubric", coordinator_or_staff)
for _action in ("add", "change", "delete"):
    rules.add_perm(f"projects.{_action}_criterion", coordinator_or_staff)
