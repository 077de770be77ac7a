"""Emails leave through the job queue (welfare_portal.jobs), so a mail server that is down or
slow neither fails nor delays the page that sends them, and a failed delivery is tried again.

EMAIL_BACKEND is `QueuedEmailBackend`; EMAIL_DELIVERY_BACKEND (DJANGO_EMAIL_BACKEND: console in
development, SMTP in production) is the backend that really delivers, in the worker.
"""

import logging

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from . import jobs

log = logging.getLogger(__name__)


class QueuedEmailBackend(BaseEmailBackend):
    """Queues one delivery job per message; returns how many were queued."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            message.connection = None  # the job pickles the message; the worker opens its own connection
            try:
                jobs.enqueue(
                    deliver_email, message, queue_name="email", attempts=settings.EMAIL_DELIVERY_ATTEMPTS,
                    retry_seconds=settings.EMAIL_DELIVERY_RETRY_SECONDS,
                )
            except Exception:
                if not self.fail_silently:
                    raise
                log.exception("Could not queue an email to %d recipients.", len(message.recipients()))
                continue
            count += 1
        return count


def deliver_email(message):
    """The job: hand the message to the real backend; an error makes the queue try again."""
    if not message.recipients():
        return
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    if not connection.send_messages([message]):
        raise RuntimeError("The mail backend accepted none of the message's recipients.")

