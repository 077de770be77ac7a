"""The load run over real HTTP: gunicorn serves the portal as in production (debug off, hashed
static files, PostgreSQL) on a free port of 127.0.0.1, and wrk keeps N connections busy on one
page at a time for a fixed time. The server is stopped however the run ends."""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from . import BenchmarkError

LUA_SCRIPT = Path(__file__).with_name("wrk_report.lua")
# What the HTTPS proxy in front of gunicorn adds (README, Production): without it, debug-off
# settings would redirect every request to https. Italian, the portal's language, explicitly.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "it"}
READY_SECONDS = 60
STOP_SECONDS = 10
# wrk gives up on a request after 2 s by default; a queue of 20 clients on 2 workers can wait
# longer than that on a heavy page, and a timeout would hide the latency it should show.
REQUEST_TIMEOUT = "60s"
RESULT = re.compile(r"^bench-result (.*)$", re.MULTILINE)


@dataclass
class LoadResult:
    label: str
    path: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    non_2xx: int
    socket_errors: int
    cpu_seconds: float = 0.0  # of gunicorn and its workers during the run
    load_average: float = 0.0  # at the start of the run

    @property
    def cpu_ms_per_request(self):
        return self.cpu_seconds * 1000 / self.requests if self.requests else 0.0

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failures(self):
        return self.non_2xx + self.socket_errors


def wrk_path():
    return shutil.which("wrk")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    """The URL of the database this process uses, so the server reads the same data."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"


def server_environment(extra=None):
    environment = dict(os.environ)
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=database_url(),
        DJANGO_STATIC_ROOT=str(settings.STATIC_ROOT),
    )
    environment.update(extra or {})
    return environment


def group_cpu_seconds(group):
    """User and system CPU seconds of the live processes of a process group, and of the
    children they waited for (Linux /proc): gunicorn's master and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp
                total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def check_ready_to_serve():
    """Refuse before the long part of the run, with what to do."""
    if connection.vendor != "postgresql":
        raise BenchmarkError("The load run needs PostgreSQL: set DATABASE_URL, or use --no-load.")
    if wrk_path() is None:
        raise BenchmarkError("wrk is not installed (sudo apt-get install wrk), or use --no-load.")
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        raise BenchmarkError(
            "Static files are not collected for debug-off serving: run "
            "`DJANGO_DEBUG=0 manage.py collectstatic --noinput` (make bench does), or use --no-load."
        )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(url, timeout=60):
    """The status the URL answers, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers=HEADERS), timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextlib.contextmanager
def gunicorn(workers, environment=None):
    """Serve the portal; yield its base URL and process group; stop the server (and its
    workers) on the way out."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "welfare_portal.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--error-logfile", "-"],
        cwd=settings.BASE_DIR, env=server_environment(environment), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the workers go with it
    )
    try:
        _wait_until_ready(process, base_url, log)
        yield base_url, process.pid
    finally:
        _stop(process)
        log.close()


def _server_log(log):
    log.seek(0)
    return log.read().decode(errors="replace")[-3000:]


def _wait_until_ready(process, base_url, log):
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError(f"gunicorn stopped at start:\n{_server_log(log)}")
        with contextlib.suppress(OSError):
            if status_of(base_url + "/healthz", timeout=5) == 200:
                return
        time.sleep(0.2)
    raise BenchmarkError(f"gunicorn did not answer within {READY_SECONDS} s:\n{_server_log(log)}")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def parse(output):
    match = RESULT.search(output)
    if match is None:
        raise BenchmarkError(f"wrk printed no result:\n{output[-2000:]}")
    return {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}


def hammer(base_url, label, path, *, clients, duration, group=None):
    """One wrk run on one page; the page must answer 200 before it starts."""
    url = base_url + path
    status = status_of(url)
    if status != 200:
        raise BenchmarkError(f"{path} answered {status} over HTTP, not 200: the load run would count errors.")
    load_average = os.getloadavg()[0]
    cpu_before = group_cpu_seconds(group) if group else 0.0
    command = [
        wrk_path(), "--threads", str(min(2, clients)), "--connections", str(clients),
        "--duration", f"{duration}s", "--timeout", REQUEST_TIMEOUT, "--script", str(LUA_SCRIPT),
        *[argument for name, value in HEADERS.items() for argument in ("--header", f"{name}: {value}")],
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120, check=False)
    if completed.returncode != 0:
        raise BenchmarkError(f"wrk failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    cpu_seconds = group_cpu_seconds(group) - cpu_before if group else 0.0
    result = parse(completed.stdout)
    return LoadResult(
        label=label, path=path, requests=result["requests"], seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000, p95_ms=result["p95_us"] / 1000, non_2xx=result["non2xx"],
        socket_errors=result["connect"] + result["read"] + result["write"] + result["timeout"],
        cpu_seconds=cpu_seconds, load_average=load_average,
    )


def run_load(targets, *, workers, clients, duration, environment=None, log=lambda message: None):
    """`targets`: (label, path) pairs, each hammered in turn by the same server; `environment`
    adds to the server's (REDIS_URL, for the shared cache production has)."""
    results = []
    with gunicorn(workers, environment) as (base_url, group):
        for label, path in targets:
            log(f"  {label}: {clients} clients for {duration} s on {path}")
            results.append(hammer(base_url, label, path, clients=clients, duration=duration, group=group))
    return results
