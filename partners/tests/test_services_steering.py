"""appoint_steering_member from the staff pages: only people who can log in, told by email."""

import datetime

import pytest
from django.core import mail

from partners import services
from partners.models import SteeringGroupMember
from partners.services import PartnersError
from partners.tests.factories import SteeringGroupMemberFactory
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def test_appointment_emails_the_person_once_committed(staff, django_capture_on_commit_callbacks):
    person = UserFactory(full_name="Anna Ricci")
    with django_capture_on_commit_callbacks() as callbacks:
        seat = services.appoint_steering_member(
            by=staff, user=person, municipality=MunicipalityFactory(name="Parabiago"),
        )
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    [email] = mail.outbox
    assert email.to == [person.email]
    assert "Parabiago" in email.body
    assert seat.appointed_by == staff


@pytest.mark.parametrize("person", ["inactive", "unconfirmed_email"])
def test_appointment_refused_for_people_who_cannot_log_in(staff, person, django_capture_on_commit_callbacks):
    user = UserFactory(is_active=False) if person == "inactive" else UserFactory(verified_email=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PartnersError):
        services.appoint_steering_member(by=staff, user=user, municipality=MunicipalityFactory())
    assert not SteeringGroupMember.objects.exists()
    assert mail.outbox == []


def test_refused_appointment_sends_nothing(staff, django_capture_on_commit_callbacks):
    seat = SteeringGroupMemberFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PartnersError, match="already has a seat"):
        services.appoint_steering_member(by=staff, user=seat.user, municipality=MunicipalityFactory())
    assert SteeringGroupMember.objects.count() == 1
    assert mail.outbox == []


def test_non_staff_cannot_appoint(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PartnersError, match="not allowed"):
        services.appoint_steering_member(
            by=UserFactory(), user=UserFactory(), municipality=MunicipalityFactory()
        )
    assert not SteeringGroupMember.objects.exists()
    assert mail.outbox == []


def test_rights_follow_a_seat_change_made_on_the_same_user_object(staff):
    """The current seat is remembered per user object; appointing and ending forget it."""
    user = UserFactory(totp=True)  # a seat gives powers only with two-factor authentication
    assert not user.has_perm("partners.view_outreachcontact")
    seat = services.appoint_steering_member(by=staff, user=user, municipality=MunicipalityFactory())
    assert user.has_perm("partners.view_outreachcontact")
    yesterday = seat.start_date - datetime.timedelta(days=1)
    seat.start_date = yesterday - datetime.timedelta(days=10)
    seat.save()
    services.end_steering_membership(seat, by=staff, end_date=yesterday)
    assert not seat.user.has_perm("partners.view_outreachcontact")
