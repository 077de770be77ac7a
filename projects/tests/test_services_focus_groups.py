"""Focus groups: facilitators from the steering group, joining on request or by invitation,
meetings, minutes and attendance."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import Membership
from projects import services
from projects.models import Attendance, FocusGroup, FocusGroupMembership, Meeting
from projects.services import ProjectsError
from projects.tests.factories import (
    FocusGroupFactory,
    FocusGroupMembershipFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    SteeringGroupMemberFactory,
    ThemeFactory,
    UserFactory,
    steering_member,
)

pytestmark = pytest.mark.django_db

FGStatus = FocusGroupMembership.Status
DAY = datetime.timedelta(days=1)


def _referent(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT).user


@pytest.fixture
def facilitator():
    return steering_member()


@pytest.fixture
def focus_group(facilitator):
    return FocusGroupFactory(facilitators=[facilitator])


# Focus groups and facilitators


def test_steering_member_creates_a_focus_group_with_steering_facilitators():
    creator = steering_member()
    other = steering_member()
    focus_group = services.create_focus_group(
        ThemeFactory(), by=creator, title="Anziani soli", facilitators=[creator, other],
    )
    assert set(focus_group.facilitators.all()) == {creator, other}
    assert focus_group.created_by == creator


def test_facilitators_must_be_current_steering_members():
    creator = steering_member()
    past = SteeringGroupMemberFactory(ended=True).user
    outsider = UserFactory(full_name="Anna Verdi")
    with pytest.raises(ValidationError) as excinfo:
        services.create_focus_group(ThemeFactory(), by=creator, title="X", facilitators=[creator, past, outsider])
    assert "Anna Verdi" in excinfo.value.message_dict["facilitators"][0]
    assert str(past) in excinfo.value.message_dict["facilitators"][0]
    assert not FocusGroup.objects.exists()


def test_focus_group_creation_refused_to_partners():
    user = MembershipFactory().user
    with pytest.raises(ProjectsError, match="not allowed"):
        services.create_focus_group(ThemeFactory(), by=user, title="X")
    assert not FocusGroup.objects.exists()


def test_update_focus_group_by_facilitator_and_refused_to_other_steering_members(focus_group, facilitator):
    with pytest.raises(ProjectsError, match="not allowed"):
        services.update_focus_group(focus_group, by=steering_member(), title="Altro")
    services.update_focus_group(focus_group, by=facilitator, title="Nuovo titolo")
    focus_group.refresh_from_db()
    assert focus_group.title == "Nuovo titolo"


# Joining


def test_referent_asks_to_join_and_facilitators_are_told(focus_group, facilitator, on_commit):
    organisation = OrganisationFactory(verified=True)
    referent = _referent(organisation)
    with on_commit():
        membership = services.request_to_join_focus_group(focus_group, by=referent, organisation=organisation)
    assert (membership.status, membership.requested_by) == (FGStatus.REQUESTED, referent)
    assert [m.to for m in mail.outbox] == [[facilitator.email]]

    mail.outbox.clear()
    with on_commit():
        services.accept_focus_group_membership(membership, by=facilitator)
    membership.refresh_from_db()
    assert (membership.status, membership.decided_by) == (FGStatus.ACCEPTED, facilitator)
    # The referent who waited learns the answer.
    assert [m.to for m in mail.outbox] == [[referent.email]]
    assert "was accepted" in mail.outbox[0].subject


def test_a_declined_request_is_told_to_the_referents(focus_group, facilitator, on_commit):
    membership = FocusGroupMembershipFactory(focus_group=focus_group, status=FGStatus.REQUESTED)
    referent = _referent(membership.organisation)
    with on_commit():
        services.decline_focus_group_membership(membership, by=facilitator)
    assert [m.to for m in mail.outbox] == [[referent.email]]
    assert "was declined" in mail.outbox[0].subject and "can ask again" in mail.outbox[0].body


def test_request_refused_to_plain_members_and_for_unverified_organisations(focus_group):
    organisation = OrganisationFactory(verified=True)
    with pytest.raises(ProjectsError, match="Only a referent"):
        services.request_to_join_focus_group(
            focus_group, by=MembershipFactory(organisation=organisation).user, organisation=organisation,
        )
    pending = OrganisationFactory()
    with pytest.raises(ProjectsError, match="Only a verified organisation"):
        services.request_to_join_focus_group(focus_group, by=_referent(pending), organisation=pending)
    assert not FocusGroupMembership.objects.exists()


def test_a_request_is_decided_by_a_facilitator_not_by_another_steering_member(focus_group):
    membership = FocusGroupMembershipFactory(focus_group=focus_group, status=FGStatus.REQUESTED)
    for user in [steering_member(), _referent(membership.organisation)]:
        with pytest.raises(ProjectsError, match="not allowed"):
            services.accept_focus_group_membership(membership, by=user)
    membership.refresh_from_db()
    assert membership.status == FGStatus.REQUESTED


def test_facilitator_invites_and_the_referent_accepts(focus_group, facilitator, on_commit):
    organisation = OrganisationFactory(verified=True)
    referent = _referent(organisation)
    with on_commit():
        membership = services.invite_to_focus_group(focus_group, by=facilitator, organisation=organisation)
    assert membership.status == FGStatus.INVITED
    assert [m.to for m in mail.outbox] == [[referent.email]]
    with pytest.raises(ProjectsError, match="not allowed"):
        services.accept_focus_group_membership(membership, by=facilitator)
    mail.outbox.clear()
    with on_commit():
        services.accept_focus_group_membership(membership, by=referent)
    membership.refresh_from_db()
    assert membership.status == FGStatus.ACCEPTED
    # The facilitators who invited learn the answer.
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    assert "joined the focus group" in mail.outbox[0].subject


def test_invitation_refused_to_non_facilitators(focus_group):
    for user in [steering_member(), MembershipFactory().user]:
        with pytest.raises(ProjectsError, match="not allowed"):
            services.invite_to_focus_group(focus_group, by=user, organisation=OrganisationFactory(verified=True))
    assert not FocusGroupMembership.objects.exists()


def test_facilitator_whose_seat_ended_no_longer_runs_the_group():
    seat = SteeringGroupMemberFactory(ended=True)
    focus_group = FocusGroupFactory(facilitators=[seat.user])
    with pytest.raises(ProjectsError, match="not allowed"):
        services.invite_to_focus_group(focus_group, by=seat.user, organisation=OrganisationFactory(verified=True))


@pytest.mark.parametrize(
    "status, message",
    [
        (FGStatus.ACCEPTED, "already a member"),
        (FGStatus.REQUESTED, "already asked to join"),
        (FGStatus.INVITED, "can accept the invitation"),
    ],
)
def test_asking_twice_is_refused(focus_group, status, message):
    membership = FocusGroupMembershipFactory(focus_group=focus_group, status=status)
    with pytest.raises(ProjectsError, match=message):
        services.request_to_join_focus_group(
            focus_group, by=_referent(membership.organisation), organisation=membership.organisation,
        )
    assert FocusGroupMembership.objects.get().status == status


def test_declined_organisation_can_ask_again(focus_group, facilitator):
    membership = FocusGroupMembershipFactory(focus_group=focus_group, status=FGStatus.REQUESTED)
    services.decline_focus_group_membership(membership, by=facilitator)
    with pytest.raises(ProjectsError, match="already been decided"):
        services.accept_focus_group_membership(membership, by=facilitator)
    services.request_to_join_focus_group(
        focus_group, by=_referent(membership.organisation), organisation=membership.organisation,
    )
    membership.refresh_from_db()
    assert (membership.status, membership.decided_by) == (FGStatus.REQUESTED, None)


# Meetings and minutes


def test_facilitator_schedules_a_meeting_online(focus_group, facilitator):
    meeting = services.schedule_meeting(
        focus_group, by=facilitator, title="Primo incontro", starts_at=timezone.now() + DAY,
        online_url=" https://meet.example.org/welfare ", agenda="Conoscenza reciproca.",
    )
    assert (meeting.online_url, meeting.place) == ("https://meet.example.org/welfare", "")
    assert meeting.created_by == facilitator


def test_meeting_without_place_or_link_or_with_a_bad_link_is_invalid(focus_group, facilitator):
    with pytest.raises(ValidationError, match="Give the place of the meeting"):
        services.schedule_meeting(focus_group, by=facilitator, starts_at=timezone.now())
    with pytest.raises(ValidationError) as excinfo:
        services.schedule_meeting(focus_group, by=facilitator, starts_at=timezone.now(), online_url="ftp://x.org/a")
    assert "online_url" in excinfo.value.message_dict
    assert not Meeting.objects.exists()


def test_member_organisation_cannot_schedule_meetings(focus_group):
    membership = FocusGroupMembershipFactory(focus_group=focus_group)
    user = _referent(membership.organisation)
    with pytest.raises(ProjectsError, match="not allowed"):
        services.schedule_meeting(focus_group, by=user, starts_at=timezone.now(), place="Legnano")
    assert not Meeting.objects.exists()


def test_publish_minutes_by_facilitator_then_frozen(focus_group, facilitator):
    meeting = MeetingFactory(focus_group=focus_group)
    with pytest.raises(ProjectsError, match="Write the minutes before publishing"):
        services.publish_minutes(meeting, by=facilitator)
    services.update_meeting(meeting, by=facilitator, minutes="Presenti 8 enti. Emersi tre bisogni.")
    services.publish_minutes(meeting, by=facilitator)
    meeting.refresh_from_db()
    assert (meeting.minutes_published, meeting.minutes_published_by) == (True, facilitator)

    with pytest.raises(ProjectsError, match="already published"):
        services.publish_minutes(meeting, by=facilitator)
    with pytest.raises(ProjectsError, match="can no longer be changed"):
        services.update_meeting(meeting, by=facilitator, minutes="Riscritto.")
    services.update_meeting(meeting, by=facilitator, agenda="Agenda corretta.")  # the rest may still change
    meeting.refresh_from_db()
    assert meeting.minutes == "Presenti 8 enti. Emersi tre bisogni."


def test_publish_minutes_refused_to_members_and_other_steering_members(focus_group):
    meeting = MeetingFactory(focus_group=focus_group, minutes="Verbale.")
    member = _referent(FocusGroupMembershipFactory(focus_group=focus_group).organisation)
    for user in [member, steering_member()]:
        with pytest.raises(ProjectsError, match="not allowed"):
            services.publish_minutes(meeting, by=user)
    meeting.refresh_from_db()
    assert not meeting.minutes_published


# Attendance


def test_record_attendance_for_member_organisations(focus_group, facilitator):
    present = FocusGroupMembershipFactory(focus_group=focus_group).organisation
    absent = FocusGroupMembershipFactory(focus_group=focus_group).organisation
    meeting = MeetingFactory(focus_group=focus_group)
    services.record_attendance(meeting, by=facilitator, attendance={present: True, absent.pk: False})
    assert dict(Attendance.objects.values_list("organisation_id", "present")) == {present.pk: True, absent.pk: False}
    services.record_attendance(meeting, by=facilitator, attendance={absent: True})  # corrected
    assert Attendance.objects.get(organisation=absent).present is True
    assert Attendance.objects.count() == 2


def test_attendance_of_a_non_member_organisation_is_refused_and_nothing_recorded(focus_group, facilitator):
    member = FocusGroupMembershipFactory(focus_group=focus_group).organisation
    invited = FocusGroupMembershipFactory(focus_group=focus_group, status=FGStatus.INVITED).organisation
    meeting = MeetingFactory(focus_group=focus_group)
    with pytest.raises(ProjectsError) as excinfo:
        services.record_attendance(meeting, by=facilitator, attendance={member: True, invited: True})
    assert invited.name in excinfo.value.message
    assert not Attendance.objects.exists()


def test_attendance_refused_before_the_meeting_and_to_members(focus_group, facilitator):
    organisation = FocusGroupMembershipFactory(focus_group=focus_group).organisation
    future = MeetingFactory(focus_group=focus_group, starts_at=timezone.now() + DAY)
    with pytest.raises(ProjectsError, match="once the meeting has started"):
        services.record_attendance(future, by=facilitator, attendance={organisation: True})
    past = MeetingFactory(focus_group=focus_group)
    with pytest.raises(ProjectsError, match="not allowed"):
        services.record_attendance(past, by=_referent(organisation), attendance={organisation: True})
    assert not Attendance.objects.exists()
