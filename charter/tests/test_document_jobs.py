"""PDFs rendered after the commit, in the background: the decision commits without them, the
owed document is never lost, failures reach staff, who can queue them again, and pages say
"PDF in preparazione" until the file exists.

These tests run jobs as the portal does without Redis ("inline": in-process, right after the
commit) and hold the commit with django_capture_on_commit_callbacks, instead of the suite's
"eager" default. The worker with real Redis is in test_worker.py.
"""

import datetime
import hashlib
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from charter import documents, services
from charter.models import CharterVersion, Document, DocumentJob, DocumentKind, Pact
from charter.services import CharterError, default_charter
from charter.tests.factories import (
    CharterVersionFactory,
    OpenPactFactory,
    PactFactory,
    approved_proposal,
    legal_representative,
    steering_member,
)
from charter.tests.pdfs import pdf_text
from projects.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = DocumentJob.Status


@pytest.fixture(autouse=True)
def _jobs_after_commit(settings):
    settings.PORTAL_JOBS = "inline"


@pytest.fixture
def render_calls(monkeypatch):
    """How many times WeasyPrint was asked for a PDF (the real renderer still runs)."""
    calls = []
    real = documents.render_pdf

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", counting)
    return calls


@pytest.fixture
def broken_seal(settings, tmp_path):
    """A seal configured with files that are not there: every sealed render fails, as it would
    in production after a bad deployment of the certificate."""
    settings.CHARTER_SEAL_CERT_PATH = str(tmp_path / "missing-cert.pem")
    settings.CHARTER_SEAL_KEY_PATH = str(tmp_path / "missing-key.pem")


def _draft():
    """A draft of this portal's Carta (the one its pages list), one number after the latest."""
    charter = default_charter()
    number = (charter.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return CharterVersionFactory(charter=charter, number=number, proposals=[approved_proposal("Orti condivisi")])


def _approve(version, django_capture_on_commit_callbacks, *, execute):
    coordinator = steering_member(coordinator=True)
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        version = services.approve_version(version, by=coordinator)
    return version, callbacks


# After the commit, never before


def test_approval_commits_the_decision_and_owes_the_pdf_without_rendering_it(
    django_capture_on_commit_callbacks, render_calls,
):
    version, callbacks = _approve(_draft(), django_capture_on_commit_callbacks, execute=False)
    version = CharterVersion.objects.get(pk=version.pk)
    assert version.status == CharterVersion.Status.APPROVED and version.snapshot is not None
    assert render_calls == [] and not Document.objects.exists()
    job = DocumentJob.objects.get()
    assert (job.kind, job.version, job.status, job.attempts) == (DocumentKind.CHARTER, version, Status.QUEUED, 0)
    assert len(callbacks) == 1

    callbacks[0]()  # the commit

    document = Document.objects.get(version=version)
    assert render_calls == ["charter/pdf/charter.html"]
    assert hashlib.sha256(document.read_bytes()).hexdigest() == document.sha256
    assert "Orti condivisi" in pdf_text(document.read_bytes())
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (Status.DONE, 1, "")


def test_an_approval_that_rolls_back_owes_nothing_and_queues_nothing(django_capture_on_commit_callbacks):
    version = CharterVersionFactory(proposals=[approved_proposal()], introduction=" ")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(CharterError):
            services.approve_version(version, by=steering_member(coordinator=True))
    assert callbacks == [] and not DocumentJob.objects.exists() and not Document.objects.exists()


def test_the_approving_request_answers_before_any_render(client, django_capture_on_commit_callbacks, render_calls):
    version = _draft()
    client.force_login(steering_member(coordinator=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("charter:version-approve", args=[version.pk]), {"note": ""})
    assert response.status_code == 302
    assert render_calls == [] and not Document.objects.exists()
    assert CharterVersion.objects.get(pk=version.pk).status == CharterVersion.Status.APPROVED
    assert any("Its PDF is being prepared" in str(m) for m in get_messages(response.wsgi_request))
    assert len(callbacks) == 1


def test_with_redis_the_approving_request_only_queues_the_render(
    client, jobs_redis, django_capture_on_commit_callbacks, render_calls,
):
    import django_rq

    version = _draft()
    client.force_login(steering_member(coordinator=True))
    with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
        response = client.post(reverse("charter:version-approve", args=[version.pk]), {"note": ""})
    assert response.status_code == 302 and render_calls == [] and not Document.objects.exists()
    queue = django_rq.get_queue("documents")
    job = DocumentJob.objects.get()
    assert queue.job_ids == [job.queue_job_id]
    assert queue.fetch_job(job.queue_job_id).timeout == django_settings.CHARTER_RENDER_TIMEOUT


def test_opening_a_pact_owes_the_text_for_signing_and_nobody_signs_before_it_exists(
    django_capture_on_commit_callbacks, render_calls,
):
    pact = PactFactory()
    organisation = pact.signatories.first().organisation
    representative = legal_representative(organisation)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.open_pact(pact, by=steering_member(coordinator=True))
    pact.refresh_from_db()
    assert pact.status == Pact.Status.OPEN and render_calls == []
    signatory = pact.signatories.get(organisation=organisation)
    assert not representative.has_perm("charter.sign_signatory", signatory)
    with pytest.raises(CharterError, match="text for signing is being prepared"):
        services.sign_pact(
            pact, by=representative, organisation=organisation, full_name=representative.full_name, consent=True,
            ip="192.0.2.1", user_agent="test", reauthenticated_at=timezone.now(),
        )
    with pytest.raises(CharterError, match="text for signing is being prepared"):
        services.sign_pact_qualified(
            pact, by=representative, organisation=organisation, signed_file=b"%PDF-1.7", ip="192.0.2.1",
            user_agent="test", reauthenticated_at=timezone.now(),
        )
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(CharterError, match="still being prepared"):
        services.close_pact(pact, by=UserFactory(staff=True))
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate())

    for callback in callbacks:  # the commit: the emails and the render
        callback()

    assert render_calls == ["charter/pdf/pact.html"]
    assert pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    assert representative.has_perm("charter.sign_signatory", signatory)


def test_closing_a_pact_commits_at_once_and_the_signed_pdf_and_its_email_follow(
    django_capture_on_commit_callbacks, render_calls,
):
    pact = OpenPactFactory(deadline=timezone.localdate())
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    coordinator = steering_member(coordinator=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.close_pact(pact, by=coordinator)
    assert Pact.objects.get(pk=pact.pk).status == Pact.Status.CLOSED
    assert render_calls == [] and not pact.documents.filter(kind=DocumentKind.PACT_FINAL).exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    final = pact.documents.get(kind=DocumentKind.PACT_FINAL)
    assert "Patto di solidarietà" in pdf_text(final.read_bytes())
    assert any("signed document is available" in message.subject for message in mail.outbox)


# Idempotent, and never lost


def test_a_job_run_twice_stores_exactly_one_document(django_capture_on_commit_callbacks, render_calls):
    version, callbacks = _approve(_draft(), django_capture_on_commit_callbacks, execute=False)
    job = DocumentJob.objects.get()
    callbacks[0]()
    first = Document.objects.get()
    assert documents.produce_document(job.pk) is None  # a retry, a second worker, a sweeper
    DocumentJob.objects.filter(pk=job.pk).update(status=Status.QUEUED)  # even if it looked owed
    assert documents.produce_document(job.pk) is None
    assert list(Document.objects.all()) == [first] and len(render_calls) == 1
    assert DocumentJob.objects.get(pk=job.pk).status == Status.DONE


def test_a_render_that_lost_its_worker_is_queued_again_by_the_sweeper(
    settings, django_capture_on_commit_callbacks,
):
    version, _lost = _approve(_draft(), django_capture_on_commit_callbacks, execute=False)  # never queued
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CHARTER_RENDER_STALE_SECONDS + 1)
    DocumentJob.objects.update(status=Status.RUNNING, attempts=1, started_at=long_ago, heartbeat_at=long_ago)
    fresh = _draft()
    _approve(fresh, django_capture_on_commit_callbacks, execute=False)  # owed a moment ago: left alone

    with django_capture_on_commit_callbacks(execute=True):
        requeued = documents.sweep_owed_documents()

    assert [job.version_id for job in requeued] == [version.pk]
    document = Document.objects.get(version=version)
    assert hashlib.sha256(document.read_bytes()).hexdigest() == document.sha256
    assert DocumentJob.objects.get(version=version).attempts == 2
    assert not Document.objects.filter(version=fresh).exists()
    assert DocumentJob.objects.get(version=fresh).status == Status.QUEUED


def test_a_running_render_with_a_heartbeat_is_not_taken_over(settings, django_capture_on_commit_callbacks):
    _approve(_draft(), django_capture_on_commit_callbacks, execute=False)
    DocumentJob.objects.update(status=Status.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert documents.sweep_owed_documents() == []


# Failures: retried, then failed, shown to staff, queued again


def test_a_render_that_keeps_failing_is_retried_then_failed_and_staff_are_emailed(
    settings, broken_seal, django_capture_on_commit_callbacks, render_calls,
):
    settings.CHARTER_RENDER_ATTEMPTS = 3
    staff = UserFactory(staff=True)
    UserFactory()  # not staff: not told
    version, _callbacks = _approve(_draft(), django_capture_on_commit_callbacks, execute=True)

    job = DocumentJob.objects.get()
    assert (job.status, job.attempts) == (Status.FAILED, 3) and len(render_calls) == 3
    assert job.last_error and not Document.objects.exists()
    assert CharterVersion.objects.get(pk=version.pk).status == CharterVersion.Status.APPROVED  # the decision stays
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert "could not prepare" in mail.outbox[0].body and job.last_error in mail.outbox[0].body
    assert reverse("charter:document-job-list") in mail.outbox[0].body


def test_staff_see_the_failure_and_retry_queues_it_again_until_the_pdf_exists(
    client, settings, broken_seal, django_capture_on_commit_callbacks,
):
    _approve(_draft(), django_capture_on_commit_callbacks, execute=True)
    job = DocumentJob.objects.get(status=Status.FAILED)
    staff = UserFactory(staff=True)
    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("charter:document-job-list")).content.decode()
    assert f'data-job="{job.pk}" data-status="failed"' in page
    assert job.last_error.split("'")[0] in page and reverse("charter:document-job-retry", args=[job.pk]) in page
    confirm = client.get(reverse("charter:document-job-retry", args=[job.pk]))
    assert confirm.status_code == 200 and b'method="post"' in confirm.content

    settings.CHARTER_SEAL_CERT_PATH = settings.CHARTER_SEAL_KEY_PATH = ""  # the cause is fixed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("charter:document-job-retry", args=[job.pk]))
    assert response.status_code == 302 and response.url == reverse("charter:document-job-list")

    job.refresh_from_db()
    assert (job.status, job.attempts, job.retried_by) == (Status.DONE, 1, staff)
    assert Document.objects.filter(version=job.version).count() == 1
    page = client.get(reverse("charter:document-job-list")).content.decode()
    assert "Every PDF is ready" in page


def test_retry_refused_while_the_render_is_alive_or_done(client, django_capture_on_commit_callbacks):
    _approve(_draft(), django_capture_on_commit_callbacks, execute=False)
    job = DocumentJob.objects.get()
    staff = UserFactory(staff=True)
    assert not staff.has_perm("charter.retry_documentjob", job)  # queued a moment ago
    client.force_login(staff)
    assert client.get(reverse("charter:document-job-retry", args=[job.pk])).status_code == 403
    with pytest.raises(CharterError):
        services.retry_document(job, by=staff)
    DocumentJob.objects.filter(pk=job.pk).update(status=Status.FAILED)
    job.refresh_from_db()
    assert staff.has_perm("charter.retry_documentjob", job)


@pytest.mark.parametrize("role", ["anonymous", "partner", "steering", "coordinator"])
def test_only_staff_see_the_documents_being_prepared_and_retry_them(
    client, role, broken_seal, django_capture_on_commit_callbacks,
):
    _approve(_draft(), django_capture_on_commit_callbacks, execute=True)
    job = DocumentJob.objects.get(status=Status.FAILED)
    user = {
        "anonymous": lambda: None,
        "partner": lambda: MembershipFactory().user,
        "steering": steering_member,
        "coordinator": lambda: steering_member(coordinator=True),
    }[role]()
    if user is not None:
        client.force_login(user)
        assert not user.has_perm("charter.retry_documentjob", job)
    for response in (
        client.get(reverse("charter:document-job-list")),
        client.get(reverse("charter:document-job-retry", args=[job.pk])),
        client.post(reverse("charter:document-job-retry", args=[job.pk])),
    ):
        if user is None:
            assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        else:
            assert response.status_code == 403
    job.refresh_from_db()
    assert (job.status, job.retried_by) == (Status.FAILED, None)


def test_the_staff_area_links_to_the_documents_being_prepared(client):
    client.force_login(UserFactory(staff=True))
    assert reverse("charter:document-job-list") in client.get(reverse("partners:staff-home")).content.decode()


# Pages: "PDF in preparazione" until the file exists, then its code and fingerprint


def test_pages_say_the_carta_pdf_is_being_prepared_then_show_its_code_and_fingerprint(
    client, django_capture_on_commit_callbacks,
):
    version, callbacks = _approve(_draft(), django_capture_on_commit_callbacks, execute=False)
    coordinator = steering_member(coordinator=True)
    client.force_login(coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "it"
    page = client.get(reverse("charter:version-detail", args=[version.pk])).content.decode()
    assert "PDF in preparazione" in page and "data-document-pending" in page
    assert not re.search(r"/documenti/\d+/", page) and "data-sha256" not in page and "data-verification" not in page
    listing = client.get(reverse("charter:version-list")).content.decode()
    assert "PDF in preparazione" in listing

    callbacks[0]()

    document = Document.objects.get(version=version)
    page = client.get(reverse("charter:version-detail", args=[version.pk])).content.decode()
    assert "data-document-pending" not in page
    assert document.sha256 in page and document.verification_code in page
    assert reverse("charter:document-download", args=[document.pk]) in page


def test_the_pact_page_says_the_text_for_signing_is_being_prepared(client, django_capture_on_commit_callbacks):
    pact = PactFactory()
    organisation = pact.signatories.first().organisation
    representative = legal_representative(organisation)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.open_pact(pact, by=steering_member(coordinator=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "it"
    page = client.get(reverse("charter:pact-detail", args=[pact.pk])).content.decode()
    assert "PDF in preparazione" in page and not re.search(r"/documenti/\d+/", page)

    client.force_login(representative)
    signatory = pact.signatories.get(organisation=organisation)
    sign_page = client.get(reverse("charter:signatory-sign", args=[signatory.pk]))
    assert sign_page.status_code == 200
    assert "in preparazione" in sign_page.content.decode() and 'name="consent"' not in sign_page.content.decode()

    for callback in callbacks:
        callback()

    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    page = client.get(reverse("charter:pact-detail", args=[pact.pk])).content.decode()
    assert "data-document-pending" not in page and document.sha256 in page and document.verification_code in page


# Timings


def test_the_document_records_the_renders_cpu_time_and_load_when_the_renderer_measures_them(
    django_capture_on_commit_callbacks,
):
    _approve(_draft(), django_capture_on_commit_callbacks, execute=True)
    document = Document.objects.get()
    assert document.render_seconds > 0
    for value in (document.render_cpu_seconds, document.render_load_average):
        assert value is None or value >= 0
