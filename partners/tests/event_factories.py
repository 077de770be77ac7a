"""Factories for events and registrations (kept apart from factories.py, which other areas edit)."""

import datetime

import factory
from django.utils import timezone

from partners.models import Event, EventRegistration


class EventFactory(factory.django.DjangoModelFactory):
    """An open event a week from now with 50 seats; `past=True` for one that took place."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Evento di lancio {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "Sala consiliare, Palazzo Malinverni, Legnano"
    description = "Presentazione del percorso di welfare generativo."
    capacity = 50
    registration_open = True

    class Params:
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7)))
        closed = factory.Trait(registration_open=False)


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration; `waiting=True` or `cancelled=True` for the other states."""

    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="it_IT")
    email = factory.Sequence(lambda n: f"iscritto{n}@example.org")
    organisation_name = factory.Sequence(lambda n: f"Cooperativa {n}")
    privacy_consent_at = factory.LazyFunction(timezone.now)
    status = EventRegistration.Status.CONFIRMED

    class Params:
        waiting = factory.Trait(status=EventRegistration.Status.WAITING)
        cancelled = factory.Trait(
            status=EventRegistration.Status.CANCELLED, cancelled_at=factory.LazyFunction(timezone.now)
        )
