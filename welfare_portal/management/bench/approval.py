"""Approving a Carta as the coordinator does it (a POST through the test client), timed in a
fresh process, and the time until its PDF exists.

When the portal renders PDFs in a worker (`manage.py run_worker`, on the Redis queue that
production runs), the approval answers once the decision is committed and the PDF follows: the
benchmark points the child and the worker at a spare Redis database, starts the worker, approves,
then polls until the version's Document exists (queue-to-PDF time). Without `run_worker` the
PDF is rendered inside the request, and the report says so.

The parent runs `python -m welfare_portal.management.bench.approval <version pk> <user pk>` and
reads one JSON line.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import get_commands

from . import BenchmarkError
from .load import group_cpu_seconds

RESULT_PREFIX = "bench-approval "
PDF_TIMEOUT_SECONDS = 600
POLL_SECONDS = 0.1
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Databases the benchmark may take, highest first: the low ones are what people configure.
SPARE_DATABASES = range(15, 7, -1)


@dataclass
class ApprovalResult:
    request_seconds: float
    request_cpu_seconds: float
    queue_to_pdf_seconds: float | None  # None: rendered inside the request
    worker_cpu_seconds: float
    load_average: float
    status_code: int
    pages: int
    note: str = ""


def worker_available():
    return "run_worker" in get_commands()


def spare_redis_database():
    """(number, None) of an empty Redis database on 127.0.0.1, or (None, why not)."""
    try:
        import redis

        for number in SPARE_DATABASES:
            client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_timeout=2)
            if client.dbsize() == 0:
                return number, None
    except Exception as error:  # any failure to reach Redis means: no worker run
        return None, f"Redis does not answer on {REDIS_HOST}:{REDIS_PORT} ({error})"
    return None, "no empty Redis database among 8-15"


def flush_redis_database(number):
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number).flushdb()


def redis_url(number):
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}"


def _child(version_pk, user_pk):
    """In the child: approve through the test client, then wait for the PDF."""
    from django.test import Client
    from django.urls import reverse

    from charter.models import CharterVersion, Document, DocumentKind
    from welfare_portal.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=user_pk))
    url = reverse("charter:version-approve", args=[version_pk])
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.post(url, {"note": ""}, secure=True, headers={"accept-language": "it"})
    request_seconds, request_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    if not CharterVersion.objects.filter(pk=version_pk, approved_at__isnull=False).exists():
        print(RESULT_PREFIX + json.dumps({"status": response.status_code, "approved": False}), flush=True)
        return
    documents = Document.objects.filter(version_id=version_pk, kind=DocumentKind.CHARTER)
    rendered_in_request = documents.exists()
    deadline = time.monotonic() + PDF_TIMEOUT_SECONDS
    while not documents.exists() and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    document = documents.first()
    print(RESULT_PREFIX + json.dumps({
        "approved": True, "request": request_seconds, "request_cpu": request_cpu, "status": response.status_code,
        "queue_to_pdf": None if rendered_in_request else (time.perf_counter() - started if document else -1),
        "pages": document.page_count if document else 0,
    }), flush=True)


@contextlib.contextmanager
def _worker(environment):
    """`manage.py run_worker` in its own process group; yields the group; stopped on the way out."""
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"], cwd=settings.BASE_DIR, env=environment, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        time.sleep(1)
        if process.poll() is not None:
            log.seek(0)
            raise BenchmarkError(f"run_worker stopped at start:\n{log.read().decode(errors='replace')[-2000:]}")
        yield process.pid
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        log.close()


def _run_child(version_pk, user_pk, environment):
    completed = subprocess.run(
        [sys.executable, "-m", "welfare_portal.management.bench.approval", str(version_pk), str(user_pk)],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True,
        timeout=PDF_TIMEOUT_SECONDS + 120, check=False,
    )
    line = next((line for line in completed.stdout.splitlines() if line.startswith(RESULT_PREFIX)), None)
    if completed.returncode != 0 or line is None:
        raise BenchmarkError(f"The approval run failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    return json.loads(line.removeprefix(RESULT_PREFIX))


def measure_approval(version, user, environment, *, log=lambda message: None):
    """Approve `version` (a draft) as `user`: through the worker when the portal has one and
    Redis answers, otherwise with the PDF rendered in the request."""
    load_average = os.getloadavg()[0]
    note, worker_cpu = "", 0.0
    if not worker_available():
        note = "queue-to-PDF not available: no `manage.py run_worker` yet, the PDF is rendered inside the request"
        result = _run_child(version.pk, user.pk, environment)
    else:
        number, why_not = spare_redis_database()
        if number is None:
            note = f"queue-to-PDF not available: {why_not}"
            result = _run_child(version.pk, user.pk, environment)
        else:
            environment = {**environment, "REDIS_URL": redis_url(number)}
            log(f"  approval with run_worker on {redis_url(number)}")
            try:
                with _worker(environment) as group:
                    before = group_cpu_seconds(group)
                    result = _run_child(version.pk, user.pk, environment)
                    worker_cpu = group_cpu_seconds(group) - before
            finally:
                flush_redis_database(number)
    if not result["approved"]:
        raise BenchmarkError(f"The approval was refused (it answered {result['status']}): the version is not approved.")
    if result["queue_to_pdf"] == -1:
        raise BenchmarkError(f"The PDF did not appear within {PDF_TIMEOUT_SECONDS} s of the approval.")
    return ApprovalResult(
        request_seconds=result["request"], request_cpu_seconds=result["request_cpu"],
        queue_to_pdf_seconds=result["queue_to_pdf"], worker_cpu_seconds=worker_cpu, load_average=load_average,
        status_code=result["status"], pages=result["pages"], note=note,
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare_portal.settings")
    import django

    django.setup()
    _child(int(sys.argv[1]), int(sys.argv[2]))
