"""Render a frozen version or a pact into a stored Document, in the background.

A service that approves a Carta, opens or closes a Patto calls `owe_document` inside its
transaction: a DocumentJob row records that the document is owed, and the rendering is queued
for after the commit (welfare_portal.jobs), so the decision commits at once and no row stays
locked while WeasyPrint works. `produce_document`, the job, is idempotent: it renders outside
any transaction and stores the file in a short one that locks the owner, where the unique
constraints on Document keep exactly one. `sweep_owed_documents` queues again what a lost
worker or a lost queue entry left owed; a job that fails on its last try is marked failed and
staff are told (charter.services.documents.retry_document queues it again).

These functions check no permission; only charter.services, the worker and the demo call them.
"""

import contextlib
import datetime
import hashlib
import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from welfare_portal import jobs

from .models import CharterVersion, Document, DocumentJob, DocumentKind, Pact
from .models.documents import LAST_ERROR_LENGTH
from .pdf import render_pdf
from .resources import resources_summary, totals_by_organisation
from .snapshot import commitments_of, projects_of
from .verification import print_context, unused_code

log = logging.getLogger(__name__)


def _portal():
    return {"portal_name": settings.PORTAL_NAME, "ambito_name": settings.PORTAL_AMBITO_NAME}


def _render(template, context, *, seal=True):
    """Render with a fresh verification code: the code is printed in the PDF, so it is chosen
    before the bytes exist. The platform seal, when configured, is applied last (charter.pdf)."""
    code = unused_code()
    return code, render_pdf(template, {**context, **print_context(code)}, seal=seal)


def _store(code, rendered, **owner):
    document = Document(
        sha256=hashlib.sha256(rendered.content).hexdigest(), size=len(rendered.content),
        page_count=rendered.page_count, render_seconds=rendered.seconds, verification_code=code,
        # Set by charter.pdf when it measures them; absent from older renderers.
        render_cpu_seconds=getattr(rendered, "cpu_seconds", None),
        render_load_average=getattr(rendered, "load_average", None),
        sealed=rendered.sealed, seal_subject=rendered.seal_subject, **owner,
    )
    document.file.save("document.pdf", ContentFile(rendered.content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.delete(save=False)  # no row points at it: do not leave it behind
        raise
    return document


def charter_context(version):
    snapshot = version.snapshot
    return {
        **_portal(),
        "version": version,
        "snapshot": snapshot,
        "projects": projects_of(snapshot),
        "summary": resources_summary(snapshot),
    }


def _render_charter(version):
    assert version.snapshot is not None, "Only a frozen version is rendered."
    return _render("charter/pdf/charter.html", charter_context(version))


def render_charter_document(version):
    """The Carta's PDF, from the version's snapshot (the version must be approved), rendered
    and stored at once (the demo; services call `owe_document`)."""
    code, rendered = _render_charter(version)
    return _store(code, rendered, kind=DocumentKind.CHARTER, version=version)


def signatory_rows(pact, snapshot):
    """Each signatory with its commitments from the snapshot and their total."""
    totals = totals_by_organisation(snapshot)
    signatories = pact.signatories.select_related("organisation").order_by("organisation_name", "pk")
    return [
        {
            "signatory": signatory,
            "commitments": commitments_of(snapshot, signatory.organisation_id),
            "total_eur": totals.get(signatory.organisation_id),
        }
        for signatory in signatories
    ]


def pact_context(pact, *, final=False):
    version = pact.version
    snapshot = version.snapshot
    rows = signatory_rows(pact, snapshot)
    context = {
        **_portal(),
        "pact": pact,
        "version": version,
        "snapshot": snapshot,
        "final": final,
        "signatories": rows,
        "summary": resources_summary(snapshot, organisation_ids={row["signatory"].organisation_id for row in rows}),
    }
    if final:
        signatures = {s.organisation_id: s for s in pact.signatures.select_related("signer", "qualified_evidence")}
        names = {row["signatory"].organisation_id: row["signatory"].organisation_name for row in rows}
        for signature in signatures.values():
            signature.organisation_name = names.get(signature.organisation_id, "")
        declines = {d.organisation_id: d for d in pact.declines.all()}
        context.update(
            draft=pact.documents.filter(kind=DocumentKind.PACT_DRAFT).first(),
            signatures=sorted(signatures.values(), key=lambda s: (s.signed_at, s.pk)),
            unsigned=[
                {"signatory": row["signatory"], "decline": declines.get(row["signatory"].organisation_id)}
                for row in rows if row["signatory"].organisation_id not in signatures
            ],
        )
    return context


def _render_pact(pact, *, final):
    # The text for signing stays unsealed: legal representatives sign it with their own
    # qualified signature (charter.qualified), which must be the file's only signature.
    return _render("charter/pdf/pact.html", pact_context(pact, final=final), seal=final)


def render_pact_document(pact, *, final=False):
    """The pact for signing (`final=False`, when it opens) or signed, with the annex of
    signatures (`final=True`, when it closes), rendered and stored at once (the demo)."""
    code, rendered = _render_pact(pact, final=final)
    kind = DocumentKind.PACT_FINAL if final else DocumentKind.PACT_DRAFT
    return _store(code, rendered, kind=kind, pact=pact)



# Rendering in the background


class DocumentNotReady(Exception):
    """The document cannot be rendered yet (the signed Patto needs its text for signing first);
    the queue tries again later."""


def owe_document(*, kind, version=None, pact=None):
    """Record, in the caller's transaction, that the document is owed, and queue its rendering
    for when that transaction commits."""
    job = DocumentJob.objects.create(kind=kind, version=version, pact=pact)
    _queue_after_commit(job)
    return job


def _queue_after_commit(job):
    """Give the job a new queue id and queue it after the commit. A new id each time: an
    abandoned queue entry that RQ cleans up later must not touch the new one."""
    job.queue_job_id = f"document-{job.pk}-{uuid.uuid4().hex[:12]}"
    job.enqueued_at = timezone.now()
    job.save(update_fields=["queue_job_id", "enqueued_at"])
    jobs.enqueue_after_commit(
        produce_document, job.pk, queue_name="documents", attempts=settings.CHARTER_RENDER_ATTEMPTS,
        retry_seconds=settings.CHARTER_RENDER_RETRY_SECONDS, timeout=settings.CHARTER_RENDER_TIMEOUT,
        job_id=job.queue_job_id,
    )


def requeue_document_job(job, *, reset_attempts=False):
    """Queue an owed document again (the sweeper, staff's retry); the caller holds the job's lock."""
    job.status = DocumentJob.Status.QUEUED
    fields = ["status"]
    if reset_attempts:
        job.attempts = 0
        fields.append("attempts")
    job.save(update_fields=fields)
    _queue_after_commit(job)
    return job


def existing_document(job):
    return Document.objects.filter(**job.owner_filter).first()


def produce_document(job_pk):
    """The job: render the owed document and store it, unless it exists already or staff must
    retry it (failed). Returns the stored Document's id (what the queue keeps as the job's
    result), or None when there was nothing to do."""
    job = _start(job_pk)
    if job is None:
        return None
    try:
        with _heartbeat(job.pk):
            _pause_for_tests(job)
            code, rendered = _render_owed(job)
        return _store_owed(job, code, rendered).pk
    except Exception as error:
        _record_failure(job.pk, error)
        raise


def _start(job_pk):
    """Mark the job running (one more attempt) or say there is nothing to do (None)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_pk)
        if job.status in (DocumentJob.Status.DONE, DocumentJob.Status.FAILED):
            return None
        if existing_document(job) is not None:
            _finish(job)
            return None
        now = timezone.now()
        job.status = DocumentJob.Status.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    return job


def _finish(job):
    job.status = DocumentJob.Status.DONE
    job.finished_at = timezone.now()
    job.last_error = ""
    job.save(update_fields=["status", "finished_at", "last_error"])


def _render_owed(job):
    if job.kind == DocumentKind.CHARTER:
        return _render_charter(CharterVersion.objects.select_related("charter").get(pk=job.version_id))
    pact = Pact.objects.select_related("version__charter").get(pk=job.pact_id)
    final = job.kind == DocumentKind.PACT_FINAL
    if final and not pact.documents.filter(kind=DocumentKind.PACT_DRAFT).exists():
        raise DocumentNotReady("The text for signing is not stored yet: the signed Patto refers to it.")
    return _render_pact(pact, final=final)


def _store_owed(job, code, rendered):
    """Store in a short transaction that locks the owner: whoever comes second finds the
    document there and writes no file."""
    with transaction.atomic():
        if job.kind == DocumentKind.CHARTER:
            owner = {"version": CharterVersion.objects.select_for_update(of=("self",)).get(pk=job.version_id)}
        else:
            owner = {"pact": Pact.objects.select_for_update(of=("self",)).get(pk=job.pact_id)}
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        document = existing_document(job)
        if document is None:
            try:
                document = _store(code, rendered, kind=job.kind, **owner)
            except IntegrityError:
                # A racer without row locks (SQLite) stored it first; its file is the one kept.
                document = existing_document(job)
                if document is None:
                    raise
            else:
                _announce(document)
        _finish(job)
    return document


def _announce(document):
    """The emails that wait for a document: the signed Patto is available."""
    from . import emails

    if document.kind == DocumentKind.PACT_FINAL:
        pact = document.pact
        transaction.on_commit(lambda: emails.send_pact_closed(pact))


def _record_failure(job_pk, error):
    from . import emails

    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_pk)
        if job.status == DocumentJob.Status.DONE:
            return
        job.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
        if job.attempts >= settings.CHARTER_RENDER_ATTEMPTS:
            job.status, job.finished_at = DocumentJob.Status.FAILED, timezone.now()
            transaction.on_commit(lambda: emails.send_document_failed(job))
        else:
            job.status = DocumentJob.Status.QUEUED  # the queue tries again after its pause
        job.save(update_fields=["status", "last_error", "finished_at"])
    log.warning("Rendering %s failed (attempt %d): %s", job, job.attempts, job.last_error)


@contextlib.contextmanager
def _heartbeat(job_pk):
    """While the render runs, touch the job's heartbeat from a thread with its own database
    connection: a running job whose heartbeat stops lost its worker (killed, out of memory).
    Inside a caller's transaction (eager tests) nobody else could see it, so there is none."""
    if connection.in_atomic_block:
        yield
        return
    stop = threading.Event()

    def beat():
        from django.db import connections

        try:
            while not stop.wait(settings.CHARTER_RENDER_HEARTBEAT_SECONDS):
                DocumentJob.objects.filter(pk=job_pk, status=DocumentJob.Status.RUNNING).update(
                    heartbeat_at=timezone.now(),
                )
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"document-job-{job_pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _pause_for_tests(job):
    """A hook for the test that kills a worker in the middle of a render: with the test-only
    setting CHARTER_RENDER_TEST_PAUSE_FILE, the render says it started and waits while that
    file exists. Unset everywhere else."""
    pause = getattr(settings, "CHARTER_RENDER_TEST_PAUSE_FILE", "")
    if not pause:
        return
    with open(f"{pause}.started", "a") as marker:
        marker.write(f"{job.pk} {os.getpid()}\n")
    while os.path.exists(pause):
        time.sleep(0.05)


def stale_jobs():
    """Owed documents that nobody is rendering and the queue no longer holds: running without a
    heartbeat for CHARTER_RENDER_STALE_SECONDS, or queued that long ago and missing from the queue."""
    before = timezone.now() - datetime.timedelta(seconds=settings.CHARTER_RENDER_STALE_SECONDS)
    candidates = DocumentJob.objects.filter(
        Q(status=DocumentJob.Status.RUNNING, heartbeat_at__lt=before)
        | Q(status=DocumentJob.Status.QUEUED, enqueued_at__lt=before)
        | Q(status=DocumentJob.Status.QUEUED, enqueued_at__isnull=True)
    )
    return [
        job for job in candidates
        if job.status == DocumentJob.Status.RUNNING or not jobs.is_waiting(job.queue_job_id)
    ]


def sweep_owed_documents():
    """Queue again every stale owed document (`manage.py run_worker` runs this when it starts
    and then every PORTAL_JOB_SWEEP_SECONDS, settings.JOB_SWEEPERS); returns the jobs queued again."""
    requeued = []
    for stale in stale_jobs():
        with transaction.atomic():
            job = DocumentJob.objects.select_for_update().get(pk=stale.pk)
            if not job.is_stale():  # another sweeper (another worker) was first
                continue
            if existing_document(job) is not None:
                _finish(job)
                continue
            log.warning("Queuing %s again: its worker or its queue entry was lost.", job)
            requeued.append(requeue_document_job(job))
    return requeued
