"""Role × state matrix for the projects permissions, through `user.has_perm` as views call it.

Staff are the staff who exist: `UserFactory(staff=True)`, `is_staff` and not superusers. Their
powers come from these rules, states included, like everybody else's.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from partners.models import Membership
from projects import services
from projects.models import FocusGroupMembership, Proposal, ProposalPartner, Rubric
from projects.rules import answers_focus_group_membership
from projects.tests.factories import (
    CommitmentFactory,
    FocusGroupFactory,
    FocusGroupMembershipFactory,
    MeetingFactory,
    MembershipFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    RubricFactory,
    SteeringGroupMemberFactory,
    UserFactory,
    steering_member,
)

pytestmark = pytest.mark.django_db

Status = Proposal.Status
ROLES = [
    "anonymous", "outsider", "pending_lead_member", "lead_member", "invited_partner", "accepted_partner",
    "declined_partner", "steering", "coordinator", "ended_steering", "staff",
]


def make_actor(role, proposal):
    if role == "anonymous":
        return AnonymousUser()
    if role == "outsider":
        return MembershipFactory().user  # a member of another verified organisation
    if role == "pending_lead_member":
        return MembershipFactory(organisation=proposal.lead_organisation, pending=True).user
    if role == "lead_member":
        return MembershipFactory(organisation=proposal.lead_organisation).user
    if role.endswith("_partner"):
        status = {"invited": "invited", "accepted": "accepted", "declined": "declined"}[role.split("_")[0]]
        partner = ProposalPartnerFactory(proposal=proposal, status=status)
        return MembershipFactory(organisation=partner.organisation).user
    if role == "steering":
        return steering_member()
    if role == "coordinator":
        return steering_member(coordinator=True)
    if role == "ended_steering":
        return SteeringGroupMemberFactory(ended=True).user
    assert role == "staff"
    staff = UserFactory(staff=True)
    assert not staff.is_superuser
    return staff


def _matrix():
    return [(role, status) for role in ROLES for status in Status]


REVIEWERS = {"steering", "coordinator", "staff"}
PARTNER_SEES = {"lead_member", "invited_partner", "accepted_partner"}


@pytest.mark.parametrize("role, status", _matrix())
def test_view_proposal(role, status):
    proposal = ProposalFactory(status=status)
    user = make_actor(role, proposal)
    expected = role in PARTNER_SEES or (role in REVIEWERS and proposal.submitted_at is not None)
    assert user.has_perm("projects.view_proposal", proposal) is expected
    assert (proposal in Proposal.objects.for_user(user)) is expected


def test_partner_never_sees_another_organisation_draft():
    draft = ProposalFactory()
    other = MembershipFactory(role=Membership.Role.REFERENT).user
    assert not other.has_perm("projects.view_proposal", draft)
    assert draft not in Proposal.objects.for_user(other)


def test_withdrawn_after_submission_stays_visible_to_the_steering_group():
    proposal = ProposalFactory(status=Status.WITHDRAWN, submitted_at=timezone.now())
    assert steering_member().has_perm("projects.view_proposal", proposal)


EXPECTED = {
    # perm: (roles allowed, statuses in which they are)
    "projects.change_proposal": ({"lead_member"}, {Status.DRAFT, Status.CHANGES_REQUESTED}),
    "projects.submit_proposal": ({"lead_member"}, {Status.DRAFT, Status.CHANGES_REQUESTED}),
    "projects.withdraw_proposal": (
        {"lead_member"}, {Status.DRAFT, Status.SUBMITTED, Status.IN_EVALUATION, Status.CHANGES_REQUESTED},
    ),
    "projects.start_evaluation_proposal": ({"steering", "coordinator", "staff"}, {Status.SUBMITTED}),
    "projects.request_changes_proposal": ({"coordinator", "staff"}, {Status.IN_EVALUATION}),
    "projects.decide_proposal": ({"coordinator", "staff"}, {Status.IN_EVALUATION}),
    "projects.evaluate_proposal": ({"steering", "coordinator"}, {Status.IN_EVALUATION}),
    "projects.declare_conflict_proposal": ({"steering", "coordinator"}, {Status.SUBMITTED, Status.IN_EVALUATION}),
    "projects.invite_co_partner_proposal": ({"lead_member"}, {Status.DRAFT, Status.CHANGES_REQUESTED}),
    "projects.add_commitment": ({"lead_member", "accepted_partner"}, {Status.DRAFT, Status.CHANGES_REQUESTED}),
    "projects.add_attachment": ({"lead_member"}, {Status.DRAFT, Status.CHANGES_REQUESTED}),
    "projects.view_evaluation": ({"steering", "coordinator", "staff"}, set(Status) - {Status.DRAFT, Status.WITHDRAWN}),
}


@pytest.mark.parametrize("perm", list(EXPECTED))
@pytest.mark.parametrize("role, status", _matrix())
def test_proposal_permissions(perm, role, status):
    proposal = ProposalFactory(status=status)
    user = make_actor(role, proposal)
    roles, statuses = EXPECTED[perm]
    assert user.has_perm(perm, proposal) is (role in roles and status in statuses)


@pytest.mark.parametrize("perm", ["projects.request_changes_proposal", "projects.decide_proposal"])
@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_whoever_is_in_conflict_may_not_decide(perm, role):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    user = make_actor(role, proposal)
    assert user.has_perm(perm, proposal)
    MembershipFactory(user=user, organisation=proposal.lead_organisation)
    assert not user.has_perm(perm, proposal)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_EVALUATION])
def test_a_conflict_is_declared_once(status):
    proposal = ProposalFactory(status=status)
    user = steering_member()
    assert user.has_perm("projects.declare_conflict_proposal", proposal)
    services.declare_conflict(proposal, by=user)
    assert not user.has_perm("projects.declare_conflict_proposal", proposal)


def test_evaluator_with_a_conflict_may_not_evaluate():
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    user = steering_member()
    assert user.has_perm("projects.evaluate_proposal", proposal)
    MembershipFactory(user=user, organisation=proposal.lead_organisation)
    assert not user.has_perm("projects.evaluate_proposal", proposal)


@pytest.mark.parametrize("perm", ["projects.view_review_queue", "projects.add_theme", "projects.add_milestone",
                                  "projects.add_focusgroup"])
@pytest.mark.parametrize("role", ["anonymous", "outsider", "steering", "coordinator", "ended_steering", "staff"])
def test_steering_group_and_staff_permissions(perm, role):
    user = make_actor(role, None)
    assert user.has_perm(perm) is (role in REVIEWERS)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "steering", "coordinator", "staff"])
def test_change_rubric_is_for_the_coordinator_and_staff(role):
    user = make_actor(role, None)
    changes = role in {"coordinator", "staff"}
    assert user.has_perm("projects.change_rubric") is changes
    active = Rubric.objects.active().get()
    assert not user.has_perm("projects.activate_rubric", active)
    assert user.has_perm("projects.activate_rubric", RubricFactory()) is changes


def test_themes_and_timeline_are_public_to_read():
    assert AnonymousUser().has_perm("projects.view_theme")
    assert AnonymousUser().has_perm("projects.view_milestone")


@pytest.mark.parametrize("membership", [None, "member", "referent", "pending"])
def test_add_proposal_needs_an_accepted_membership_of_a_verified_organisation(membership):
    user = UserFactory()
    organisation = None
    if membership == "pending":
        organisation = MembershipFactory(user=user, pending=True).organisation
    elif membership is not None:
        role = Membership.Role.REFERENT if membership == "referent" else Membership.Role.MEMBER
        organisation = MembershipFactory(user=user, role=role).organisation
    expected = membership in {"member", "referent"}
    assert user.has_perm("projects.add_proposal") is expected
    if organisation is not None:
        assert user.has_perm("projects.add_proposal", organisation) is expected
        organisation.status = "pending"
        assert not user.has_perm("projects.add_proposal", organisation)


@pytest.mark.parametrize("role", ["lead_member", "accepted_partner", "other_member", "referent_of_partner"])
def test_change_commitment_only_by_its_organisation_while_editable(role):
    partner = ProposalPartnerFactory(status=ProposalPartner.Status.ACCEPTED)
    commitment = CommitmentFactory(proposal=partner.proposal, organisation=partner.organisation)
    user = {
        "lead_member": lambda: MembershipFactory(organisation=partner.proposal.lead_organisation).user,
        "accepted_partner": lambda: MembershipFactory(organisation=partner.organisation).user,
        "other_member": lambda: MembershipFactory().user,
        "referent_of_partner": lambda: MembershipFactory(
            organisation=partner.organisation, role=Membership.Role.REFERENT
        ).user,
    }[role]()
    expected = role in {"accepted_partner", "referent_of_partner"}
    assert user.has_perm("projects.change_commitment", commitment) is expected
    commitment.proposal.status = Status.SUBMITTED
    assert not user.has_perm("projects.change_commitment", commitment)


@pytest.mark.parametrize("role", ["referent", "member", "lead_referent", "staff"])
@pytest.mark.parametrize("status", list(ProposalPartner.Status))
@pytest.mark.parametrize("proposal_status", list(Status))
def test_decide_proposalpartner(role, status, proposal_status):
    """The invited organisation's referent answers, while the proposal is not decided or withdrawn."""
    partner = ProposalPartnerFactory(status=status, proposal=ProposalFactory(status=proposal_status))
    if role == "staff":
        user = make_actor("staff", None)
    else:
        organisation = partner.proposal.lead_organisation if role == "lead_referent" else partner.organisation
        member_role = Membership.Role.MEMBER if role == "member" else Membership.Role.REFERENT
        user = MembershipFactory(organisation=organisation, role=member_role).user
    final = proposal_status in {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}
    expected = role == "referent" and status == ProposalPartner.Status.INVITED and not final
    assert user.has_perm("projects.decide_proposalpartner", partner) is expected


# Focus groups


FG_ROLES = [
    "anonymous", "outsider", "member", "requested", "invited", "facilitator", "ex_facilitator", "steering", "staff",
]


def make_fg_actor(role, focus_group):
    if role == "anonymous":
        return AnonymousUser()
    if role in {"member", "requested", "invited"}:
        status = {"member": "accepted", "requested": "requested", "invited": "invited"}[role]
        membership = FocusGroupMembershipFactory(focus_group=focus_group, status=status)
        return MembershipFactory(organisation=membership.organisation).user
    if role in {"facilitator", "ex_facilitator"}:
        seat = SteeringGroupMemberFactory(ended=role == "ex_facilitator")
        focus_group.facilitators.add(seat.user)
        return seat.user
    return make_actor(role, None)


@pytest.mark.parametrize("role", FG_ROLES)
def test_view_focus_group(role):
    focus_group = FocusGroupFactory()
    user = make_fg_actor(role, focus_group)
    expected = role in {"member", "facilitator", "steering", "staff"}
    assert user.has_perm("projects.view_focusgroup", focus_group) is expected


@pytest.mark.parametrize("role", FG_ROLES)
@pytest.mark.parametrize("published", [False, True])
def test_minutes_visible_to_members_only_once_published(role, published):
    focus_group = FocusGroupFactory()
    meeting = MeetingFactory(focus_group=focus_group, minutes="Verbale.",
                             minutes_published_at=timezone.now() if published else None)
    user = make_fg_actor(role, focus_group)
    runs = role in {"facilitator", "staff"}
    sees_group = role in {"member", "facilitator", "steering", "staff"}
    assert user.has_perm("projects.view_meeting_minutes", meeting) is (runs or (published and sees_group))
    assert user.has_perm("projects.publish_meeting_minutes", meeting) is (runs and not published)
    assert user.has_perm("projects.change_meeting_minutes", meeting) is (runs and not published)
    assert user.has_perm("projects.view_meeting", meeting) is sees_group


@pytest.mark.parametrize("role", FG_ROLES)
def test_run_focus_group(role):
    focus_group = FocusGroupFactory()
    meeting = MeetingFactory(focus_group=focus_group)
    user = make_fg_actor(role, focus_group)
    runs = role in {"facilitator", "staff"}
    assert user.has_perm("projects.invite_focusgroup", focus_group) is runs
    assert user.has_perm("projects.add_meeting", focus_group) is runs
    assert user.has_perm("projects.change_meeting", meeting) is runs
    assert user.has_perm("projects.add_attendance", meeting) is runs


@pytest.mark.parametrize("status", list(FocusGroupMembership.Status))
@pytest.mark.parametrize("role", ["facilitator", "referent", "member", "steering", "staff"])
def test_decide_focus_group_membership(status, role):
    """A facilitator decides a request, a referent an invitation, staff either; nobody decides twice.
    Who answers it hears why it is decided (`answers_focus_group_membership`)."""
    focus_group = FocusGroupFactory()
    membership = FocusGroupMembershipFactory(focus_group=focus_group, status=status)
    if role == "facilitator":
        user = make_fg_actor("facilitator", focus_group)
    elif role in {"referent", "member"}:
        member_role = Membership.Role.REFERENT if role == "referent" else Membership.Role.MEMBER
        user = MembershipFactory(organisation=membership.organisation, role=member_role).user
    else:
        user = make_actor(role, None)
    pending = status in {"requested", "invited"}
    expected = (
        (status == "requested" and role == "facilitator") or (status == "invited" and role == "referent")
        or (pending and role == "staff")
    )
    assert user.has_perm("projects.decide_focusgroupmembership", membership) is expected
    answers = {"requested": {"facilitator"}, "invited": {"referent"}}.get(status, {"facilitator", "referent"})
    assert answers_focus_group_membership(user, membership) is (role in answers)


ADMIN_PERMS = [
    "projects", "projects.view_theme", "projects.add_theme", "projects.change_theme", "projects.view_focusgroup",
    "projects.add_focusgroup", "projects.change_focusgroup", "projects.view_focusgroupmembership",
    "projects.add_meeting", "projects.change_meeting", "projects.view_milestone", "projects.add_milestone",
    "projects.change_milestone", "projects.view_rubric", "projects.add_rubric", "projects.change_rubric",
    "projects.add_criterion", "projects.change_criterion", "projects.delete_criterion",
    "projects.view_review_queue",
]
NOT_IN_THE_ADMIN = [
    "projects.delete_theme", "projects.delete_focusgroup", "projects.change_focusgroupmembership",
    "projects.delete_focusgroupmembership", "projects.delete_meeting", "projects.delete_milestone",
    "projects.delete_rubric", "projects.add_proposal", "projects.change_proposal", "projects.delete_proposal",
    "projects.view_proposal", "projects.add_evaluation", "projects.change_evaluation", "projects.delete_evaluation",
    "projects.view_evaluation",
]


def test_the_admin_asks_the_rules_and_staff_get_what_they_need():
    """What the admin asks without an object. Proposals and evaluations are listed as the review
    queue (projects.admin), each one then by its own rule: never without an object."""
    staff = make_actor("staff", None)
    assert staff.has_module_perms("projects")
    for perm in ADMIN_PERMS:
        assert staff.has_perm(perm), perm
    for perm in NOT_IN_THE_ADMIN:
        assert not staff.has_perm(perm), perm
    for role in ("anonymous", "outsider", "steering", "coordinator"):
        assert not make_actor(role, None).has_module_perms("projects"), role


def test_join_focus_group_needs_a_referent_of_a_verified_organisation():
    assert MembershipFactory(role=Membership.Role.REFERENT).user.has_perm("projects.join_focusgroup")
    assert not MembershipFactory().user.has_perm("projects.join_focusgroup")


# Queries


def test_proposal_predicates_read_prefetched_data(django_assert_num_queries):
    proposal = ProposalFactory(status=Status.DRAFT)
    lead = MembershipFactory(organisation=proposal.lead_organisation).user
    partner = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    co_partner = MembershipFactory(organisation=partner.organisation).user
    loaded = Proposal.objects.with_access_data().get(pk=proposal.pk)
    with django_assert_num_queries(0):
        assert lead.has_perm("projects.change_proposal", loaded)
        assert lead.has_perm("projects.view_proposal", loaded)
        assert co_partner.has_perm("projects.view_proposal", loaded)
        assert co_partner.has_perm("projects.add_commitment", loaded)
        assert not co_partner.has_perm("projects.change_proposal", loaded)


def test_proposal_predicate_without_prefetch_asks_one_query(django_assert_num_queries):
    proposal = ProposalFactory()
    lead = MembershipFactory(organisation=proposal.lead_organisation).user
    with django_assert_num_queries(1):
        assert lead.has_perm("projects.view_proposal", proposal)


def test_rules_are_registered():
    for perm in [
        "projects.view_proposal", "projects.change_proposal", "projects.submit_proposal",
        "projects.start_evaluation_proposal", "projects.request_changes_proposal", "projects.decide_proposal",
        "projects.withdraw_proposal", "projects.evaluate_proposal", "projects.view_focusgroup",
        "projects.publish_meeting_minutes", "projects.change_milestone",
    ]:
        assert rules.perm_exists(perm)
