"""Background jobs: the one place that decides where a job runs (settings.PORTAL_JOBS).

- "redis": an RQ queue (django-rq) on the Redis of PORTAL_JOBS_REDIS_URL or REDIS_URL, worked on by
  `manage.py run_worker`; a failing job is tried again after the given pauses (RQ's Retry, which
  the worker's scheduler times) and stopped at its time limit.
- "inline": no Redis (make run, a newcomer's machine): the job runs in this process; the tries
  follow each other at once.
- "eager": the tests' default (welfare_portal/tests/settings.py): like "inline", but
  `enqueue_after_commit` runs the job at once, inside the caller's transaction, so that a test
  sees its result right after the service call without committing.

A job is a module-level function taking plain arguments (ids, not model instances), so that a
worker can import and call it. Jobs must be idempotent: a lost worker or a retry may run one twice.
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

log = logging.getLogger(__name__)

MODES = ("redis", "inline", "eager")
# RQ job states in which the job will still run (or is running) without anybody's help.
WAITING_STATES = {"queued", "scheduled", "deferred", "started"}


def mode():
    value = settings.PORTAL_JOBS
    if value not in MODES:
        raise ImproperlyConfigured(f"PORTAL_JOBS must be one of {MODES}, not {value!r}.")
    return value


def queue(name):
    import django_rq

    return django_rq.get_queue(name)


def enqueue(func, *args, queue_name, attempts=1, retry_seconds=(), timeout=None, job_id=None):
    """Run `func(*args)` as a job now; returns the queue's job id ("" when it ran in-process).
    `attempts` counts the first try; `retry_seconds` are the pauses before each further try."""
    if mode() == "redis":
        from rq import Retry

        retry = Retry(max=attempts - 1, interval=list(retry_seconds) or 0) if attempts > 1 else None
        job = queue(queue_name).enqueue(func, *args, retry=retry, job_timeout=timeout, job_id=job_id)
        return job.id
    run_in_process(func, args, attempts=attempts)
    return ""


def enqueue_after_commit(func, *args, **options):
    """Queue the job once the current transaction commits (at once outside one, and at once in
    "eager" mode); nothing is queued for a change that rolls back."""
    if mode() == "eager":
        enqueue(func, *args, **options)
        return
    # robust: a queue that cannot be reached must not turn a committed decision into an error
    # page; what the job owed is recorded by its caller (e.g. charter.DocumentJob) and found again.
    transaction.on_commit(lambda: enqueue(func, *args, **options), robust=True)


def run_in_process(func, args, *, attempts=1):
    """The "inline" and "eager" runner: up to `attempts` tries in a row; the last failure is
    logged, never raised into the request that queued the job."""
    for attempt in range(1, attempts + 1):
        try:
            func(*args)
            return True
        except Exception:
            if attempt == attempts:
                log.exception("Job %s failed after %d attempts.", getattr(func, "__qualname__", func), attempts)
            else:
                log.warning("Job %s failed (attempt %d of %d).", getattr(func, "__qualname__", func), attempt, attempts)
    return False


def is_waiting(job_id):
    """Whether the queue still holds the job, to run or retry it (always False without Redis:
    nothing waits outside this process)."""
    if not job_id or mode() != "redis":
        return False
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=queue(settings.JOB_QUEUES[0]).connection)
    except NoSuchJobError:
        return False
    status = job.get_status(refresh=False)
    return getattr(status, "value", status) in WAITING_STATES


def run_sweepers():
    """Run every function of settings.JOB_SWEEPERS; one that fails does not stop the others."""
    from django.utils.module_loading import import_string

    for path in settings.JOB_SWEEPERS:
        try:
            import_string(path)()
        except Exception:
            log.exception("Sweeper %s failed.", path)
