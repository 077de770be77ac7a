"""`manage.py run_worker` with real Redis, in its own process, on the test database: a worker
killed (SIGKILL, with the work horse rendering) in the middle of a render loses nothing. The job runs
again under the next worker and exactly one document is stored and verifiable.

The test database is committed to (transaction=True) so the worker sees it; on SQLite it is a
file (welfare_portal/tests/settings.py). The render waits on a marker file
(CHARTER_RENDER_TEST_PAUSE_FILE, a test-only hook) so the kill lands in the middle of it.
"""

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from charter import services
from charter.models import CharterVersion, Document, DocumentJob
from charter.services import default_charter
from charter.tests.factories import CharterVersionFactory, approved_proposal, steering_member
from charter.tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(environment, log):
    """`manage.py run_worker` in a new session, so that killing its group kills the work horse
    and the scheduler it forks, as a machine that dies or an OOM kill of the service would."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--name", f"test-{time.monotonic_ns()}"],
        cwd=django_settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(worker, *, horse=None):
    """SIGKILL the worker's process group and the work horse rendering the job (RQ starts each
    horse in a session of its own), as the service manager kills the whole service."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    if horse is not None:
        try:
            os.kill(horse, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for(condition, seconds, what, log_path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}. Worker log:\n{log_path.read_text()[-4000:]}")


def test_a_worker_killed_in_the_middle_of_a_render_loses_nothing(jobs_redis, settings, tmp_path, client):
    charter = default_charter()
    version = CharterVersionFactory(charter=charter, number=1, proposals=[approved_proposal("Orti condivisi")])
    pause = tmp_path / "pause"
    pause.touch()
    started = tmp_path / "pause.started"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "welfare_portal.tests.settings", "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(), "PORTAL_JOBS": "redis", "PORTAL_JOBS_REDIS_URL": jobs_redis,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "CHARTER_RENDER_TEST_PAUSE_FILE": str(pause),
        "CHARTER_RENDER_HEARTBEAT_SECONDS": "0.5", "CHARTER_RENDER_STALE_SECONDS": "3",
        "PORTAL_JOB_SWEEP_SECONDS": "1",
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "ab") as log:
        worker = start_worker(environment, log)
        try:
            # The approval commits and queues the render on Redis; the worker takes it.
            services.approve_version(version, by=steering_member(coordinator=True))
            assert CharterVersion.objects.get(pk=version.pk).status == CharterVersion.Status.APPROVED
            wait_for(started.exists, 90, "the render to start", log_path)
            job = DocumentJob.objects.get()
            assert (job.status, job.attempts) == (DocumentJob.Status.RUNNING, 1)

            horse = int(started.read_text().split()[1])  # the process rendering
            kill(worker, horse=horse)  # in the middle of the render
            assert not Document.objects.exists()

            pause.unlink()  # the next render goes through
            worker = start_worker(environment, log)
            wait_for(
                lambda: DocumentJob.objects.filter(pk=job.pk, status=DocumentJob.Status.DONE).exists(), 120,
                "the render to be done again", log_path,
            )
        finally:
            kill(worker)

    document = Document.objects.get()
    assert document.version_id == version.pk
    content = document.read_bytes()
    assert hashlib.sha256(content).hexdigest() == document.sha256 and len(content) == document.size
    assert "Orti condivisi" in pdf_text(content)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (DocumentJob.Status.DONE, 2)
    assert len(started.read_text().splitlines()) == 2  # rendered twice, stored once
    stored = list((settings.MEDIA_ROOT / "charter" / "documents").iterdir())
    assert [path.name for path in stored] == [os.path.basename(document.file.name)]

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse("charter:verification-detail", args=[document.verification_code]),
        {"file": SimpleUploadedFile("carta.pdf", content, "application/pdf")},
    )
    assert 'data-result="identical"' in response.content.decode()


def test_run_worker_refuses_to_start_without_redis(tmp_path):
    environment = {
        key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "PORTAL_JOBS_REDIS_URL"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="welfare_portal.settings", DJANGO_DEBUG="1", PORTAL_JOBS="")
    result = subprocess.run(
        [sys.executable, "manage.py", "run_worker"], cwd=django_settings.BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "No Redis configured" in result.stderr
