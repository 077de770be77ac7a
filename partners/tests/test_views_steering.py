"""Steering group pages: the public page of the current group, and the staff pages that
appoint members and end seats. Being a current member is what grants the group's rights."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partners.models import SteeringGroupMember
from partners.tests.factories import OrganisationFactory, SteeringGroupMemberFactory
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
GROUP_URL = reverse("partners:steering-group")
LIST_URL = reverse("partners:steering-member-list")
APPOINT_URL = reverse("partners:steering-member-appoint")


def today():
    return timezone.localdate()


def end_url(seat):
    return reverse("partners:steering-member-end", args=[seat.pk])


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages follow the browser's language: ask for English to assert on the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True, totp=True))
    return client


@pytest.fixture
def member_client(client):
    """A current steering-group member: rights on outreach, none on the staff pages."""
    client.force_login(SteeringGroupMemberFactory().user)
    return client


def seat_rows():
    return sorted(SteeringGroupMember.objects.values_list(
        "user_id", "organisation_id", "municipality_id", "role", "start_date", "end_date",
    ))


# --- The public page ------------------------------------------------------------------------


def test_group_page_shows_current_members_coordinator_first(client):
    legnano = MunicipalityFactory(name="Legnano")
    organisation = OrganisationFactory(verified=True, name="Cooperativa Sociale Il Ponte")
    member = SteeringGroupMemberFactory(
        user__full_name="Anna Ricci", organisation=organisation, municipality=None,
        start_date=datetime.date(2026, 3, 2),
    )
    coordinator = SteeringGroupMemberFactory(user__full_name="Marco Colombo", municipality=legnano, coordinator=True)
    SteeringGroupMemberFactory(user__full_name="Roberto Villa", ended=True)
    SteeringGroupMemberFactory(user__full_name="Elena Future", start_date=today() + DAY)

    response = client.get(GROUP_URL)

    assert response.status_code == 200
    assert list(response.context["members"]) == [coordinator, member]
    content = response.content.decode()
    assert content.index("Marco Colombo") < content.index("Anna Ricci")
    assert "Coordinator" in content and "Legnano" in content and "Cooperativa Sociale Il Ponte" in content
    assert "March 2, 2026" in content
    assert "Roberto Villa" not in content and "Elena Future" not in content


def test_group_page_does_not_disclose_members_email_addresses(client):
    seat = SteeringGroupMemberFactory()
    assert seat.user.email not in client.get(GROUP_URL).content.decode()


def test_group_page_empty_state(client):
    SteeringGroupMemberFactory(ended=True)
    response = client.get(GROUP_URL)
    assert response.status_code == 200
    assert "The steering group has no members yet." in response.content.decode()


@pytest.mark.parametrize("who, sees_link", [("anonymous", False), ("member", False), ("staff", True)])
def test_only_staff_see_the_link_to_manage_the_group(client, who, sees_link):
    if who == "member":
        client.force_login(SteeringGroupMemberFactory().user)
    elif who == "staff":
        client.force_login(UserFactory(staff=True, totp=True))
    assert (f'href="{LIST_URL}"' in client.get(GROUP_URL).content.decode()) is sees_link


def test_menu_links_to_the_group_page_for_everyone(client):
    assert f'href="{GROUP_URL}"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("size", [10, 200])
def test_group_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, size):
    municipality = MunicipalityFactory()
    organisation = OrganisationFactory(verified=True)
    for n in range(size):
        kwargs = {"municipality": municipality} if n % 2 else {"organisation": organisation, "municipality": None}
        SteeringGroupMemberFactory(**kwargs)
    # The seats with person, organisation and municipality joined in.
    with django_assert_max_num_queries(1):
        response = client.get(GROUP_URL)
    assert len(response.context["members"]) == size


# --- Staff: list of seats -------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST_URL, APPOINT_URL, "end"])
def test_staff_pages_send_anonymous_visitors_to_login(client, url):
    if url == "end":
        url = end_url(SteeringGroupMemberFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [LIST_URL, APPOINT_URL, "end"])
@pytest.mark.parametrize("who", ["outsider", "member", "coordinator"])
def test_staff_pages_refuse_non_staff(client, url, who):
    user = UserFactory() if who == "outsider" else SteeringGroupMemberFactory(coordinator=who == "coordinator").user
    client.force_login(user)
    if url == "end":
        url = end_url(SteeringGroupMemberFactory())
    assert client.get(url).status_code == 403


def test_staff_without_authenticator_app_are_sent_to_set_one_up(client):
    client.force_login(UserFactory(staff=True, totp=False))
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_list_shows_past_current_and_future_seats(staff_client):
    seats = [
        SteeringGroupMemberFactory(user__full_name="Roberto Villa", ended=True),
        SteeringGroupMemberFactory(user__full_name="Anna Ricci"),
        SteeringGroupMemberFactory(user__full_name="Elena Galli", start_date=today() + DAY),
    ]
    response = staff_client.get(LIST_URL)
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == set(seats)
    content = response.content.decode()
    # Seats not ended yet can be ended; the ended one cannot.
    assert end_url(seats[1]) in content and end_url(seats[2]) in content
    assert end_url(seats[0]) not in content


@pytest.mark.parametrize(
    "period, expected", [("current", "Anna Ricci"), ("past", "Roberto Villa"), ("future", "Elena Galli")]
)
def test_staff_list_filters_by_period(staff_client, period, expected):
    SteeringGroupMemberFactory(user__full_name="Roberto Villa", ended=True)
    SteeringGroupMemberFactory(user__full_name="Anna Ricci", end_date=today())
    SteeringGroupMemberFactory(user__full_name="Elena Galli", start_date=today() + DAY)
    response = staff_client.get(LIST_URL, {"period": period})
    assert [seat.user.full_name for seat in response.context["page"].object_list] == [expected]


def test_staff_list_searches_people_and_what_they_represent(staff_client):
    SteeringGroupMemberFactory(user__full_name="Anna Ricci", municipality=MunicipalityFactory(name="Parabiago"))
    SteeringGroupMemberFactory(user__full_name="Davide Greco", municipality=MunicipalityFactory(name="Nerviano"))
    response = staff_client.get(LIST_URL, {"q": "parabi"})
    assert [seat.user.full_name for seat in response.context["page"].object_list] == ["Anna Ricci"]


def test_staff_list_empty_state(staff_client):
    response = staff_client.get(LIST_URL)
    assert "No steering group seats match these filters yet." in response.content.decode()


@pytest.mark.parametrize("size", [10, 200])
def test_staff_list_runs_a_constant_number_of_queries(staff_client, django_assert_max_num_queries, size):
    municipality = MunicipalityFactory()
    organisation = OrganisationFactory(verified=True)
    for n in range(size):
        kwargs = {"municipality": municipality} if n % 2 else {"organisation": organisation, "municipality": None}
        SteeringGroupMemberFactory(**kwargs)
    # Session, user, TOTP check (middleware), count, one page of seats with person,
    # organisation and municipality joined in.
    with django_assert_max_num_queries(5):
        response = staff_client.get(LIST_URL, {"period": "current", "page": 1})
    assert len(response.context["page"].object_list) == min(size, 20)


def test_staff_list_paginates_keeping_the_filters(staff_client):
    for _ in range(25):
        SteeringGroupMemberFactory()
    response = staff_client.get(LIST_URL, {"period": "current", "page": 2})
    assert len(response.context["page"].object_list) == 5
    assert "?period=current&amp;page=1" in response.content.decode()


# --- Staff: appoint -------------------------------------------------------------------------


def appoint_data(**overrides):
    data = {"role": SteeringGroupMember.Role.MEMBER, "start_date": today().isoformat(), "end_date": ""}
    data.update(overrides)
    return {key: "" if value is None else value for key, value in data.items()}


def test_staff_appoint_a_member_who_is_told_by_email(staff_client, django_capture_on_commit_callbacks):
    person = UserFactory(full_name="Anna Ricci", totp=True)
    organisation = OrganisationFactory(verified=True, name="Cooperativa Sociale Il Ponte")
    response = staff_client.get(APPOINT_URL)
    assert response.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(APPOINT_URL, appoint_data(
            user=person.pk, organisation=organisation.pk, role=SteeringGroupMember.Role.COORDINATOR,
        ))

    assert response.status_code == 302
    assert response.url == LIST_URL
    seat = SteeringGroupMember.objects.get()
    assert (seat.user, seat.organisation, seat.municipality, seat.role) == (
        person, organisation, None, SteeringGroupMember.Role.COORDINATOR,
    )
    assert (seat.start_date, seat.end_date) == (today(), None)
    assert seat.appointed_by.is_staff
    assert person.has_perm("partners.view_outreachcontact")
    [email] = mail.outbox
    assert email.to == [person.email]
    assert "steering group" in email.subject
    assert "Cooperativa Sociale Il Ponte" in email.body
    assert f"{settings.PORTAL_BASE_URL}/gruppo-di-regia/" in email.body


def test_staff_appoint_a_member_representing_a_municipality_for_a_term(staff_client):
    person = UserFactory()
    municipality = MunicipalityFactory(name="Parabiago")
    end = today() + 365 * DAY
    staff_client.post(APPOINT_URL, appoint_data(user=person.pk, municipality=municipality.pk, end_date=end.isoformat()))
    seat = SteeringGroupMember.objects.get()
    assert (seat.municipality, seat.organisation, seat.end_date) == (municipality, None, end)


def bad_appointments():
    """(name, form data builder, fields expected to carry an error)."""
    def overlapping():
        seat = SteeringGroupMemberFactory(start_date=today() - 30 * DAY, end_date=today() + 30 * DAY)
        return appoint_data(
            user=seat.user.pk, municipality=MunicipalityFactory().pk, start_date=(today() + 10 * DAY).isoformat()
        )

    def both():
        return appoint_data(
            user=UserFactory().pk, organisation=OrganisationFactory(verified=True).pk,
            municipality=MunicipalityFactory().pk,
        )

    def neither():
        return appoint_data(user=UserFactory().pk)

    def end_before_start():
        return appoint_data(
            user=UserFactory().pk, municipality=MunicipalityFactory().pk, end_date=(today() - DAY).isoformat()
        )

    def unverified_organisation():
        return appoint_data(user=UserFactory().pk, organisation=OrganisationFactory().pk)

    def unconfirmed_email():
        return appoint_data(user=UserFactory(verified_email=False).pk, municipality=MunicipalityFactory().pk)

    def inactive_person():
        return appoint_data(user=UserFactory(is_active=False).pk, municipality=MunicipalityFactory().pk)

    return [
        ("overlapping", overlapping, {"user": "already has a seat in the steering group for those dates"}),
        ("both", both, {
            "organisation": "either an organisation or a municipality",
            "municipality": "either an organisation or a municipality",
        }),
        ("neither", neither, {"organisation": "either an organisation or a municipality"}),
        ("end_before_start", end_before_start, {"end_date": "cannot be before the start date"}),
        ("unverified_organisation", unverified_organisation, {"organisation": "Select a valid choice"}),
        ("unconfirmed_email", unconfirmed_email, {"user": "Select a valid choice"}),
        ("inactive_person", inactive_person, {"user": "Select a valid choice"}),
    ]


@pytest.mark.parametrize("name, build, errors", bad_appointments(), ids=[case[0] for case in bad_appointments()])
def test_bad_appointment_shows_the_error_next_to_the_field_and_saves_nothing(
    staff_client, django_capture_on_commit_callbacks, name, build, errors
):
    data = build()
    before = seat_rows()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(APPOINT_URL, data)

    assert response.status_code == 200
    form = response.context["form"]
    for field, message in errors.items():
        assert any(message in error for error in form.errors[field]), form.errors
    assert message in response.content.decode()
    assert seat_rows() == before
    assert mail.outbox == []


def test_appoint_form_lists_only_people_who_can_log_in(staff_client):
    active = UserFactory(full_name="Anna Ricci")
    unconfirmed = UserFactory(full_name="Bruno Unconfirmed", verified_email=False)
    changed_address = UserFactory(full_name="Carla Changed")
    EmailAddress.objects.filter(user=changed_address).update(email="old@example.org")
    inactive = UserFactory(full_name="Dario Inactive", is_active=False)
    people = set(staff_client.get(APPOINT_URL).context["form"].fields["user"].queryset)
    assert active in people
    assert not {unconfirmed, changed_address, inactive} & people


def test_non_staff_cannot_appoint(member_client):
    data = appoint_data(user=UserFactory().pk, municipality=MunicipalityFactory().pk)
    response = member_client.post(APPOINT_URL, data)
    assert response.status_code == 403
    assert SteeringGroupMember.objects.count() == 1  # the member's own seat


def test_anonymous_cannot_appoint(client):
    response = client.post(APPOINT_URL, appoint_data(user=UserFactory().pk, municipality=MunicipalityFactory().pk))
    assert response.status_code == 302
    assert not SteeringGroupMember.objects.exists()


# --- Staff: end a seat ----------------------------------------------------------------------


def test_end_page_asks_for_confirmation_with_today_as_default(staff_client):
    seat = SteeringGroupMemberFactory(user__full_name="Anna Ricci")
    response = staff_client.get(end_url(seat))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Anna Ricci" in content
    assert f'value="{today().isoformat()}"' in content
    seat.refresh_from_db()
    assert seat.end_date is None


def test_staff_end_a_seat_today_the_member_keeps_rights_until_tonight(staff_client):
    seat = SteeringGroupMemberFactory()
    response = staff_client.post(end_url(seat), {"end_date": today().isoformat()})
    assert response.status_code == 302
    assert response.url == LIST_URL
    seat.refresh_from_db()
    assert seat.end_date == today()
    assert seat.ended_by.is_staff
    assert seat.user.has_perm("partners.view_outreachcontact")


def test_staff_end_a_seat_yesterday_and_the_member_loses_the_rights(staff_client):
    seat = SteeringGroupMemberFactory(start_date=today() - 10 * DAY)
    assert seat.user.has_perm("partners.view_outreachcontact")
    staff_client.post(end_url(seat), {"end_date": (today() - DAY).isoformat()})
    seat.refresh_from_db()
    assert seat.end_date == today() - DAY
    assert not seat.user.has_perm("partners.view_outreachcontact")
    assert seat not in staff_client.get(GROUP_URL).context["members"]


@pytest.mark.parametrize("end_date", ["before_start", "", "not-a-date"])
def test_ending_with_a_bad_date_shows_the_error_and_changes_nothing(staff_client, end_date):
    seat = SteeringGroupMemberFactory(start_date=today() - 5 * DAY)
    if end_date == "before_start":
        end_date = (today() - 6 * DAY).isoformat()
    response = staff_client.post(end_url(seat), {"end_date": end_date})
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    seat.refresh_from_db()
    assert (seat.end_date, seat.ended_by) == (None, None)


def test_ending_an_ended_seat_changes_nothing(staff_client):
    seat = SteeringGroupMemberFactory(ended=True)
    response = staff_client.post(end_url(seat), {"end_date": today().isoformat()}, follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "already ended" in response.content.decode()
    seat.refresh_from_db()
    assert seat.end_date == today() - DAY


def test_end_an_unknown_seat_is_not_found(staff_client):
    assert staff_client.get(reverse("partners:steering-member-end", args=[999])).status_code == 404


def test_non_staff_cannot_end_a_seat_not_even_their_own(member_client):
    seat = SteeringGroupMember.objects.get()
    assert member_client.post(end_url(seat), {"end_date": today().isoformat()}).status_code == 403
    seat.refresh_from_db()
    assert seat.end_date is None


def test_anonymous_cannot_end_a_seat(client):
    seat = SteeringGroupMemberFactory()
    response = client.post(end_url(seat), {"end_date": today().isoformat()})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end_date is None


# --- Being a current member is what grants the group's rights -------------------------------

SEATS = {
    "none": None,
    "current": {},
    "ends_today": {"end_date": 0},
    "starts_today": {"start_date": 0},
    "ended_yesterday": {"start_date": -30, "end_date": -1},
    "starts_tomorrow": {"start_date": 1},
    "future_term": {"start_date": 10, "end_date": 40},
}


@pytest.mark.parametrize("seat", list(SEATS))
def test_only_a_current_seat_grants_the_steering_group_rights(seat):
    user = UserFactory()
    if SEATS[seat] is not None:
        dates = {field: today() + offset * DAY for field, offset in SEATS[seat].items()}
        SteeringGroupMemberFactory(user=user, **dates)
    current = seat in {"current", "ends_today", "starts_today"}
    for perm in ["partners.view_outreachcontact", "partners.add_outreachcontact", "partners.add_event"]:
        assert user.has_perm(perm) is current, perm


def test_ending_a_seat_not_started_yet_proposes_its_first_day(staff_client):
    seat = SteeringGroupMemberFactory(start_date=today() + 10 * DAY)
    response = staff_client.get(end_url(seat))
    assert f'value="{(today() + 10 * DAY).isoformat()}"' in response.content.decode()


def test_public_page_links_the_organisations_represented(client):
    organisation = OrganisationFactory(verified=True)
    SteeringGroupMemberFactory(organisation=organisation, municipality=None)
    url = reverse("partners:organisation-detail", args=[organisation.pk])
    assert f'href="{url}"' in client.get(GROUP_URL).content.decode()


def test_staff_home_links_to_the_steering_group_seats(staff_client):
    assert f'href="{LIST_URL}"' in staff_client.get(reverse("partners:staff-home")).content.decode()
