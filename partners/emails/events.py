"""Notifications to the people registered for an event; one function per notification.

Registrants need no account, so each message goes to the address given in the registration.
Anyone may type any address, so every message opens with the portal's own words and shows the
name typed with the registration further down, never as the greeting. Services call these
inside `transaction.on_commit`; links are absolute (PORTAL_BASE_URL).
"""


from welfare_portal.links import absolute_url
from welfare_portal.mail import send_to_address

__all__ = [
    "send_event_already_registered", "send_event_registration_cancelled", "send_event_registration_promoted",
    "send_event_registration_received",
]


def _send(template, registration, **context):
    ctx = {
        **context,
        "registration": registration,
        "event": registration.event,
        "event_url": absolute_url("partners:event-detail", registration.event_id),
        "cancel_url": absolute_url("partners:event-registration-cancel", registration.cancel_token),
    }
    send_to_address(f"partners/email/{template}", registration.email, ctx)


def send_event_registration_received(registration):
    """Confirmed seat or waiting list, with the link to cancel."""
    from ..services.events import waiting_list_position

    _send("event_registered", registration, position=waiting_list_position(registration))


def send_event_already_registered(registration):
    """Someone asked to register an address that already has a live registration: only the
    address's owner learns it, with the link to cancel."""
    from ..services.events import waiting_list_position

    _send("event_already_registered", registration, position=waiting_list_position(registration))


def send_event_registration_promoted(registration):
    _send("event_promoted", registration)


def send_event_registration_cancelled(registration, *, by_organiser=False):
    _send("event_cancelled", registration, by_organiser=by_organiser)
