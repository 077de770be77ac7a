"""Notifications to the people registered for an event; one function per notification.

Registrants need no account, so each message goes to the address given in the registration.
Services call these inside `transaction.on_commit`; links are absolute (PORTAL_BASE_URL).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from welfare_portal.links import absolute_url

__all__ = [
    "send_event_registration_cancelled", "send_event_registration_promoted",
    "send_event_registration_received",
]


def _send(template, registration, **context):
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    ctx = {
        **context,
        "registration": registration,
        "event": registration.event,
        "event_url": absolute_url("partners:event-detail", registration.event_id),
        "cancel_url": absolute_url("partners:event-registration-cancel", registration.cancel_token),
        "portal_name": settings.PORTAL_NAME,
    }
    subject = " ".join(render_to_string(f"partners/email/{template}_subject.txt", ctx).split())
    body = render_to_string(f"partners/email/{template}_body.txt", ctx)
    send_mail(prefix + subject, body, None, [registration.email], fail_silently=False)


def send_event_registration_received(registration):
    """Confirmed seat or waiting list, with the link to cancel."""
    from ..services.events import waiting_list_position

    _send("event_registered", registration, position=waiting_list_position(registration))


def send_event_registration_promoted(registration):
    _send("event_promoted", registration)


def send_event_registration_cancelled(registration, *, by_organiser=False):
    _send("event_cancelled", registration, by_organiser=by_organiser)
