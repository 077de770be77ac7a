"""Emails through the job queue (welfare_portal.jobs, mail_queue): queued, delivered by the
real backend, tried again when delivery fails, without Redis (in-process) and with it.

pytest-django replaces EMAIL_BACKEND with locmem for every test: these tests put the queued
backend back explicitly and let locmem be the backend that delivers."""

import logging
import smtplib

import django_rq
import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from rq.worker import SimpleWorker

from welfare_portal import jobs


class FlakyServerBackend(BaseEmailBackend):
    """Stands in for a mail server that drops the connection for the first `failures` messages,
    then delivers (to locmem's outbox)."""

    failures = 0
    tries = 0

    def send_messages(self, messages):
        FlakyServerBackend.tries += 1
        if FlakyServerBackend.failures > 0:
            FlakyServerBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return LocmemBackend().send_messages(messages)


@pytest.fixture
def queued_email(settings):
    settings.EMAIL_BACKEND = "welfare_portal.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.FlakyServerBackend"
    settings.EMAIL_DELIVERY_ATTEMPTS = 3
    settings.EMAIL_DELIVERY_RETRY_SECONDS = [0]
    FlakyServerBackend.failures = FlakyServerBackend.tries = 0
    mail.outbox = []
    return FlakyServerBackend


def _send():
    return send_mail("Promemoria", "Il Patto attende la sua firma.", None, ["legale@example.org"])


def test_without_redis_an_email_is_delivered_in_process_by_the_real_backend(settings, queued_email):
    settings.PORTAL_JOBS = "inline"
    assert _send() == 1
    assert [(m.subject, m.to) for m in mail.outbox] == [("Promemoria", ["legale@example.org"])]


def test_without_redis_a_failed_delivery_is_tried_again(settings, queued_email):
    settings.PORTAL_JOBS = "inline"
    queued_email.failures = 2
    _send()
    assert queued_email.tries == 3 and len(mail.outbox) == 1


def test_a_delivery_that_keeps_failing_stops_after_its_attempts_and_is_logged_not_raised(
    settings, queued_email, caplog,
):
    settings.PORTAL_JOBS = "inline"
    queued_email.failures = 99
    with caplog.at_level(logging.WARNING, logger="welfare_portal.jobs"):
        _send()  # the page that sent it does not fail
    assert queued_email.tries == 3 and mail.outbox == []
    assert any(r.levelno == logging.ERROR and "after 3 attempts" in r.getMessage() for r in caplog.records)


def test_with_redis_an_email_is_queued_then_the_worker_delivers_it_retrying_a_failure(
    jobs_redis, queued_email,
):
    queued_email.failures = 1
    _send()
    queue = django_rq.get_queue("email")
    assert mail.outbox == [] and queue.count == 1  # queued, not sent by the request

    django_rq.get_worker("email", worker_class=SimpleWorker).work(burst=True)

    assert queued_email.tries == 2 and len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Promemoria" and queue.failed_job_registry.count == 0


def test_with_redis_a_delivery_that_keeps_failing_ends_in_the_failed_registry(jobs_redis, queued_email):
    queued_email.failures = 99
    _send()
    django_rq.get_worker("email", worker_class=SimpleWorker).work(burst=True)
    queue = django_rq.get_queue("email")
    assert queued_email.tries == 3 and mail.outbox == [] and queue.failed_job_registry.count == 1


def test_jobs_refuse_an_unknown_mode(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PORTAL_JOBS = "celery"
    with pytest.raises(ImproperlyConfigured):
        jobs.enqueue(print, "x", queue_name="email")
