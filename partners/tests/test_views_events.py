"""Event pages: the public list, page and registration form, the cancellation link, and the
organisers' pages (create, edit, registrations, CSV export, cancelling), each both ways."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Event, EventRegistration
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import MembershipFactory, SteeringGroupMemberFactory
from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = EventRegistration.Status
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages in English, to assert on the msgids whatever the Italian catalogue says."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def organiser():
    return SteeringGroupMemberFactory().user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def assert_constant_queries(client, url, add_rows, *, bound):
    """The page runs the same queries with 10 rows as with 200, and no more than `bound`."""
    counts = []
    for added in (10, 190):  # 10 rows, then 200
        add_rows(added)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= bound, counts


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def registration_post(**overrides):
    return {
        "name": "Giulia Bianchi", "email": "giulia.bianchi@example.org",
        "organisation_name": "Cooperativa La Ruota", "privacy_consent": "on", **overrides,
    }


# The public list


def test_event_list_shows_upcoming_events_first_and_past_ones_apart(client):
    later = EventFactory(title="Secondo incontro", starts_at=timezone.now() + 20 * DAY)
    sooner = EventFactory(title="Evento di lancio", starts_at=timezone.now() + 2 * DAY)
    past = EventFactory(title="Incontro preparatorio", past=True)

    response = client.get(reverse("partners:event-list"))

    assert response.status_code == 200
    assert list(response.context["upcoming"].object_list) == [sooner, later]
    assert list(response.context["past"].object_list) == [past]
    html = response.content.decode()
    assert html.index("Evento di lancio") < html.index("Secondo incontro") < html.index("Incontro preparatorio")


def test_event_list_shows_seats_left_and_full_events(client):
    open_event = EventFactory(capacity=3)
    EventRegistrationFactory(event=open_event)
    EventRegistrationFactory(event=open_event, cancelled=True)
    full = EventFactory(capacity=1)
    EventRegistrationFactory(event=full)

    html = client.get(reverse("partners:event-list")).content.decode()

    assert "2 seats left" in html
    assert "Full: waiting list" in html


def test_event_list_empty_state(client):
    html = client.get(reverse("partners:event-list")).content.decode()
    assert "No upcoming events yet" in html
    assert "No past events yet" in html


def test_event_list_paginates_both_lists(client):
    EventFactory.create_batch(12)
    EventFactory.create_batch(11, past=True)
    response = client.get(reverse("partners:event-list"), {"page": 2, "past_page": 2})
    assert len(response.context["upcoming"].object_list) == 2
    assert len(response.context["past"].object_list) == 1
    assert 'aria-label="Pages of the upcoming events"' in response.content.decode()


def test_event_list_runs_the_same_queries_with_10_and_200_events(client):
    def add_events(count):
        for index in range(count):
            EventRegistrationFactory(event=EventFactory(past=index % 2 == 0))

    # count and page of upcoming events, count and page of past events (seats are counted in
    # the page queries), plus whatever the menu asks
    assert_constant_queries(client, reverse("partners:event-list"), add_events, bound=6)


def test_menu_shows_events_to_everyone(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("partners:event-list")}"' in html


# The event page and registration


def test_event_page_shows_details_and_seats_left(client):
    event = EventFactory(capacity=10, place="Parabiago, Villa Corvini")
    EventRegistrationFactory.create_batch(3, event=event)
    html = client.get(reverse("partners:event-detail", args=[event.pk])).content.decode()
    assert event.title in html and "Parabiago, Villa Corvini" in html
    assert "7 seats left out of 10" in html
    assert 'href="/privacy/"' in html


def test_full_event_page_says_you_will_go_on_the_waiting_list(client):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event)
    html = client.get(reverse("partners:event-detail", args=[event.pk])).content.decode()
    assert "you will go on the waiting list" in html
    assert "Join the waiting list" in html


def test_unknown_event_is_not_found(client):
    assert client.get(reverse("partners:event-detail", args=[999])).status_code == 404


def test_anyone_registers_and_gets_a_confirmed_seat(client, on_commit):
    event = EventFactory(capacity=2)
    with on_commit():
        response = client.post(reverse("partners:event-detail", args=[event.pk]), registration_post(), follow=True)

    registration = EventRegistration.objects.get()
    assert registration.status == Status.CONFIRMED
    assert (registration.name, registration.organisation_name) == ("Giulia Bianchi", "Cooperativa La Ruota")
    assert response.redirect_chain[-1][0] == reverse("partners:event-detail", args=[event.pk])
    assert messages_of(response) == [
        f"Thank you. We have sent an email to giulia.bianchi@example.org with the outcome of the registration "
        f"for “{event.title}” and the link to cancel it. If it does not arrive within a few minutes, please "
        f"check the spam folder."
    ]
    [message] = mail.outbox
    assert message.to == ["giulia.bianchi@example.org"]
    assert "The seat is confirmed." in message.body


def test_registering_for_a_full_event_puts_you_on_the_waiting_list(client, on_commit):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event)
    with on_commit():
        response = client.post(reverse("partners:event-detail", args=[event.pk]), registration_post(), follow=True)
    assert EventRegistration.objects.get(email="giulia.bianchi@example.org").status == Status.WAITING
    assert any("We have sent an email to giulia.bianchi@example.org" in m for m in messages_of(response))
    [message] = mail.outbox
    assert "the registration is on the waiting list. It is number 1." in message.body


@pytest.mark.parametrize(
    "overrides, field",
    [({"privacy_consent": ""}, "privacy_consent"), ({"email": "not-an-address"}, "email"), ({"name": ""}, "name")],
)
def test_bad_registration_shows_the_error_and_creates_nothing(client, overrides, field):
    event = EventFactory()
    response = client.post(reverse("partners:event-detail", args=[event.pk]), registration_post(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not EventRegistration.objects.exists()
    assert mail.outbox == []


def test_an_address_already_registered_gets_the_same_answer_and_only_its_owner_learns(client, on_commit):
    """The page cannot tell a stranger whether an address is registered: the same redirect and
    message as a new registration. The email to that address says what happened."""
    event = EventFactory()
    existing = EventRegistrationFactory(event=event, name="Giulia Bianchi", email="giulia.bianchi@example.org")
    url = reverse("partners:event-detail", args=[event.pk])

    with on_commit():
        new = client.post(url, registration_post(name="Marco Colombo", email="marco.colombo@example.org"))
        new_messages = messages_of(client.get(new.url))
        again = client.post(url, registration_post(name="Un Estraneo", email="Giulia.Bianchi@Example.org"))
        again_messages = messages_of(client.get(again.url))

    assert (new.status_code, new.url) == (again.status_code, again.url) == (302, url)
    assert [m.replace("marco.colombo@example.org", "ADDRESS") for m in new_messages] == [
        m.replace("Giulia.Bianchi@Example.org", "ADDRESS") for m in again_messages
    ]
    assert EventRegistration.objects.filter(event=event).count() == 2
    existing.refresh_from_db()
    assert (existing.name, existing.status) == ("Giulia Bianchi", Status.CONFIRMED)
    _, told = mail.outbox
    assert told.to == ["giulia.bianchi@example.org"] and "Already registered for" in told.subject
    assert "The address was already registered: nothing has changed." in told.body
    assert existing.cancel_token in told.body
    assert "Un Estraneo" not in told.body


@pytest.mark.parametrize("traits, text", [({"closed": True}, "is closed"), ({"past": True}, "already taken place")])
def test_closed_or_past_event_shows_no_form_and_refuses_a_post(client, traits, text):
    event = EventFactory(**traits)
    url = reverse("partners:event-detail", args=[event.pk])
    page = client.get(url)
    assert text in page.content.decode()
    assert 'name="privacy_consent"' not in page.content.decode()

    response = client.post(url, registration_post())
    assert any(text in message for message in messages_of(response))
    assert not EventRegistration.objects.exists()


def test_registration_form_is_prefilled_for_logged_in_people(client):
    user = UserFactory(full_name="Marco Colombo", email="marco.colombo@example.org")
    MembershipFactory(user=user, organisation__name="Auser Nerviano")
    client.force_login(user)
    form = client.get(reverse("partners:event-detail", args=[EventFactory().pk])).context["form"]
    assert form.initial == {
        "name": "Marco Colombo", "email": "marco.colombo@example.org", "organisation_name": "Auser Nerviano",
    }


def test_event_page_links_organisers_to_the_registrations(client, organiser):
    event = EventFactory()
    url = reverse("partners:event-detail", args=[event.pk])
    registrations_url = reverse("partners:event-registrations", args=[event.pk])
    assert registrations_url not in client.get(url).content.decode()
    client.force_login(organiser)
    assert registrations_url in client.get(url).content.decode()


# Cancelling through the emailed link


def test_cancellation_link_shows_the_registration_and_a_button(client):
    registration = EventRegistrationFactory(name="Paola Ferrari")
    response = client.get(reverse("partners:event-registration-cancel", args=[registration.cancel_token]))
    html = response.content.decode()
    assert "Paola Ferrari" in html and registration.event.title in html
    assert 'method="post"' in html
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED  # a GET (a mail scanner following links) changes nothing


def test_cancellation_link_cancels_and_gives_the_seat_to_the_first_waiting(client, on_commit):
    event = EventFactory(capacity=1)
    registration = EventRegistrationFactory(event=event)
    waiting = EventRegistrationFactory(event=event, waiting=True)
    url = reverse("partners:event-registration-cancel", args=[registration.cancel_token])

    with on_commit():
        response = client.post(url, follow=True)

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    assert any("has been cancelled" in message for message in messages_of(response))
    assert "This registration was cancelled on" in response.content.decode()
    assert {m.to[0] for m in mail.outbox} == {registration.email, waiting.email}


def test_unknown_cancellation_token_is_not_found(client):
    EventRegistrationFactory()
    url = reverse("partners:event-registration-cancel", args=["not-a-real-token"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_already_cancelled_registration_says_so(client):
    registration = EventRegistrationFactory(cancelled=True)
    url = reverse("partners:event-registration-cancel", args=[registration.cancel_token])
    assert "This registration was cancelled on" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert any("already been cancelled" in message for message in messages_of(response))


# Organisers' pages: who may reach them


def organiser_pages(event, registration):
    return [
        reverse("partners:event-manage-list"),
        reverse("partners:event-create"),
        reverse("partners:event-update", args=[event.pk]),
        reverse("partners:event-registrations", args=[event.pk]),
        reverse("partners:event-registrations-csv", args=[event.pk]),
        reverse("partners:event-registration-organiser-cancel", args=[registration.pk]),
    ]


def test_organiser_pages_send_anonymous_visitors_to_log_in(client):
    registration = EventRegistrationFactory()
    for url in organiser_pages(registration.event, registration):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize(
    "make_user",
    [lambda: UserFactory(), lambda: SteeringGroupMemberFactory(ended=True).user, lambda: MembershipFactory().user],
    ids=["plain user", "former steering member", "partner member"],
)
def test_organiser_pages_are_forbidden_outside_the_steering_group(client, make_user):
    registration = EventRegistrationFactory()
    client.force_login(make_user())
    for url in organiser_pages(registration.event, registration):
        assert client.get(url).status_code == 403, url
    assert client.post(organiser_pages(registration.event, registration)[-1]).status_code == 403
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


@pytest.mark.parametrize(
    "make_user",
    [lambda: SteeringGroupMemberFactory().user, lambda: UserFactory(staff=True, totp=True)],
    ids=["steering member", "staff"],
)
def test_organiser_pages_open_for_the_steering_group_and_staff(client, make_user):
    registration = EventRegistrationFactory()
    client.force_login(make_user())
    for url in organiser_pages(registration.event, registration):
        assert client.get(url).status_code == 200, url


# Creating and editing


def test_organiser_creates_an_event(organiser_client, organiser):
    response = organiser_client.post(reverse("partners:event-create"), {
        "title": "Evento di lancio", "starts_at": (timezone.localtime() + 10 * DAY).strftime("%Y-%m-%dT%H:%M"),
        "place": "Legnano, Sala Ratti", "description": "Programma", "capacity": "120", "registration_open": "on",
    })
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == reverse("partners:event-detail", args=[event.pk])
    assert (event.title, event.capacity, event.created_by) == ("Evento di lancio", 120, organiser)


@pytest.mark.parametrize(
    "overrides, field",
    [({"capacity": "0"}, "capacity"), ({"starts_at": "2020-01-01T10:00"}, "starts_at"), ({"title": ""}, "title")],
)
def test_bad_event_data_shows_the_error_and_creates_nothing(organiser_client, overrides, field):
    data = {
        "title": "Evento", "starts_at": (timezone.localtime() + DAY).strftime("%Y-%m-%dT%H:%M"),
        "place": "Legnano", "capacity": "10", **overrides,
    }
    response = organiser_client.post(reverse("partners:event-create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def _edit_data(event, **overrides):
    return {
        "title": event.title, "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "place": event.place, "description": event.description, "capacity": event.capacity,
        "registration_open": "on", **overrides,
    }


def test_lowering_capacity_below_confirmed_seats_shows_a_field_error(organiser_client):
    event = EventFactory(capacity=5)
    EventRegistrationFactory.create_batch(4, event=event)
    response = organiser_client.post(reverse("partners:event-update", args=[event.pk]), _edit_data(event, capacity=3))
    assert response.status_code == 200
    assert "4 people already have a confirmed seat" in response.context["form"].errors["capacity"][0]
    event.refresh_from_db()
    assert event.capacity == 5


def test_raising_capacity_from_the_edit_page_promotes_the_waiting_list(organiser_client, on_commit):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event)
    waiting = EventRegistrationFactory(event=event, waiting=True)
    with on_commit():
        response = organiser_client.post(
            reverse("partners:event-update", args=[event.pk]), _edit_data(event, capacity=2)
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert mail.outbox[0].to == [waiting.email]


# Registrations list


def test_registrations_list_shows_counts_and_people(organiser_client):
    event = EventFactory(capacity=2)
    EventRegistrationFactory(event=event, name="Luca Verdi")
    EventRegistrationFactory(event=event, name="Sara Neri")
    EventRegistrationFactory(event=event, name="Elena Galli", waiting=True)
    EventRegistrationFactory(event=event, name="Pietro Conti", cancelled=True)
    EventRegistrationFactory(name="Altro Evento")

    response = organiser_client.get(reverse("partners:event-registrations", args=[event.pk]))

    assert response.context["counts"] == {"confirmed": 2, "waiting": 1, "cancelled": 1}
    html = response.content.decode()
    assert all(name in html for name in ["Luca Verdi", "Sara Neri", "Elena Galli", "Pietro Conti"])
    assert "Altro Evento" not in html


def test_registrations_list_filters_by_status_and_searches(organiser_client):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event, name="Luca Verdi", email="luca@example.org")
    EventRegistrationFactory(event=event, name="Elena Galli", email="elena@example.org", waiting=True)
    url = reverse("partners:event-registrations", args=[event.pk])

    waiting = organiser_client.get(url, {"status": "waiting"}).context["page"].object_list
    assert [r.name for r in waiting] == ["Elena Galli"]
    found = organiser_client.get(url, {"q": "LUCA@"}).context["page"].object_list
    assert [r.name for r in found] == ["Luca Verdi"]
    response = organiser_client.get(url, {"q": "nessuno"})
    assert "No registrations match these filters" in response.content.decode()


def test_registrations_list_empty_state(organiser_client):
    response = organiser_client.get(reverse("partners:event-registrations", args=[EventFactory().pk]))
    assert "No registrations yet" in response.content.decode()


def test_registrations_list_paginates(organiser_client):
    event = EventFactory(capacity=100)
    EventRegistrationFactory.create_batch(25, event=event)
    response = organiser_client.get(reverse("partners:event-registrations", args=[event.pk]), {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_registrations_list_runs_the_same_queries_with_10_and_200_registrations(organiser_client):
    event = EventFactory(capacity=100)

    def add_registrations(count):
        EventRegistrationFactory.create_batch(count // 2, event=event)
        EventRegistrationFactory.create_batch(count - count // 2, event=event, waiting=True)

    # session, user, event, steering seat (view and cancel rights), counts, page count, page
    # rows, and the menu's own checks
    assert_constant_queries(
        organiser_client, reverse("partners:event-registrations", args=[event.pk]), add_registrations, bound=10
    )


def test_organiser_event_list_runs_the_same_queries_with_10_and_200_events(organiser_client):
    def add_events(count):
        for _ in range(count):
            EventRegistrationFactory(event=EventFactory())

    # session, user, steering seat (view, add and change rights), page count, page rows (with
    # the counts), and the menu's own checks
    assert_constant_queries(organiser_client, reverse("partners:event-manage-list"), add_events, bound=10)


# CSV export


def read_csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_lists_every_registration_with_accents(organiser_client):
    event = EventFactory(title="Evento di lancio")
    registered_at = timezone.make_aware(datetime.datetime(2026, 4, 10, 9, 30))
    EventRegistrationFactory(
        event=event, name="Niccolò Bàrberi", email="niccolo@example.org", organisation_name="Città Solidale",
        registered_at=registered_at,
    )
    EventRegistrationFactory(event=event, name="Elena Galli", waiting=True, registered_at=registered_at + HOUR)
    EventRegistrationFactory(name="Altro Evento")

    response = organiser_client.get(reverse("partners:event-registrations-csv", args=[event.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="evento-di-lancio-' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Name", "Email", "Organisation", "Status", "Registered at", "Promoted at"]
    assert rows[1] == ["Niccolò Bàrberi", "niccolo@example.org", "Città Solidale", "Confirmed", "2026-04-10 09:30", ""]
    assert rows[2][0] == "Elena Galli" and rows[2][3] == "On the waiting list"
    assert len(rows) == 3


def test_csv_export_shows_promotions(organiser_client):
    event = EventFactory()
    promoted_at = timezone.make_aware(datetime.datetime(2026, 4, 11, 18, 5))
    EventRegistrationFactory(event=event, promoted_at=promoted_at)
    rows = read_csv(organiser_client.get(reverse("partners:event-registrations-csv", args=[event.pk])))
    assert rows[1][5] == "2026-04-11 18:05"


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(\"http://x\")", "+39 0331 123", "-2+3", "@SUM(A1)"])
def test_csv_export_defuses_formulas(organiser_client, dangerous):
    event = EventFactory()
    EventRegistrationFactory(event=event, name=dangerous, organisation_name=dangerous)
    rows = read_csv(organiser_client.get(reverse("partners:event-registrations-csv", args=[event.pk])))
    assert rows[1][0] == "'" + dangerous
    assert rows[1][2] == "'" + dangerous


# Organisers cancelling


def test_organiser_cancels_a_registration_after_confirming(organiser_client, on_commit):
    event = EventFactory(capacity=1)
    registration = EventRegistrationFactory(event=event, name="Luca Verdi")
    waiting = EventRegistrationFactory(event=event, waiting=True)
    url = reverse("partners:event-registration-organiser-cancel", args=[registration.pk])

    confirm_page = organiser_client.get(url)
    assert "Luca Verdi" in confirm_page.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED

    with on_commit():
        response = organiser_client.post(url)
    assert response.url == reverse("partners:event-registrations", args=[event.pk])
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == (Status.CANCELLED, Status.CONFIRMED)
    assert "organisers have cancelled" in next(m.body for m in mail.outbox if m.to == [registration.email])


def test_organiser_cancelling_twice_gets_a_clear_message(organiser_client):
    registration = EventRegistrationFactory(cancelled=True)
    url = reverse("partners:event-registration-organiser-cancel", args=[registration.pk])
    response = organiser_client.post(url, follow=True)
    assert any("already been cancelled" in message for message in messages_of(response))
    response = organiser_client.get(url, follow=True)
    assert any("already been cancelled" in message for message in messages_of(response))


def test_after_the_event_organisers_no_longer_cancel_and_are_told_why(organiser_client):
    registration = EventRegistrationFactory(event=EventFactory(past=True), name="Luca Verdi")
    live = EventRegistrationFactory(name="Anna Neri")
    cancelled = EventRegistrationFactory(event=live.event, cancelled=True, name="Ugo Blu")
    cancel = lambda r: reverse("partners:event-registration-organiser-cancel", args=[r.pk])  # noqa: E731
    past_list = organiser_client.get(reverse("partners:event-registrations", args=[registration.event.pk]))
    assert cancel(registration) not in past_list.content.decode()
    live_list = organiser_client.get(reverse("partners:event-registrations", args=[live.event.pk])).content.decode()
    assert cancel(live) in live_list and cancel(cancelled) not in live_list
    response = organiser_client.get(cancel(registration), follow=True)
    assert "This event has already taken place: the registration stays as it was." in messages_of(response)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


# The admin


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(staff=True, totp=True))
    return client


def test_event_admin_pages_open_for_staff(admin_client):
    registration = EventRegistrationFactory(name="Luca Verdi")
    for url in [
        "/admin/partners/event/",
        "/admin/partners/event/add/",
        f"/admin/partners/event/{registration.event.pk}/change/",
        "/admin/partners/eventregistration/?status__exact=confirmed&q=Verdi",
        f"/admin/partners/eventregistration/{registration.pk}/change/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "Luca Verdi" in admin_client.get(f"/admin/partners/event/{registration.event.pk}/change/").content.decode()


def test_event_admin_refuses_a_capacity_below_the_confirmed_seats(admin_client):
    event = EventFactory(capacity=3)
    EventRegistrationFactory.create_batch(2, event=event)
    starts_at = timezone.localtime(event.starts_at)
    response = admin_client.post(f"/admin/partners/event/{event.pk}/change/", {
        "title": event.title, "starts_at_0": starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": starts_at.strftime("%H:%M:%S"), "place": event.place, "capacity": "1",
        "registration_open": "on",
        "registrations-TOTAL_FORMS": "2", "registrations-INITIAL_FORMS": "2",
        "registrations-MIN_NUM_FORMS": "0", "registrations-MAX_NUM_FORMS": "1000",
    })
    # The service's refusal, on the capacity field; nothing saved, no success message.
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "2 people already have a confirmed seat" in form.errors["capacity"][0]
    assert form["capacity"].value() == "1"
    assert not [m for m in response.context["messages"] if "successfully" in str(m)]
    event.refresh_from_db()
    assert event.capacity == 3


def test_event_admin_refuses_a_new_event_in_the_past(admin_client):
    starts_at = timezone.localtime(timezone.now() - datetime.timedelta(days=1))
    response = admin_client.post("/admin/partners/event/add/", {
        "title": "Evento di ieri", "starts_at_0": starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": starts_at.strftime("%H:%M:%S"), "place": "Legnano", "capacity": "10",
        "registrations-TOTAL_FORMS": "0", "registrations-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == ["The start must be in the future."]
    assert not [m for m in response.context["messages"] if "successfully" in str(m)]
    assert not Event.objects.filter(title="Evento di ieri").exists()


def test_admin_action_cancels_registrations_through_the_service(admin_client, on_commit):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    event = EventFactory(capacity=1)
    registration = EventRegistrationFactory(event=event)
    waiting = EventRegistrationFactory(event=event, waiting=True)
    with on_commit():
        admin_client.post("/admin/partners/eventregistration/", {
            "action": "cancel_selected", ACTION_CHECKBOX_NAME: [registration.pk], "index": 0,
        })
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == (Status.CANCELLED, Status.CONFIRMED)
    assert {m.to[0] for m in mail.outbox} == {registration.email, waiting.email}


def test_home_page_shows_the_next_events(client):
    soon = EventFactory(title="Evento di lancio")
    EventFactory(title="Incontro passato", past=True)
    html = client.get(reverse("home")).content.decode()
    assert "Evento di lancio" in html and reverse("partners:event-detail", args=[soon.pk]) in html
    assert "Incontro passato" not in html
