"""Role × state matrix for every partners permission, through `user.has_perm` as views call it.

Staff are the staff who exist: `UserFactory(staff=True)`, `is_staff` and not superusers. Their
powers come from these rules, states included, like everybody else's.
"""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from partners.models import EventRegistration, Membership, Organisation, OutreachContact
from partners.rules import is_staff, is_steering_coordinator, is_steering_member
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    OutreachContactFactory,
    SteeringGroupMemberFactory,
)
from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "outsider", "requester", "member", "referent", "legal_representative",
    "confirmed_legal_representative", "staff",
]
ORG_STATES = list(Organisation.Status)
MEMBERSHIP_STATES = list(Membership.Status)
MANAGERS = {"referent", "confirmed_legal_representative", "staff"}


def staff_member():
    staff = UserFactory(staff=True)
    assert staff.is_staff and not staff.is_superuser
    return staff


def make_actor(role, organisation):
    if role == "anonymous":
        return AnonymousUser()
    if role == "staff":
        return staff_member()
    user = UserFactory()
    membership_kwargs = {
        "outsider": None,
        "requester": {"pending": True},
        "member": {},
        "referent": {"role": Membership.Role.REFERENT},
        "legal_representative": {"role": Membership.Role.LEGAL_REPRESENTATIVE},
        "confirmed_legal_representative": {"confirmed_legal_representative": True},
    }[role]
    if membership_kwargs is not None:
        MembershipFactory(user=user, organisation=organisation, **membership_kwargs)
    return user


def _matrix(states):
    return [(role, state) for role in ROLES for state in states]


@pytest.mark.parametrize("role, state", _matrix(ORG_STATES))
def test_view_organisation(role, state):
    organisation = OrganisationFactory(status=state)
    user = make_actor(role, organisation)
    expected = state == Organisation.Status.VERIFIED or role not in {"anonymous", "outsider", "requester"}
    assert user.has_perm("partners.view_organisation", organisation) is expected


@pytest.mark.parametrize("role, state", _matrix(ORG_STATES))
def test_change_organisation(role, state):
    organisation = OrganisationFactory(status=state)
    user = make_actor(role, organisation)
    assert user.has_perm("partners.change_organisation", organisation) is (role in MANAGERS)


@pytest.mark.parametrize("perm", ["partners.verify_organisation", "partners.reject_organisation"])
@pytest.mark.parametrize("role, state", _matrix(ORG_STATES))
def test_verify_and_reject_organisation(perm, role, state):
    organisation = OrganisationFactory(status=state)
    user = make_actor(role, organisation)
    expected = role == "staff" and state == Organisation.Status.PENDING
    assert user.has_perm(perm, organisation) is expected


@pytest.mark.parametrize("role, state", _matrix(ORG_STATES))
def test_resubmit_organisation(role, state):
    organisation = OrganisationFactory(status=state)
    user = make_actor(role, organisation)
    expected = role in MANAGERS and state == Organisation.Status.REJECTED
    assert user.has_perm("partners.resubmit_organisation", organisation) is expected


@pytest.mark.parametrize("role, state", _matrix(MEMBERSHIP_STATES))
def test_decide_membership(role, state):
    organisation = OrganisationFactory(verified=True)
    membership = MembershipFactory(organisation=organisation, status=state)
    user = make_actor(role, organisation)
    expected = role in MANAGERS and state == Membership.Status.PENDING
    assert user.has_perm("partners.decide_membership", membership) is expected


def test_referent_of_another_organisation_cannot_decide_membership():
    referent = UserFactory()
    OrganisationFactory(verified=True, referent=referent)
    assert not referent.has_perm("partners.decide_membership", MembershipFactory(pending=True))


@pytest.mark.parametrize("role, state", _matrix([*MEMBERSHIP_STATES, "confirmed"]))
def test_confirm_legal_representative(role, state):
    """Staff confirm an accepted member, once."""
    organisation = OrganisationFactory(verified=True)
    if state == "confirmed":
        membership = MembershipFactory(organisation=organisation, confirmed_legal_representative=True)
    else:
        membership = MembershipFactory(
            organisation=organisation, status=state, role=Membership.Role.LEGAL_REPRESENTATIVE
        )
    user = make_actor(role, organisation)
    expected = role == "staff" and state == Membership.Status.ACCEPTED
    assert user.has_perm("partners.confirm_legal_representative", membership) is expected


@pytest.mark.parametrize("role, state", _matrix(ORG_STATES))
def test_join_organisation(role, state):
    """A verified organisation, by whoever has not asked yet (anonymous people are asked to log in)."""
    organisation = OrganisationFactory(status=state)
    user = make_actor(role, organisation)
    expected = state == Organisation.Status.VERIFIED and role in {"anonymous", "outsider", "staff"}
    assert user.has_perm("partners.join_organisation", organisation) is expected


@pytest.mark.parametrize("role, state", _matrix(ORG_STATES))
def test_change_organisation_tax_code(role, state):
    """Referents until staff verify the organisation; staff always."""
    organisation = OrganisationFactory(status=state)
    user = make_actor(role, organisation)
    expected = role == "staff" or (role in MANAGERS and state != Organisation.Status.VERIFIED)
    assert user.has_perm("partners.change_organisation_tax_code", organisation) is expected


BOARD_ROLES = ["anonymous", "partner", "steering_member", "ended_member", "staff"]


def board_actor(role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "staff":
        return staff_member()
    user = MembershipFactory().user
    if role in {"steering_member", "ended_member"}:
        SteeringGroupMemberFactory(user=user, ended=role == "ended_member")
    return user


RUNS_THE_BOARD = {"steering_member", "staff"}


@pytest.mark.parametrize("role", BOARD_ROLES)
@pytest.mark.parametrize("state", list(OutreachContact.Status))
def test_outreach_contact_permissions(role, state):
    contact = OutreachContactFactory(status=state)
    user = board_actor(role)
    runs = role in RUNS_THE_BOARD
    for perm in ("view", "add", "change"):
        assert user.has_perm(f"partners.{perm}_outreachcontact", contact) is runs
    joined = state == OutreachContact.Status.JOINED
    assert user.has_perm("partners.invite_outreachcontact", contact) is (runs and not joined)
    has_moves = bool(OutreachContact.TRANSITIONS[state])
    assert user.has_perm("partners.move_outreachcontact", contact) is (runs and has_moves)


@pytest.mark.parametrize("role", BOARD_ROLES)
@pytest.mark.parametrize("event_state", ["open", "closed", "past"])
def test_event_permissions(role, event_state):
    event = EventFactory(registration_open=event_state != "closed", past=event_state == "past")
    user = board_actor(role)
    runs = role in RUNS_THE_BOARD
    assert user.has_perm("partners.view_event", event)
    assert user.has_perm("partners.register_event", event) is (event_state == "open")
    assert user.has_perm("partners.add_event") is runs
    assert user.has_perm("partners.change_event", event) is runs
    assert user.has_perm("partners.view_eventregistration", event) is runs


@pytest.mark.parametrize("role", BOARD_ROLES)
@pytest.mark.parametrize("state", list(EventRegistration.Status))
@pytest.mark.parametrize("past", [False, True])
def test_cancel_eventregistration(role, state, past):
    """Organisers cancel a live registration until the event takes place."""
    registration = EventRegistrationFactory(event=EventFactory(past=past), status=state)
    user = board_actor(role)
    expected = role in RUNS_THE_BOARD and state != EventRegistration.Status.CANCELLED and not past
    assert user.has_perm("partners.cancel_eventregistration", registration) is expected


@pytest.mark.parametrize("role", ROLES)
def test_appoint_steering_member(role):
    user = make_actor(role, OrganisationFactory(verified=True))
    assert user.has_perm("partners.appoint_steering_member") is (role == "staff")


def test_staff_can_view_and_change_organisations_in_the_admin_list():
    # The admin asks without an object; only staff get a yes.
    staff = staff_member()
    referent = UserFactory()
    OrganisationFactory(referent=referent)
    assert staff.has_perm("partners.view_organisation") and staff.has_perm("partners.change_organisation")
    assert not referent.has_perm("partners.change_organisation")
    assert not AnonymousUser().has_perm("partners.view_organisation")


ADMIN_PERMS = [
    "partners", "partners.view_organisation", "partners.change_organisation", "partners.view_membership",
    "partners.view_steeringgroupmember", "partners.add_steeringgroupmember", "partners.view_event",
    "partners.add_event", "partners.change_event", "partners.view_eventregistration",
    "partners.view_outreachcontact", "partners.add_outreachcontact", "partners.change_outreachcontact",
]
NOT_IN_THE_ADMIN = [
    "partners.add_organisation", "partners.delete_organisation", "partners.change_membership",
    "partners.delete_membership", "partners.change_steeringgroupmember", "partners.delete_steeringgroupmember",
    "partners.delete_event", "partners.add_eventregistration", "partners.change_eventregistration",
    "partners.delete_eventregistration", "partners.delete_outreachcontact",
]


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_asks_the_rules_and_only_staff_get_in(role):
    """Module and model permissions without an object, as the admin asks them; a steering
    member runs the board on the portal but has no admin (not `is_staff`)."""
    user = make_actor(role, OrganisationFactory(verified=True))
    for perm in ADMIN_PERMS:
        expected = role == "staff" or (perm == "partners.view_event")
        assert user.has_perm(perm) is expected, perm
    assert user.has_module_perms("partners") is (role == "staff")
    for perm in NOT_IN_THE_ADMIN:
        assert not user.has_perm(perm), perm


def test_a_superuser_flag_alone_is_no_role():
    """The emergency account is not how a feature decides: without `is_staff` the rules give it
    nothing (Django alone lets it through), and staff need no flag."""
    staff = staff_member()
    pending = OrganisationFactory()
    assert staff.has_perm("partners.verify_organisation", pending)
    assert not is_staff(UserFactory(is_superuser=True))
    assert is_staff(staff)


def test_membership_predicates_use_prefetched_memberships(django_assert_num_queries):
    referent = UserFactory()
    OrganisationFactory(verified=True, referent=referent)
    organisation = Organisation.objects.prefetch_related("memberships").get()
    with django_assert_num_queries(0):
        assert referent.has_perm("partners.change_organisation", organisation)
        assert referent.has_perm("partners.view_organisation", organisation)


SEATS = {
    "none": None,
    "member": lambda today: {},
    "coordinator": lambda today: {"coordinator": True},
    "ended": lambda today: {"ended": True},
    "ends_today": lambda today: {"end_date": today},
    "starts_tomorrow": lambda today: {"start_date": today + datetime.timedelta(days=1)},
    "starts_today": lambda today: {"start_date": today},
}


@pytest.mark.parametrize("seat", list(SEATS))
def test_steering_predicates(seat):
    user = UserFactory()
    if SEATS[seat] is not None:
        SteeringGroupMemberFactory(user=user, **SEATS[seat](timezone.localdate()))
    current = seat in {"member", "coordinator", "ends_today", "starts_today"}
    assert is_steering_member(user) is current
    assert is_steering_coordinator(user) is (seat == "coordinator")


def test_steering_predicates_refuse_anonymous_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not is_steering_member(AnonymousUser())
        assert not is_steering_coordinator(AnonymousUser())


def test_steering_predicate_is_two_queries_once_per_user_object(django_assert_num_queries):
    user = UserFactory()
    SteeringGroupMemberFactory(user=user, ended=True)
    SteeringGroupMemberFactory(user=user, coordinator=True)
    with django_assert_num_queries(2):  # the strongest current seat, the authenticator app
        assert is_steering_coordinator(user)
    with django_assert_num_queries(0):
        assert is_steering_member(user) and is_staff(user) is False


def test_past_coordinator_now_member_is_not_coordinator():
    user = UserFactory()
    SteeringGroupMemberFactory(user=user, coordinator=True, ended=True)
    SteeringGroupMemberFactory(user=user)
    assert is_steering_member(user)
    assert not is_steering_coordinator(user)


def test_rules_are_registered():
    for perm in [
        "partners.view_organisation", "partners.change_organisation", "partners.verify_organisation",
        "partners.decide_membership", "partners.confirm_legal_representative",
    ]:
        assert rules.perm_exists(perm)
