"""How the portal's notifications are written and sent, for every app.

Subject and body come from `<template>_subject.txt` and `<template>_body.txt` (plain text, the
subject folded onto one line behind the portal's prefix). Each person gets their own message,
so addresses are never disclosed to each other. Services call the senders inside
`transaction.on_commit`: nothing leaves for a change that rolls back.
"""

from django.conf import settings
from django.core.mail import EmailMessage, send_mass_mail
from django.template.loader import render_to_string


def render_email(template, context):
    """(subject, body) of a notification."""
    context = {
        **context,
        "portal_name": settings.PORTAL_NAME,
        "ambito_name": settings.PORTAL_AMBITO_NAME,
    }
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    subject = prefix + " ".join(render_to_string(f"{template}_subject.txt", context).split())
    return subject, render_to_string(f"{template}_body.txt", context)


def send_to_people(template, recipients, context):
    """One message to each distinct active person with an address; `recipient` in the context."""
    messages, seen = [], set()
    for recipient in recipients:
        if not recipient.email or not recipient.is_active or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        subject, body = render_email(template, {**context, "recipient": recipient})
        messages.append((subject, body, None, [recipient.email]))
    send_mass_mail(messages, fail_silently=False)


def send_to_address(template, address, context, *, reply_to=None):
    """A message to someone who may have no account (an invited contact, an event registrant)."""
    subject, body = render_email(template, context)
    EmailMessage(subject, body, to=[address], reply_to=[reply_to] if reply_to else None).send()
