"""Event services: capacity, the waiting list and its order, cancellations, emails, and the lock
that keeps two people from taking the last seat."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners import services
from partners.models import Event, EventRegistration
from partners.services import PartnersError
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import SteeringGroupMemberFactory
from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = EventRegistration.Status
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def organiser():
    return SteeringGroupMemberFactory().user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the emails queued with transaction.on_commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def register(event, email="anna.rossi@example.org", **kwargs):
    data = {"name": "Anna Rossi", "email": email, "organisation_name": "Auser Legnano", "privacy_consent": True}
    return services.register_for_event(event, **{**data, **kwargs})


def event_data(**overrides):
    return {
        "title": "Evento di lancio del welfare generativo",
        "starts_at": timezone.now() + datetime.timedelta(days=20),
        "place": "Legnano, Sala Ratti",
        "description": "",
        "capacity": 80,
        "registration_open": True,
        **overrides,
    }


# Creating and editing events


def test_steering_member_creates_an_event(organiser):
    event = services.create_event(by=organiser, **event_data())
    assert event.pk and event.created_by == organiser and event.capacity == 80


@pytest.mark.parametrize("who", ["plain user", "ended steering member", "anonymous"])
def test_only_the_steering_group_and_staff_create_events(who):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "plain user": lambda: UserFactory(),
        "ended steering member": lambda: SteeringGroupMemberFactory(ended=True).user,
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PartnersError):
        services.create_event(by=user, **event_data())
    assert not Event.objects.exists()


def test_staff_create_events():
    assert services.create_event(by=UserFactory(staff=True), **event_data()).pk


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"starts_at": timezone.now() - HOUR}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"title": ""}, "title"),
    ],
)
def test_create_event_refuses_bad_data_with_a_field_error(organiser, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        services.create_event(by=organiser, **event_data(**overrides))
    assert field in excinfo.value.message_dict
    assert not Event.objects.exists()


def test_lowering_capacity_below_confirmed_seats_is_refused(organiser):
    event = EventFactory(capacity=5)
    EventRegistrationFactory.create_batch(3, event=event)
    with pytest.raises(ValidationError) as excinfo:
        services.update_event(event, by=organiser, capacity=2)
    assert "3 people already have a confirmed seat" in excinfo.value.message_dict["capacity"][0]
    event.refresh_from_db()
    assert event.capacity == 5


def test_lowering_capacity_to_the_confirmed_seats_is_allowed(organiser):
    event = EventFactory(capacity=5)
    EventRegistrationFactory.create_batch(3, event=event)
    EventRegistrationFactory(event=event, cancelled=True)
    services.update_event(event, by=organiser, capacity=3, title="Nuovo titolo")
    event.refresh_from_db()
    assert (event.capacity, event.title) == (3, "Nuovo titolo")


def test_raising_capacity_promotes_the_waiting_list_in_order(organiser, on_commit):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event)
    now = timezone.now()
    # Created in one order, registered in another: registration time decides.
    third = EventRegistrationFactory(event=event, waiting=True, registered_at=now - 1 * HOUR)
    first = EventRegistrationFactory(event=event, waiting=True, registered_at=now - 3 * HOUR)
    second = EventRegistrationFactory(event=event, waiting=True, registered_at=now - 2 * HOUR)

    with on_commit():
        services.update_event(event, by=organiser, capacity=3)

    for registration in (first, second, third):
        registration.refresh_from_db()
    assert (first.status, second.status, third.status) == (Status.CONFIRMED, Status.CONFIRMED, Status.WAITING)
    assert first.promoted_at and second.promoted_at and third.promoted_at is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert "is now yours" in mail.outbox[0].subject


def test_update_event_refused_to_people_outside_the_steering_group():
    event = EventFactory()
    with pytest.raises(PartnersError):
        services.update_event(event, by=UserFactory(), title="Altro")
    event.refresh_from_db()
    assert event.title != "Altro"


# Registering


def test_registration_gets_a_seat_and_a_confirmation_email(on_commit):
    event = EventFactory(capacity=2, title="Evento di lancio")
    with on_commit():
        registration = register(event, email=" Anna.Rossi@EXAMPLE.org ")

    assert registration.status == Status.CONFIRMED
    assert registration.email == "Anna.Rossi@example.org"
    assert registration.privacy_consent_at is not None
    [message] = mail.outbox
    assert message.to == ["Anna.Rossi@example.org"]
    assert "is confirmed" in message.subject and "Evento di lancio" in message.subject
    assert f"/eventi/annulla/{registration.cancel_token}/" in message.body


def test_cancellation_link_in_the_email_is_absolute(settings, on_commit):
    settings.PORTAL_BASE_URL = "https://welfare.example.org"
    event = EventFactory()
    with on_commit():
        registration = register(event)
    assert f"https://welfare.example.org/eventi/annulla/{registration.cancel_token}/" in mail.outbox[0].body
    assert f"https://welfare.example.org/eventi/{event.pk}/" in mail.outbox[0].body


def test_full_event_puts_people_on_the_waiting_list_with_their_position(on_commit):
    event = EventFactory(capacity=1)
    register(event, email="first@example.org")
    with on_commit():
        second = register(event, email="second@example.org")
        third = register(event, email="third@example.org")

    assert (second.status, third.status) == (Status.WAITING, Status.WAITING)
    assert services.waiting_list_position(second) == 1
    assert services.waiting_list_position(third) == 2
    assert "Waiting list" in mail.outbox[0].subject
    assert "the registration is on the waiting list. It is number 1." in mail.outbox[0].body
    assert "It is number 2." in mail.outbox[1].body


def test_privacy_consent_is_required():
    event = EventFactory()
    with pytest.raises(PartnersError, match="privacy notice"):
        register(event, privacy_consent=False)
    assert not EventRegistration.objects.exists()


@pytest.mark.parametrize(
    "traits, message",
    [({"closed": True}, "Registration for this event is closed"), ({"past": True}, "already taken place")],
)
def test_closed_or_past_event_refuses_registration(traits, message):
    event = EventFactory(**traits)
    with pytest.raises(PartnersError, match=message):
        register(event)
    assert not EventRegistration.objects.exists()
    assert mail.outbox == []


def test_same_email_twice_keeps_one_registration_and_tells_only_that_address(on_commit):
    """Whatever the case of the letters: no second registration, no error a page could show,
    and an email to the address that says it was already registered."""
    event = EventFactory()
    first = register(event, email="anna.rossi@example.org")
    with on_commit():
        again = register(event, email="ANNA.Rossi@Example.org", name="Qualcun Altro")
    assert again == first
    assert EventRegistration.objects.count() == 1
    first.refresh_from_db()
    assert first.name == "Anna Rossi"
    [message] = mail.outbox
    assert message.to == ["anna.rossi@example.org"]
    assert "Already registered for" in message.subject
    assert first.cancel_token in message.body and "Qualcun Altro" not in message.body


def test_same_email_on_the_waiting_list_keeps_its_place():
    event = EventFactory(capacity=1)
    register(event, email="first@example.org")
    waiting = register(event, email="anna@example.org")
    assert register(event, email="anna@example.org") == waiting
    assert EventRegistration.objects.filter(email="anna@example.org").count() == 1
    assert services.waiting_list_position(waiting) == 1


def test_the_same_email_may_register_for_another_event_or_again_after_cancelling():
    event = EventFactory()
    first = register(event)
    register(EventFactory())
    services.cancel_registration(first)
    again = register(event)
    assert again.status == Status.CONFIRMED


def test_database_refuses_a_second_live_registration_for_the_same_address():
    """The last guard behind the service's check, for two requests that pass it together."""
    event = EventFactory()
    EventRegistrationFactory(event=event, email="anna@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRegistrationFactory(event=event, email="Anna@Example.org", waiting=True)


def test_stale_event_object_cannot_give_away_the_last_seat_twice():
    """Two requests that both loaded the event while one seat was left: the service re-reads
    the event under its lock, so the second person goes on the waiting list."""
    event = EventFactory(capacity=1)
    seen_by_first, seen_by_second = Event.objects.get(pk=event.pk), Event.objects.get(pk=event.pk)
    assert register(seen_by_first, email="first@example.org").status == Status.CONFIRMED
    assert register(seen_by_second, email="second@example.org").status == Status.WAITING


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_registration_and_cancellation_lock_the_event_row():
    event = EventFactory()
    with CaptureQueriesContext(connection) as queries:
        registration = register(event)
    assert any('FROM "partners_event"' in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries)
    with CaptureQueriesContext(connection) as queries:
        services.cancel_registration(registration)
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert 'FROM "partners_event"' in locks[0] and 'FROM "partners_eventregistration"' in locks[1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_cannot_both_take_the_last_seat():
    event = EventFactory(capacity=1)
    start = threading.Barrier(2)
    results, errors = [], []

    def attempt(email):
        try:
            start.wait(timeout=10)
            results.append(register(Event.objects.get(pk=event.pk), email=email).status)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(f"p{i}@example.org",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [Status.CONFIRMED, Status.WAITING]
    assert EventRegistration.objects.filter(event=event, status=Status.CONFIRMED).count() == 1


# Cancelling


def test_cancelling_a_confirmed_seat_promotes_the_first_waiting_by_registration_time(on_commit):
    event = EventFactory(capacity=1)
    leaving = EventRegistrationFactory(event=event)
    now = timezone.now()
    later = EventRegistrationFactory(event=event, waiting=True, registered_at=now - HOUR)
    earlier = EventRegistrationFactory(event=event, waiting=True, registered_at=now - 2 * HOUR)

    with on_commit():
        services.cancel_registration(leaving)

    leaving.refresh_from_db()
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert leaving.status == Status.CANCELLED and leaving.cancelled_at is not None
    assert earlier.status == Status.CONFIRMED and earlier.promoted_at is not None
    assert later.status == Status.WAITING and later.promoted_at is None
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert set(subjects) == {leaving.email, earlier.email}
    assert "is now yours" in subjects[earlier.email]
    assert "cancelled" in subjects[leaving.email]
    promoted_body = next(m.body for m in mail.outbox if m.to == [earlier.email])
    assert f"/eventi/annulla/{earlier.cancel_token}/" in promoted_body


def test_cancelling_a_waiting_registration_promotes_nobody(on_commit):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event)
    leaving = EventRegistrationFactory(event=event, waiting=True)
    staying = EventRegistrationFactory(event=event, waiting=True)
    with on_commit():
        services.cancel_registration(leaving)
    staying.refresh_from_db()
    assert staying.status == Status.WAITING
    assert [m.to for m in mail.outbox] == [[leaving.email]]


def test_cancelling_with_an_empty_waiting_list_frees_the_seat():
    event = EventFactory(capacity=1)
    services.cancel_registration(EventRegistrationFactory(event=event))
    assert register(event, email="new@example.org").status == Status.CONFIRMED


def test_cancelling_twice_is_refused_with_a_clear_message():
    registration = EventRegistrationFactory(cancelled=True)
    cancelled_at = registration.cancelled_at
    with pytest.raises(PartnersError, match="already been cancelled"):
        services.cancel_registration(registration)
    registration.refresh_from_db()
    assert registration.cancelled_at == cancelled_at


def test_cancelling_for_a_past_event_is_refused():
    registration = EventRegistrationFactory(event=EventFactory(past=True))
    with pytest.raises(PartnersError, match="already taken place"):
        services.cancel_registration(registration)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_organisers_cancel_and_the_person_is_told(organiser, on_commit):
    registration = EventRegistrationFactory()
    with on_commit():
        services.cancel_registration(registration, by=organiser)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert "organisers have cancelled" in mail.outbox[0].body


def test_people_outside_the_steering_group_cannot_cancel_others_registrations():
    registration = EventRegistrationFactory()
    with pytest.raises(PartnersError):
        services.cancel_registration(registration, by=UserFactory())
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


@pytest.mark.parametrize("status", list(Status))
def test_cancel_follows_the_transitions_table(status):
    cancelled_at = timezone.now() if status == Status.CANCELLED else None
    registration = EventRegistrationFactory(status=status, cancelled_at=cancelled_at)
    if registration.can_move_to(Status.CANCELLED):
        assert services.cancel_registration(registration).status == Status.CANCELLED
    else:
        with pytest.raises(PartnersError):
            services.cancel_registration(registration)
