"""Meetings of a focus group: scheduling and editing, the meeting page, minutes (draft, then
published with a confirmation and frozen) and attendance, each allowed for its role and
refused for the others."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Membership
from projects.models import Attendance, FocusGroupMembership, Meeting
from projects.tests.factories import (
    DAY,
    FocusGroupFactory,
    FocusGroupMembershipFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    steering_member,
)

pytestmark = pytest.mark.django_db


def url(name, obj):
    return reverse(f"projects:{name}", args=[obj.pk])


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def login(client, user):
    client.force_login(user)
    return user


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def assert_login_redirect(response):
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def meeting_rows():
    return list(Meeting.objects.order_by("pk").values_list(
        "title", "starts_at", "place", "online_url", "agenda", "minutes", "minutes_published_at",
    ))


def attendance_rows():
    return list(Attendance.objects.order_by("pk").values_list("organisation_id", "present"))


@pytest.fixture
def facilitator():
    return steering_member()


@pytest.fixture
def focus_group(facilitator):
    return FocusGroupFactory(title="Anziani soli", facilitators=[facilitator])


@pytest.fixture
def organisations(focus_group):
    """Two member organisations, in name order."""
    first = OrganisationFactory(verified=True, name="Auser Legnano")
    second = OrganisationFactory(verified=True, name="Cooperativa La Ruota")
    for organisation in (first, second):
        FocusGroupMembershipFactory(focus_group=focus_group, organisation=organisation)
    return [first, second]


@pytest.fixture
def member(organisations):
    return MembershipFactory(organisation=organisations[0], role=Membership.Role.MEMBER).user


@pytest.fixture
def meeting(focus_group):
    return MeetingFactory(focus_group=focus_group, title="Primo incontro", agenda="Presentazioni.\nBisogni.")


def meeting_post(**overrides):
    return {
        "title": "Secondo incontro", "starts_at": local_input(timezone.now() + 7 * DAY),
        "place": "Villa Corvini, Parabiago", "online_url": "", "agenda": "Le proposte in corso.", **overrides,
    }


# Scheduling and editing


def test_facilitator_schedules_a_meeting(client, facilitator, focus_group):
    login(client, facilitator)
    create = url("meeting-create", focus_group)
    assert f'href="{create}"' in client.get(url("focusgroup-detail", focus_group)).content.decode()
    assert client.get(create).status_code == 200

    response = client.post(create, meeting_post())

    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == url("meeting-detail", meeting)
    assert (meeting.focus_group, meeting.place, meeting.created_by) == (
        focus_group, "Villa Corvini, Parabiago", facilitator,
    )
    assert "The meeting has been scheduled." in messages_of(client.get(response.url))


def test_meeting_online_only(client, facilitator, focus_group):
    login(client, facilitator)
    client.post(url("meeting-create", focus_group), meeting_post(place="", online_url="https://meet.example.org/fg-1"))
    assert Meeting.objects.get().online_url == "https://meet.example.org/fg-1"


def test_meeting_with_neither_place_nor_link_is_refused(client, facilitator, focus_group):
    login(client, facilitator)
    response = client.post(url("meeting-create", focus_group), meeting_post(place="  ", online_url=""))
    assert response.status_code == 200
    assert "Give the place of the meeting, its online link, or both." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/file", "data:text/html,x"])
def test_meeting_link_must_be_a_web_address(client, facilitator, focus_group, link):
    login(client, facilitator)
    response = client.post(url("meeting-create", focus_group), meeting_post(online_url=link))
    assert response.status_code == 200 and response.context["form"].errors["online_url"]
    assert not Meeting.objects.exists()


def test_scheduling_is_refused_to_everyone_but_facilitators_and_staff(client, focus_group, member):
    create = url("meeting-create", focus_group)
    assert_login_redirect(client.get(create))
    for user, status in ((steering_member(), 403), (member, 403), (UserFactory(), 404)):
        login(client, user)
        assert client.post(create, meeting_post()).status_code == status
    assert not Meeting.objects.exists()
    login(client, UserFactory(staff=True, totp=True))
    assert client.post(create, meeting_post()).status_code == 302


def test_facilitator_edits_a_meeting(client, facilitator, meeting):
    login(client, facilitator)
    update = url("meeting-update", meeting)
    assert client.get(update).status_code == 200
    client.post(update, meeting_post(place="Sala Ratti, Legnano"))
    meeting.refresh_from_db()
    assert meeting.place == "Sala Ratti, Legnano"


def test_editing_a_meeting_is_refused_to_others(client, meeting, member):
    before = meeting_rows()
    update = url("meeting-update", meeting)
    for user, status in ((steering_member(), 403), (member, 403), (UserFactory(), 404)):
        login(client, user)
        assert client.post(update, meeting_post(place="Altrove")).status_code == status
    assert meeting_rows() == before


# The meeting page


def test_member_sees_the_meeting_with_its_agenda(client, meeting, member):
    login(client, member)
    response = client.get(url("meeting-detail", meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Primo incontro" in html and "Presentazioni.<br>Bisogni." in html
    assert url("meeting-update", meeting) not in html and url("meeting-minutes", meeting) not in html


def test_meeting_page_is_404_outside_the_focus_group(client, meeting, focus_group):
    invited = OrganisationFactory(verified=True)
    FocusGroupMembershipFactory(
        focus_group=focus_group, organisation=invited, status=FocusGroupMembership.Status.INVITED,
    )
    referent = UserFactory()
    MembershipFactory(organisation=invited, user=referent, role=Membership.Role.REFERENT)
    assert_login_redirect(client.get(url("meeting-detail", meeting)))
    for user in (UserFactory(), referent):
        login(client, user)
        assert client.get(url("meeting-detail", meeting)).status_code == 404


def test_online_link_is_a_safe_link_and_user_text_is_escaped(client, facilitator, focus_group):
    meeting = MeetingFactory(
        focus_group=focus_group, place="<b>Sala</b>", online_url="https://meet.example.org/a?b=1&c=2",
        agenda="<script>alert(1)</script>",
    )
    login(client, facilitator)
    html = client.get(url("meeting-detail", meeting)).content.decode()
    assert 'href="https://meet.example.org/a?b=1&amp;c=2" rel="noopener noreferrer"' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>Sala</b>" not in html


# Minutes


def test_minutes_are_hidden_from_members_until_published(client, facilitator, meeting, member):
    login(client, facilitator)
    minutes_url = url("meeting-minutes", meeting)
    assert client.get(minutes_url).status_code == 200
    response = client.post(minutes_url, {"minutes": "Presenti 12 persone. Deciso il calendario."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("Presenti 12") and meeting.minutes_published_at is None
    assert "Presenti 12 persone" in client.get(url("meeting-detail", meeting)).content.decode()

    login(client, member)
    html = client.get(url("meeting-detail", meeting)).content.decode()
    assert "Presenti 12 persone" not in html
    assert "The minutes have not been published yet." in html

    login(client, facilitator)
    publish = url("meeting-minutes-publish", meeting)
    confirmation = client.get(publish)
    assert confirmation.status_code == 200 and "Presenti 12 persone" in confirmation.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None  # nothing happens before the confirmation
    response = client.post(publish, follow=True)
    assert any("have been published" in message for message in messages_of(response))
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None and meeting.minutes_published_by == facilitator

    login(client, member)
    assert "Presenti 12 persone" in client.get(url("meeting-detail", meeting)).content.decode()


def test_publishing_minutes_twice_says_so_and_changes_nothing(client, facilitator, meeting):
    meeting.minutes = "Verbale."
    meeting.save()
    login(client, facilitator)
    client.post(url("meeting-minutes-publish", meeting))
    before = meeting_rows()
    response = client.post(url("meeting-minutes-publish", meeting), follow=True)
    assert any("These minutes were already published on" in message for message in messages_of(response))
    assert meeting_rows() == before
    get = client.get(url("meeting-minutes-publish", meeting), follow=True)
    assert any("already published" in message for message in messages_of(get))


def test_published_minutes_are_frozen(client, facilitator, meeting):
    meeting.minutes = "Verbale."
    meeting.save()
    login(client, facilitator)
    client.post(url("meeting-minutes-publish", meeting))
    before = meeting_rows()
    response = client.post(url("meeting-minutes", meeting), {"minutes": "Verbale corretto."})
    assert response.status_code == 200
    assert "The minutes are published and can no longer be changed." in response.content.decode()
    assert meeting_rows() == before
    assert url("meeting-minutes", meeting) not in client.get(url("meeting-detail", meeting)).content.decode()


def test_empty_minutes_cannot_be_published(client, facilitator, meeting):
    login(client, facilitator)
    before = meeting_rows()
    response = client.post(url("meeting-minutes-publish", meeting), follow=True)
    assert "Write the minutes before publishing them." in messages_of(response)
    assert meeting_rows() == before


@pytest.mark.parametrize("name", ["meeting-minutes", "meeting-minutes-publish"])
def test_minutes_pages_are_refused_to_everyone_but_facilitators_and_staff(client, meeting, member, name):
    meeting.minutes = "Bozza."
    meeting.save()
    before = meeting_rows()
    page = url(name, meeting)
    assert_login_redirect(client.post(page, {"minutes": "Altro"}))
    for user, status in ((steering_member(), 403), (member, 403), (UserFactory(), 404)):
        login(client, user)
        assert client.post(page, {"minutes": "Altro"}).status_code == status
    assert meeting_rows() == before


# Attendance


def test_facilitator_records_attendance_per_member_organisation(client, facilitator, meeting, organisations):
    login(client, facilitator)
    attendance = url("meeting-attendance", meeting)
    form = client.get(attendance).context["form"]
    assert list(form.fields) == [f"org_{o.pk}" for o in organisations]

    response = client.post(attendance, {
        f"org_{organisations[0].pk}": "present", f"org_{organisations[1].pk}": "absent",
    })

    assert response.status_code == 302 and response.url == url("meeting-detail", meeting)
    assert sorted(attendance_rows()) == sorted([(organisations[0].pk, True), (organisations[1].pk, False)])
    html = client.get(response.url).content.decode()
    assert "The attendance has been recorded." in html and "Auser Legnano" in html
    # Recorded answers come back in the form, and can be corrected.
    assert client.get(attendance).context["form"][f"org_{organisations[1].pk}"].initial == "absent"
    client.post(attendance, {f"org_{organisations[0].pk}": "present", f"org_{organisations[1].pk}": "present"})
    assert Attendance.objects.filter(present=True).count() == 2 and Attendance.objects.count() == 2


def test_attendance_needs_a_choice_for_every_member(client, facilitator, meeting, organisations):
    login(client, facilitator)
    response = client.post(url("meeting-attendance", meeting), {f"org_{organisations[0].pk}": "present"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"org_{organisations[1].pk}"] == [
        "Choose present or absent for this organisation."
    ]
    assert attendance_rows() == []


def test_attendance_for_a_non_member_organisation_is_refused(client, facilitator, meeting, organisations):
    stranger = OrganisationFactory(verified=True, name="Circolo estraneo")
    login(client, facilitator)
    response = client.post(url("meeting-attendance", meeting), {
        f"org_{organisations[0].pk}": "present", f"org_{organisations[1].pk}": "present",
        f"org_{stranger.pk}": "present",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Attendance is recorded only for member organisations of the focus group" in html
    assert "Circolo estraneo" in html
    assert attendance_rows() == []


def test_attendance_before_the_meeting_is_refused(client, facilitator, focus_group, organisations):
    meeting = MeetingFactory(focus_group=focus_group, starts_at=timezone.now() + DAY)
    login(client, facilitator)
    page = client.get(url("meeting-attendance", meeting))
    assert "Attendance can be recorded once the meeting has started." in page.content.decode()
    assert url("meeting-attendance", meeting) not in client.get(url("meeting-detail", meeting)).content.decode()
    response = client.post(url("meeting-attendance", meeting), {f"org_{o.pk}": "present" for o in organisations})
    assert response.status_code == 200
    assert "Attendance can be recorded once the meeting has started." in response.content.decode()
    assert attendance_rows() == []


def test_attendance_without_members_shows_the_empty_state(client, facilitator, meeting):
    login(client, facilitator)
    assert "has no member organisations yet" in client.get(url("meeting-attendance", meeting)).content.decode()


def test_attendance_is_refused_to_everyone_but_facilitators_and_staff(client, meeting, organisations, member):
    page = url("meeting-attendance", meeting)
    data = {f"org_{o.pk}": "present" for o in organisations}
    assert_login_redirect(client.post(page, data))
    for user, status in ((steering_member(), 403), (member, 403), (UserFactory(), 404)):
        login(client, user)
        assert client.post(page, data).status_code == status
    assert attendance_rows() == []
    login(client, UserFactory(staff=True, totp=True))
    assert client.post(page, data).status_code == 302
    assert len(attendance_rows()) == 2
