"""Role × state matrix for every partners permission, through `user.has_perm` as views call it.

Staff here are `is_staff` without being superusers: Django answers True to superusers for
every permission, state included, which is why services check TRANSITIONS themselves.
"""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from partners.models import Membership, Organisation
from partners.rules import is_staff, is_steering_coordinator, is_steering_member
from partners.tests.factories import MembershipFactory, OrganisationFactory, SteeringGroupMemberFactory
from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "outsider", "requester", "member", "referent", "legal_representative",
    "confirmed_legal_representative", "staff",
]
ORG_STATES = list(Organisation.Status)
MEMBERSHIP_STATES = list(Membership.Status)
MANAGERS = {"referent", "confirmed_legal_representative", "staff"}


def make_actor(role, organisation):
    if role == "anonymous":
        return AnonymousUser()
    if role == "staff":
        return UserFactory(is_staff=True)
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


@pytest.mark.parametrize("role, state", _matrix(MEMBERSHIP_STATES))
def test_confirm_legal_representative(role, state):
    organisation = OrganisationFactory(verified=True)
    membership = MembershipFactory(
        organisation=organisation, status=state, role=Membership.Role.LEGAL_REPRESENTATIVE
    )
    user = make_actor(role, organisation)
    expected = role == "staff" and state == Membership.Status.ACCEPTED
    assert user.has_perm("partners.confirm_legal_representative", membership) is expected


@pytest.mark.parametrize("role", ROLES)
def test_appoint_steering_member(role):
    user = make_actor(role, OrganisationFactory(verified=True))
    assert user.has_perm("partners.appoint_steering_member") is (role == "staff")


def test_staff_can_view_and_change_organisations_in_the_admin_list():
    # The admin asks without an object; only staff get a yes.
    staff = UserFactory(is_staff=True)
    referent = UserFactory()
    OrganisationFactory(referent=referent)
    assert staff.has_perm("partners.view_organisation") and staff.has_perm("partners.change_organisation")
    assert not referent.has_perm("partners.change_organisation")
    assert not AnonymousUser().has_perm("partners.view_organisation")


def test_superuser_is_granted_every_permission_by_django():
    superuser = UserFactory(staff=True)
    assert superuser.has_perm("partners.verify_organisation", OrganisationFactory(verified=True))


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
