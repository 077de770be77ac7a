"""The benchmark (`make bench`): a fresh PostgreSQL database filled with a large dataset, page
latencies through the test client with two floors (a view with one query, and a static page
of the theme, whose cost is every page's layout), the first-visit bytes of the home page, the
Carta's PDF (CPU per page against plain WeasyPrint, peak memory), the approval request and the
time until its PDF exists, then a load run over HTTP on gunicorn. Prints a table with the
targets of issue 13; fails when any answer of the load run was not 2xx. A yardstick for later
changes, not a test: the numbers depend on the machine, so every timing carries its CPU time
and the load average, and only ratios of the same run are compared.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_bench DJANGO_DEBUG=0 \\
        DJANGO_SECRET_KEY=… python manage.py bench [--no-load] [--proposals 10000] …
"""

import os
import platform
import time

import django
import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from psycopg2 import sql

from charter import services as charter_services

from ..bench import BenchmarkError
from ..bench.approval import flush_redis_database, measure_approval, redis_url, spare_redis_database
from ..bench.dataset import Sizes, build_dataset
from ..bench.load import check_ready_to_serve, run_load, server_environment
from ..bench.pages import CARTA, DIRECTORY, QUEUE, STATIC_PAGE, by_label, measure_pages
from ..bench.render import measure_render, synthetic_available
from ..bench.weight import first_visit

# The targets of issue 13, checked in the report (same run, this machine class).
QUEUE_OVER_DIRECTORY = 1.5
DIRECTORY_OVER_STATIC = 2.0
CARTA_FIRST_RESPONSE_BYTES = 250 * 1024
CARTA_OVER_STATIC_THROUGHPUT = 0.5
CPU_PER_PAGE_OVER_PLAIN = 1.5
APPROVAL_SECONDS = 1.0
PDF_READY_SECONDS = 12.0
PEAK_MB = 400
STATIC_LOAD_LABEL = "floor: privacy notice"
CARTA_LOAD_LABEL = "public Carta"


class Command(BaseCommand):
    help = (
        "Benchmark on a large dataset: drops and re-creates the configured PostgreSQL database (its "
        "name must contain 'bench'), fills it, times pages through the test client and under load "
        "with gunicorn and wrk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=2000, help="Organisations (default 2000).")
        parser.add_argument("--proposals", type=int, default=10000, help="Proposals (default 10000).")
        parser.add_argument("--projects", type=int, default=200, help="Projects in the Carta (default 200).")
        parser.add_argument("--requests", type=int, default=50, help="Timed requests per page (default 50).")
        parser.add_argument("--duration", type=int, default=30, help="Seconds of load per page (default 30).")
        parser.add_argument("--clients", type=int, default=20, help="Concurrent HTTP clients (default 20).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
        parser.add_argument("--no-load", action="store_true", help="Skip the load run over HTTP.")
        parser.add_argument(
            "--no-pdf", action="store_true",
            help="Skip the PDF measurements (rendering against plain WeasyPrint, the approval and its PDF).",
        )
        parser.add_argument(
            "--no-reset", action="store_true",
            help="Fill the configured database as it is (migrated and empty) instead of re-creating it.",
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise CommandError("Run the benchmark with DJANGO_DEBUG=0 (make bench does): debug pages are slower.")
        if options["requests"] < 1 or options["duration"] < 1 or options["clients"] < 1 or options["workers"] < 1:
            raise CommandError("--requests, --duration, --clients and --workers must be at least 1.")
        sizes = Sizes(options["organisations"], options["proposals"], options["projects"])
        # Other work on the machine skews every number: the report says how busy it was.
        options["load_average"] = os.getloadavg()[0]
        started = time.perf_counter()
        try:
            sizes.check()
            if not options["no_load"]:
                check_ready_to_serve()
            if not options["no_reset"]:
                self._recreate_database()
            self.stdout.write(f"Building the dataset in {connection.settings_dict['NAME']}…")
            dataset = build_dataset(sizes, log=self.stdout.write)
            self.stdout.write(f"Timing pages through the test client ({options['requests']} requests each)…")
            results = {"timings": measure_pages(dataset, options["requests"])}
            self.stdout.write("First visit of the home page…")
            results["weight"] = first_visit("/")
            if not options["no_pdf"]:
                results.update(self._pdf_measurements(dataset))
            results["load"] = []
            if not options["no_load"]:
                results["load"] = self._load(dataset, options)
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report(sizes, dataset, results, options, time.perf_counter() - started))
        failures = sum(result.failures for result in results["load"])
        if failures:
            raise CommandError(f"{failures} answers of the load run were not 2xx or failed: see the table.")

    def _pdf_measurements(self, dataset):
        """The Carta's PDF and plain WeasyPrint on a synthetic document of its page count, each in
        a fresh process; then a new version of the same Carta approved as the coordinator does."""
        environment = server_environment()
        self.stdout.write("Rendering the Carta's PDF in a fresh process…")
        carta = measure_render("carta", dataset.version.pk, "Carta PDF", environment)
        plain = synthetic_available()
        if plain is None:
            self.stdout.write(f"Plain WeasyPrint on a synthetic document of {carta.pages} pages…")
            plain = measure_render("synthetic", carta.pages, "plain WeasyPrint, synthetic document", environment)
        self.stdout.write("Approving a new version of the Carta through the test client…")
        draft = charter_services.open_draft(by=dataset.coordinator)
        approval = measure_approval(draft, dataset.coordinator, environment, log=self.stdout.write)
        return {"carta_render": carta, "plain_render": plain, "approval": approval}

    def _load(self, dataset, options):
        """The load run, with the shared Redis cache production has when a spare database answers."""
        number, why_not = spare_redis_database()
        environment = {"REDIS_URL": redis_url(number)} if number is not None else {}
        self.stdout.write(
            f"Load run: gunicorn with {options['workers']} workers, wrk"
            + (f", cache on {redis_url(number)}…" if number is not None else f", per-process cache ({why_not})…")
        )
        try:
            return run_load(
                load_targets(dataset), workers=options["workers"], clients=options["clients"],
                duration=options["duration"], environment=environment, log=self.stdout.write,
            )
        finally:
            if number is not None:
                flush_redis_database(number)

    def _recreate_database(self):
        """Drop and re-create the configured database, then migrate it. Only PostgreSQL, and
        only a database whose name says it is the benchmark's."""
        db = connection.settings_dict
        if connection.vendor != "postgresql":
            raise BenchmarkError("The benchmark re-creates a PostgreSQL database: set DATABASE_URL, or use --no-reset.")
        if "bench" not in db["NAME"]:
            raise BenchmarkError(
                f"Refusing to drop {db['NAME']!r}: the benchmark re-creates only a database whose name "
                "contains 'bench' (make bench uses welfare_bench)."
            )
        self.stdout.write(f"Re-creating the database {db['NAME']} and migrating it…")
        connection.close()
        try:
            admin = psycopg2.connect(
                dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or None,
            )
        except psycopg2.OperationalError as error:
            raise BenchmarkError(f"PostgreSQL does not answer: {error}".strip()) from error
        try:
            admin.autocommit = True
            with admin.cursor() as cursor:
                name = sql.Identifier(db["NAME"])
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
        finally:
            admin.close()
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"  migrated in {time.perf_counter() - started:.1f} s")


def load_targets(dataset):
    return [
        ("floor: health check", reverse("healthz")),
        (STATIC_LOAD_LABEL, reverse("privacy")),
        (CARTA_LOAD_LABEL, reverse("charter:charter-detail")),
        ("public directory", reverse("partners:directory")),
        ("verification page of the Carta",
         reverse("charter:verification-detail", args=[dataset.document.verification_code])),
    ]


def _machine():
    database = connection.vendor
    if database == "postgresql":
        version = connection.pg_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    return (
        f"{os.cpu_count()} CPU cores, {database}, Python {platform.python_version()}, Django {django.get_version()}"
    )


def _target(value, limit, *, at_most=True):
    met = value <= limit if at_most else value >= limit
    return "met" if met else "MISSED"


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else float("inf")


def _page_lines(results, options):
    lines = [
        "",
        f"Test client, {options['requests']} requests per page after warming up (CPU: this process, median "
        "per request; load: 1-minute load average when the page's timing started):",
        f"  {'page':<38} {'queries':>7} {'KB':>7} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'load':>5}",
    ]
    for timing in results["timings"]:
        lines.append(
            f"  {timing.label:<38} {timing.queries:>7} {timing.bytes / 1024:>7.1f} {timing.median_ms:>10.1f} "
            f"{timing.p95_ms:>8.1f} {timing.cpu_median_ms:>7.1f} {timing.load_average:>5.1f}"
        )
    pages = by_label(results["timings"])
    queue, directory, static, carta = pages[QUEUE], pages[DIRECTORY], pages[STATIC_PAGE], pages[CARTA]
    queue_ratio, directory_ratio = _ratio(queue.p95_ms, directory.p95_ms), _ratio(directory.p95_ms, static.p95_ms)
    lines += [
        f"  review queue p95 / directory p95: {queue_ratio:.2f} (target at most {QUEUE_OVER_DIRECTORY}: "
        f"{_target(queue_ratio, QUEUE_OVER_DIRECTORY)})",
        f"  directory p95 / static page p95: {directory_ratio:.2f} (target at most {DIRECTORY_OVER_STATIC}: "
        f"{_target(directory_ratio, DIRECTORY_OVER_STATIC)})",
        f"  public Carta first response: {carta.bytes / 1024:.1f} KB of HTML (target under "
        f"{CARTA_FIRST_RESPONSE_BYTES // 1024} KB: {_target(carta.bytes, CARTA_FIRST_RESPONSE_BYTES - 1)})",
    ]
    return lines


def _weight_lines(weight):
    return [
        "",
        f"First visit of the home page (empty cache, Accept-Encoding: br; {weight.method}):",
        f"  HTML {weight.html_bytes / 1024:.1f} KB as the portal sends it ({weight.html_brotli_bytes / 1024:.1f} KB "
        f"if the proxy compresses it with brotli); {len(weight.assets)} static files, "
        f"{weight.asset_bytes / 1024:.1f} KB on the wire",
        f"  total {weight.total_bytes / 1024:.1f} KB ({weight.total_with_compressed_html / 1024:.1f} KB with the "
        "HTML compressed)",
    ]


def _pdf_lines(results, sizes):
    carta, plain, approval = results["carta_render"], results["plain_render"], results["approval"]
    lines = [
        "",
        f"PDF rendering, each in a fresh process ({sizes.projects} projects; CPU of the process and its children):",
        f"  {'document':<38} {'pages':>6} {'wall s':>7} {'CPU s':>7} {'CPU s/page':>10} {'peak MB':>8} {'load':>5}",
    ]
    for result in [carta] + ([plain] if not isinstance(plain, str) else []):
        lines.append(
            f"  {result.label:<38} {result.pages:>6} {result.wall_seconds:>7.1f} {result.cpu_seconds:>7.1f} "
            f"{result.cpu_per_page:>10.3f} {result.peak_mb:>8.0f} {result.load_average:>5.1f}"
        )
    lines.append(f"  peak memory of the Carta's rendering: {carta.peak_mb:.0f} MB (target under {PEAK_MB} MB: "
                 f"{_target(carta.peak_mb, PEAK_MB)})")
    if isinstance(plain, str):
        lines.append(f"  plain WeasyPrint on a synthetic document: {plain}")
    else:
        ratio = _ratio(carta.cpu_per_page, plain.cpu_per_page)
        lines.append(f"  CPU per page, Carta / plain WeasyPrint: {ratio:.2f} (target at most "
                     f"{CPU_PER_PAGE_OVER_PLAIN}: {_target(ratio, CPU_PER_PAGE_OVER_PLAIN)})")
    lines += [
        f"  approval request (coordinator, test client in a fresh process): {approval.request_seconds:.2f} s wall, "
        f"{approval.request_cpu_seconds:.2f} s CPU, load {approval.load_average:.1f}, answered "
        f"{approval.status_code} (target under {APPROVAL_SECONDS:.0f} s: "
        f"{_target(approval.request_seconds, APPROVAL_SECONDS)})",
    ]
    if approval.queue_to_pdf_seconds is None:
        lines.append(f"  {approval.note}")
    else:
        lines.append(
            f"  queue to PDF: {approval.queue_to_pdf_seconds:.1f} s wall from the approval, worker CPU "
            f"{approval.worker_cpu_seconds:.1f} s, {approval.pages} pages (target within "
            f"{PDF_READY_SECONDS:.0f} s: {_target(approval.queue_to_pdf_seconds, PDF_READY_SECONDS)})"
        )
    return lines


def _load_lines(load, options):
    lines = [
        "",
        f"Load over HTTP: gunicorn {options['workers']} workers (DJANGO_CONN_MAX_AGE="
        f"{connection.settings_dict['CONN_MAX_AGE']}), wrk {options['clients']} connections, "
        f"{options['duration']} s per page (CPU: gunicorn and its workers, per request):",
        f"  {'page':<34} {'requests':>8} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'load':>5} "
        f"{'non-2xx':>8} {'errors':>7}",
    ]
    for result in load:
        lines.append(
            f"  {result.label:<34} {result.requests:>8} {result.per_second:>7.1f} {result.p50_ms:>10.1f} "
            f"{result.p95_ms:>8.1f} {result.cpu_ms_per_request:>7.1f} {result.load_average:>5.1f} "
            f"{result.non_2xx:>8} {result.socket_errors:>7}"
        )
    runs = {result.label: result for result in load}
    ratio = _ratio(runs[CARTA_LOAD_LABEL].per_second, runs[STATIC_LOAD_LABEL].per_second)
    lines.append(f"  public Carta req/s / static page req/s: {ratio:.2f} (target at least "
                 f"{CARTA_OVER_STATIC_THROUGHPUT}: {_target(ratio, CARTA_OVER_STATIC_THROUGHPUT, at_most=False)})")
    return lines


def report(sizes, dataset, results, options, seconds):
    rows = dataset.rows
    document = dataset.document
    lines = [
        "",
        f"Benchmark on {_machine()}; load average {options['load_average']:.1f} at the start",
        f"Dataset: {sizes.organisations:,} organisations, {sizes.proposals:,} proposals, {sizes.projects} projects "
        f"in the published Carta; {sum(rows.values()):,} rows built in {dataset.build_seconds:.1f} s",
        f"Carta PDF ({sizes.projects} projects): {document.page_count} pages, {document.size / 1024:,.0f} KiB, "
        f"rendered in {document.render_seconds:.1f} s (approval with snapshot and storing: "
        f"{dataset.approval_seconds:.1f} s)",
    ]
    lines += _page_lines(results, options)
    lines += _weight_lines(results["weight"])
    if "carta_render" in results:
        lines += _pdf_lines(results, sizes)
    else:
        lines += ["", "PDF measurements skipped (--no-pdf)."]
    if results["load"]:
        lines += _load_lines(results["load"], options)
    else:
        lines += ["", "Load run skipped (--no-load)."]
    minutes, rest = divmod(round(seconds), 60)
    lines += ["", f"Total time: {minutes} min {rest:02d} s"]
    return "\n".join(lines)
