"""Page latency through Django's test client: the whole request cycle (middleware, view,
queries, template) in this process, without a server or a network in between. Each page's
timing comes with the CPU time this process spent on it and the load average when it ran:
wall time alone means little on a shared machine."""

import math
import os
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import BenchmarkError

WARM_UP = 3
# The host and scheme a request has behind the HTTPS proxy: with debug off, plain HTTP would
# be redirected and an unknown host refused.
HOST = "127.0.0.1"


# The labels the report compares (the targets): the two floors, the directory, the queue.
HEALTH = "floor: health check (1 query)"
STATIC_PAGE = "floor: privacy notice (static page)"
DIRECTORY = "public directory"
QUEUE = "review queue (steering member)"
CARTA = "public Carta"


@dataclass
class PageTiming:
    label: str
    url: str
    queries: int
    median_ms: float
    p95_ms: float
    requests: int
    cpu_median_ms: float = 0.0
    load_average: float = 0.0
    bytes: int = 0


def percentile(samples, share):
    """The nearest-rank percentile (`share` in 0..1) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(round(len(ordered) * share, 6)))
    return ordered[rank - 1]


def summarise(samples_ms):
    return statistics.median(samples_ms), percentile(samples_ms, 0.95)


def _get(client, url):
    """The page, which must answer 200: timing an error page would measure the wrong thing."""
    response = client.get(url, secure=True, headers={"accept-language": "it"})
    if response.status_code != 200:
        raise BenchmarkError(f"{url} answered {response.status_code}, not 200.")
    return response


def measure(client, label, url, requests):
    """Warm up, count the queries and the bytes of one request, then time `requests` requests
    (wall and CPU time of this process)."""
    for _ in range(WARM_UP):
        _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        size = len(_get(client, url).content)
    queries = len(captured)  # now: the next request empties the log the context reads
    load_average = os.getloadavg()[0]
    samples, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        _get(client, url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    median, p95 = summarise(samples)
    return PageTiming(
        label, url, queries, median, p95, requests, cpu_median_ms=statistics.median(cpu),
        load_average=load_average, bytes=size,
    )


def pages(dataset):
    """(label, url, user or None) of the pages measured, the floor first."""
    first_project = dataset.version.snapshot["themes"][0]["projects"][0]["proposal_id"]
    return [
        (HEALTH, reverse("healthz"), None),
        # What every page's layout costs (base template, menu, footer) with no query of its own.
        (STATIC_PAGE, reverse("privacy"), None),
        (DIRECTORY, reverse("partners:directory"), None),
        (QUEUE, reverse("projects:review-queue"), dataset.steering_member),
        ("proposal page (steering member)", reverse("projects:proposal-detail", args=[dataset.proposal.pk]),
         dataset.steering_member),
        (CARTA, reverse("charter:charter-detail"), None),
        ("a project of the public Carta", reverse("charter:charter-project", args=[first_project]), None),
    ]


def measure_pages(dataset, requests):
    timings = []
    for label, url, user in pages(dataset):
        client = Client(HTTP_HOST=HOST)
        if user is not None:
            client.force_login(user)
        timings.append(measure(client, label, url, requests))
    return timings


def by_label(timings):
    return {timing.label: timing for timing in timings}
