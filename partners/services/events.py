"""Events, registrations, the waiting list and cancellations.

Every change to an event's seats locks the Event row first (then the registration), so two
people cannot take the last seat at the same time and a cancelled seat goes to exactly one
person on the waiting list. Emails leave once the transaction commits.
"""

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import emails
from ..models import Event, EventRegistration
from .base import PartnersError, require_active, require_perm

__all__ = [
    "cancel_registration", "check_event_capacity", "check_event_start", "confirmed_count", "create_event",
    "register_for_event", "update_event", "waiting_list_position",
]

EVENT_FIELDS = {"title", "starts_at", "place", "description", "capacity", "registration_open"}
Status = EventRegistration.Status


def _check_event_fields(data):
    unknown = set(data) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"Unexpected event fields: {', '.join(sorted(unknown))}")


def confirmed_count(event):
    return event.registrations.filter(status=Status.CONFIRMED).count()


def check_event_capacity(event, capacity):
    """Refuse a capacity below the seats already confirmed: those people keep their seat."""
    if capacity is None:
        return
    if capacity < 1:
        raise ValidationError({"capacity": _("An event needs at least one seat.")})
    if event.pk is None:
        return
    confirmed = confirmed_count(event)
    if capacity < confirmed:
        raise ValidationError({
            "capacity": ngettext(
                "%(confirmed)d person already has a confirmed seat: the capacity cannot be lower. "
                "Cancel registrations first if the room is smaller.",
                "%(confirmed)d people already have a confirmed seat: the capacity cannot be lower. "
                "Cancel registrations first if the room is smaller.",
                confirmed,
            ) % {"confirmed": confirmed}
        })


def check_event_start(starts_at):
    """A new event starts in the future: nobody could register for one in the past."""
    if starts_at is not None and starts_at < timezone.now():
        raise ValidationError({"starts_at": _("The start must be in the future.")})


def create_event(*, by, **data):
    """A new event, open for registration unless said otherwise."""
    require_active(by)
    require_perm(by, "partners.add_event")
    _check_event_fields(data)
    event = Event(**data, created_by=by)
    check_event_capacity(event, event.capacity)
    event.full_clean()
    check_event_start(event.starts_at)
    event.save()
    return event


def update_event(event, *, by, **data):
    """Edit an event. A larger capacity gives the new seats to the waiting list, in order."""
    require_active(by)
    _check_event_fields(data)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        require_perm(by, "partners.change_event", event)
        for field, value in data.items():
            setattr(event, field, value)
        check_event_capacity(event, event.capacity)
        event.full_clean()
        event.save(update_fields=list(data) or None)
        if not event.is_past:
            _promote_from_waiting_list(event, event.capacity - confirmed_count(event))
    return event


def _promote_from_waiting_list(event, seats):
    """Confirm the first `seats` people waiting (earliest first) and tell them. The caller
    holds the event's lock."""
    if seats <= 0:
        return []
    waiting = list(
        EventRegistration.objects.select_for_update()
        .filter(event=event, status=Status.WAITING)
        .order_by("registered_at", "pk")[:seats]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = Status.CONFIRMED
        registration.promoted_at = now
        registration.event = event
        registration.save(update_fields=["status", "promoted_at"])
        transaction.on_commit(lambda r=registration: emails.send_event_registration_promoted(r))
    return waiting


def register_for_event(event, *, name, email, organisation_name="", privacy_consent):
    """Register a person: a confirmed seat while there are seats, the waiting list after.

    An address already registered is not registered again, and the caller learns nothing it
    could show: the email to that address says so (with the link to cancel), so only the
    address's owner learns whether it was registered. Returns the address's live registration.
    """
    if not privacy_consent:
        raise PartnersError(_("Accept the privacy notice to register: we need it to keep your data."))
    name = (name or "").strip()
    email = BaseUserManager.normalize_email((email or "").strip())
    organisation_name = (organisation_name or "").strip()
    with transaction.atomic():
        # The lock serialises every registration and cancellation of this event.
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.is_past:
            raise PartnersError(_("This event has already taken place: registration is closed."))
        if not event.registration_open:
            raise PartnersError(_("Registration for this event is closed."))
        existing = _live_registration(event, email)
        if existing is not None:
            return _already_registered(existing)
        has_seat = confirmed_count(event) < event.capacity
        registration = EventRegistration(
            event=event, name=name, email=email, organisation_name=organisation_name,
            privacy_consent_at=timezone.now(),
            status=Status.CONFIRMED if has_seat else Status.WAITING,
        )
        registration.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # The database's one-live-registration-per-address rule: the last guard.
            existing = _live_registration(event, email)
            if existing is None:
                raise
            return _already_registered(existing)
        transaction.on_commit(lambda: emails.send_event_registration_received(registration))
    return registration


def _live_registration(event, email):
    return (
        EventRegistration.objects.filter(event=event, email__iexact=email)
        .exclude(status=Status.CANCELLED).select_related("event").first()
    )


def _already_registered(registration):
    transaction.on_commit(lambda: emails.send_event_already_registered(registration))
    return registration


def cancel_registration(registration, *, by=None):
    """Cancel a registration and give a freed seat to the first person waiting.

    `by` is None when the person cancels through the link in their email (the token is their
    credential); otherwise it is an organiser, who needs the right to change the event.
    """
    if by is not None:
        require_active(by)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if by is not None:
            require_perm(by, "partners.change_event", event)
        if registration.status == Status.CANCELLED:
            raise PartnersError(_("This registration has already been cancelled."))
        if not registration.can_move_to(Status.CANCELLED):
            raise PartnersError(_("This registration cannot be cancelled."))
        if event.is_past:
            raise PartnersError(_("This event has already taken place: the registration stays as it was."))
        freed_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        transaction.on_commit(
            lambda: emails.send_event_registration_cancelled(registration, by_organiser=by is not None)
        )
        if freed_seat:
            _promote_from_waiting_list(event, event.capacity - confirmed_count(event))
    return registration


def waiting_list_position(registration):
    """1 for the first person waiting; None for a registration not on the waiting list."""
    if registration.status != Status.WAITING:
        return None
    ahead = EventRegistration.objects.filter(event_id=registration.event_id, status=Status.WAITING).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1
