"""The public event forms cannot be used as a mail relay: emails are limited per client address
and per recipient, the typed name never opens an email and stays on one line, and a limited
request stores and sends nothing. People registering normally are not affected."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from partners.models import EventRegistration
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import SteeringGroupMemberFactory

pytestmark = pytest.mark.django_db

Status = EventRegistration.Status


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def register(client, event, *, email, name="Giulia Bianchi", **extra):
    data = {"name": name, "email": email, "organisation_name": "", "privacy_consent": "on"}
    return client.post(reverse("partners:event-detail", args=[event.pk]), data, **extra)


def cancel(client, registration, **extra):
    return client.post(reverse("partners:event-registration-cancel", args=[registration.cancel_token]), **extra)


def assert_limited(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    content = response.content.decode()
    assert "Too many requests" in content and "nothing has been registered or sent" in content


# Names


def test_a_typed_name_never_opens_the_email_and_stays_on_one_line(client, on_commit):
    event = EventFactory()
    typed = "Giulia\r\nBianchi\n\nGentile utente,\u2028visiti\tsubito\x0bhttp://phish.example"
    with on_commit():
        response = register(client, event, email="giulia@example.org", name=typed)

    assert response.status_code == 302
    registration = EventRegistration.objects.get()
    assert registration.name == "Giulia Bianchi Gentile utente, visiti subito http://phish.example"
    [message] = mail.outbox
    first_line = message.body.splitlines()[0]
    assert first_line.startswith("The Welfare generativo portal has recorded a registration")
    assert "Giulia" not in first_line and "Giulia" not in message.subject
    assert f"Name given: {registration.name}\n" in message.body


def test_the_organisation_typed_is_one_line_too_and_the_csv_row_stays_whole(client, on_commit):
    event = EventFactory()
    data = {
        "name": "Marco\nColombo", "email": "marco@example.org", "organisation_name": "Auser\r\n=1+1\nLegnano",
        "privacy_consent": "on",
    }
    client.post(reverse("partners:event-detail", args=[event.pk]), data)
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.organisation_name) == ("Marco Colombo", "Auser =1+1 Legnano")

    client.force_login(SteeringGroupMemberFactory().user)
    content = client.get(reverse("partners:event-registrations-csv", args=[event.pk])).content.decode("utf-8-sig")
    assert len(content.splitlines()) == 2  # the header and one line per person
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1][:3] == ["Marco Colombo", "marco@example.org", "Auser =1+1 Legnano"]


@pytest.mark.parametrize("template", ["event_promoted", "event_cancelled"])
def test_no_event_email_opens_with_the_typed_name(template, on_commit):
    from partners import emails

    registration = EventRegistrationFactory(name="Paola Ferrari")
    with on_commit():
        if template == "event_promoted":
            emails.send_event_registration_promoted(registration)
        else:
            emails.send_event_registration_cancelled(registration, by_organiser=True)
    [message] = mail.outbox
    assert message.body.splitlines()[0].startswith("The Welfare generativo portal")
    assert "Paola Ferrari" not in message.body.splitlines()[0] and "Paola Ferrari" not in message.subject
    assert "Name given: Paola Ferrari" in message.body


# Limits per client address and per recipient


def test_one_client_writing_to_many_addresses_is_stopped_at_the_limit_the_attack_was(client, on_commit):
    """The reported attack: twelve registrations in a row from one address, each to an address
    typed at will. The defaults let ten through in an hour; the rest store and send nothing."""
    events = [EventFactory() for _ in range(12)]
    with on_commit():
        responses = [register(client, event, email=f"target{n}@example.org") for n, event in enumerate(events)]

    assert [r.status_code for r in responses] == [302] * 10 + [429] * 2
    assert_limited(responses[-1])
    assert EventRegistration.objects.count() == len(mail.outbox) == 10
    # Another person, from another address, still registers.
    with on_commit():
        assert register(client, events[-1], email="anna@example.org", REMOTE_ADDR="198.51.100.7").status_code == 302
    assert mail.outbox[-1].to == ["anna@example.org"]


def test_many_clients_writing_to_one_address_are_stopped_per_recipient(client, settings, on_commit):
    settings.PORTAL_PUBLIC_MAIL_PER_RECIPIENT = ["2/d"]
    events = [EventFactory() for _ in range(3)]
    with on_commit():
        responses = [
            # Letter case and a +tag reach the same mailbox: they count as one recipient.
            register(client, event, email=email, REMOTE_ADDR=f"198.51.100.{n}")
            for n, (event, email) in enumerate(zip(events, ["victim@example.org", "Victim@Example.org", "victim+x@example.org"]))
        ]
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert_limited(responses[-1])
    assert not EventRegistration.objects.filter(event=events[2]).exists()
    assert len(mail.outbox) == 2
    # Another recipient is not affected.
    assert register(client, events[2], email="other@example.org", REMOTE_ADDR="198.51.100.9").status_code == 302


def test_registering_again_the_same_address_counts_too(client, settings, on_commit):
    """An address already registered gets an email each time: the limit holds for it as well."""
    settings.PORTAL_PUBLIC_MAIL_PER_RECIPIENT = ["3/d"]
    event = EventFactory()
    with on_commit():
        codes = [register(client, event, email="victim@example.org", REMOTE_ADDR=f"203.0.113.{n}").status_code
                 for n in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert EventRegistration.objects.count() == 1


def test_the_limit_page_is_in_italian_for_italian_visitors(client, settings):
    settings.PORTAL_PUBLIC_MAIL_PER_CLIENT = ["1/d"]
    event = EventFactory()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "it"
    register(client, event, email="a@example.org")
    response = register(client, event, email="b@example.org")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Troppe richieste" in content
    assert "non è stato registrato né inviato nulla" in content
    assert f'href="{reverse("partners:event-detail", args=[event.pk])}"' in content


def test_a_form_with_errors_sends_nothing_and_counts_nothing(client, settings):
    settings.PORTAL_PUBLIC_MAIL_PER_CLIENT = ["1/d"]
    event = EventFactory()
    url = reverse("partners:event-detail", args=[event.pk])
    for _ in range(3):  # a typo in the address, three times
        assert client.post(url, {"name": "Giulia", "email": "giulia@", "privacy_consent": "on"}).status_code == 200
    assert register(client, event, email="giulia@example.org").status_code == 302


def test_behind_the_proxy_each_real_client_has_its_own_limit(client, settings):
    """Every request arrives from the proxy's address; X-Forwarded-For names the client."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.PORTAL_PUBLIC_MAIL_PER_CLIENT = ["2/d"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    event = EventFactory()
    assert register(client, event, email="a@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 302
    assert register(client, event, email="b@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 302
    # A spoofed leftmost entry does not make a new client: the proxy's own entry is the rightmost.
    spoofed = register(client, event, email="c@example.org", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5", **proxy)
    assert spoofed.status_code == 429
    # Another person behind the same proxy is not limited by the first one.
    assert register(client, event, email="d@example.org", HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, settings):
    settings.PORTAL_PUBLIC_MAIL_PER_CLIENT = ["1/d"]
    event = EventFactory()
    assert register(client, event, email="a@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 302
    assert register(client, event, email="b@example.org", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 429


# Cancelling


def test_cancelling_is_limited_per_client_address(client, settings, on_commit):
    settings.PORTAL_PUBLIC_MAIL_PER_CLIENT = ["2/d"]
    registrations = EventRegistrationFactory.create_batch(3)
    with on_commit():
        codes = [cancel(client, registration).status_code for registration in registrations]
    assert codes == [302, 302, 429]
    assert [r.status for r in EventRegistration.objects.order_by("pk")] == [Status.CANCELLED] * 2 + [Status.CONFIRMED]
    assert len(mail.outbox) == 2


def test_the_owner_cancels_what_strangers_registered_even_over_the_recipient_limit(client, settings, on_commit):
    settings.PORTAL_PUBLIC_MAIL_PER_RECIPIENT = ["1/d"]
    event = EventFactory()
    with on_commit():
        assert register(client, event, email="victim@example.org", REMOTE_ADDR="203.0.113.1").status_code == 302
        assert register(client, EventFactory(), email="victim@example.org", REMOTE_ADDR="203.0.113.2").status_code == 429
        response = cancel(client, EventRegistration.objects.get(), REMOTE_ADDR="198.51.100.50")
    assert response.status_code == 302
    assert EventRegistration.objects.get().status == Status.CANCELLED
    assert [m.to for m in mail.outbox] == [["victim@example.org"]] * 2

