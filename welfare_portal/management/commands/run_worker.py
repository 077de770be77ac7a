"""`manage.py run_worker`: the process that renders the PDFs and delivers the emails.

It works on the RQ queues of settings.JOB_QUEUES (emails first) with RQ's scheduler, which
times the retries of a failed job, and forks a fresh process per job (WeasyPrint's memory goes
back to the system after each render). Beside it, a small sweeper process runs
settings.JOB_SWEEPERS at start and every PORTAL_JOB_SWEEP_SECONDS, so that work left by a
killed worker or lost with a Redis entry is queued again. Run one or more, e.g. under systemd
(README, Production). Without Redis there is nothing to run: jobs run in the web process.
"""

import logging
import multiprocessing
import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from welfare_portal import jobs

log = logging.getLogger("welfare_portal.jobs")


def sweep_loop(parent_pid, interval):
    """Run the sweepers every `interval` seconds until the worker that started it is gone."""
    while True:
        time.sleep(interval)
        if os.getppid() != parent_pid:
            return
        jobs.run_sweepers()
        connections.close_all()


class Command(BaseCommand):
    help = "Work on the portal's job queues (PDF rendering, emails); needs Redis (REDIS_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Stop when the queues are empty (tests, one-off runs).")
        parser.add_argument("--name", help="The worker's name in Redis (default: host and process id).")

    def handle(self, *args, burst=False, name=None, verbosity=1, **options):
        import django_rq
        from rq.logutils import setup_loghandlers

        if jobs.mode() != "redis":
            raise CommandError(
                "No Redis configured (REDIS_URL or PORTAL_JOBS_REDIS_URL): jobs run in the web process, "
                "there is nothing for a worker to do."
            )
        level = "DEBUG" if verbosity >= 2 else "WARNING" if verbosity == 0 else "INFO"
        setup_loghandlers(level)
        jobs.run_sweepers()
        connections.close_all()  # nothing shared with the processes forked below
        sweeper = None
        if not burst:
            sweeper = multiprocessing.get_context("fork").Process(
                target=sweep_loop, args=(os.getpid(), settings.JOB_SWEEP_SECONDS), name="portal-job-sweeper",
                daemon=True,
            )
            sweeper.start()
        worker = django_rq.get_worker(*settings.JOB_QUEUES, name=name)
        try:
            worker.work(burst=burst, with_scheduler=True, logging_level=level)
        finally:
            if sweeper is not None:
                sweeper.terminate()
