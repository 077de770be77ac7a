"""Page latency through Django's test client: the whole request cycle (middleware, view,
queries, template) in this process, without a server or a network in between."""

import math
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


@dataclass
class PageTiming:
    label: str
    url: str
    queries: int
    median_ms: float
    p95_ms: float
    requests: int


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
    """Warm up, count the queries of one request, then time `requests` requests."""
    for _ in range(WARM_UP):
        _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    queries = len(captured)  # now: the next request empties the log the context reads
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        _get(client, url)
        samples.append((time.perf_counter() - started) * 1000)
    median, p95 = summarise(samples)
    return PageTiming(label, url, queries, median, p95, requests)


def pages(dataset):
    """(label, url, user or None) of the pages measured, the floor first."""
    return [
        ("floor: health check (1 query)", reverse("healthz"), None),
        ("public directory", reverse("partners:directory"), None),
        ("review queue (steering member)", reverse("projects:review-queue"), dataset.steering_member),
        ("proposal page (steering member)", reverse("projects:proposal-detail", args=[dataset.proposal.pk]),
         dataset.steering_member),
        ("public Carta", reverse("charter:charter-detail"), None),
    ]


def measure_pages(dataset, requests):
    timings = []
    for label, url, user in pages(dataset):
        client = Client(HTTP_HOST=HOST)
        if user is not None:
            client.force_login(user)
        timings.append(measure(client, label, url, requests))
    return timings
