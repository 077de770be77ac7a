"""The benchmark (`make bench`): a fresh PostgreSQL database filled with a large dataset, page
latencies through the test client with a minimal view as the floor, the Carta's PDF, then a
load run over HTTP on gunicorn. Prints a table; fails when any answer of the load run was not
2xx. A yardstick for later changes, not a test: the numbers depend on the machine.

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

from ..bench import BenchmarkError
from ..bench.dataset import Sizes, build_dataset
from ..bench.load import check_ready_to_serve, run_load
from ..bench.pages import measure_pages


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
            timings = measure_pages(dataset, options["requests"])
            load = []
            if not options["no_load"]:
                self.stdout.write(f"Load run: gunicorn with {options['workers']} workers, wrk…")
                load = run_load(
                    load_targets(dataset), workers=options["workers"], clients=options["clients"],
                    duration=options["duration"], log=self.stdout.write,
                )
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report(sizes, dataset, timings, load, options, time.perf_counter() - started))
        failures = sum(result.failures for result in load)
        if failures:
            raise CommandError(f"{failures} answers of the load run were not 2xx or failed: see the table.")

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
        ("public Carta", reverse("charter:charter-detail")),
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


def report(sizes, dataset, timings, load, options, seconds):
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
        "",
        f"Test client, {options['requests']} requests per page after warming up:",
        f"  {'page':<34} {'queries':>7} {'median ms':>10} {'p95 ms':>8}",
    ]
    for timing in timings:
        lines.append(f"  {timing.label:<34} {timing.queries:>7} {timing.median_ms:>10.1f} {timing.p95_ms:>8.1f}")
    if load:
        lines += [
            "",
            f"Load over HTTP: gunicorn {options['workers']} workers (DJANGO_CONN_MAX_AGE="
            f"{connection.settings_dict['CONN_MAX_AGE']}), wrk {options['clients']} connections, "
            f"{options['duration']} s per page:",
            f"  {'page':<34} {'requests':>8} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} {'non-2xx':>8} {'errors':>7}",
        ]
        for result in load:
            lines.append(
                f"  {result.label:<34} {result.requests:>8} {result.per_second:>7.1f} {result.p50_ms:>10.1f} "
                f"{result.p95_ms:>8.1f} {result.non_2xx:>8} {result.socket_errors:>7}"
            )
    else:
        lines += ["", "Load run skipped (--no-load)."]
    minutes, rest = divmod(round(seconds), 60)
    lines += ["", f"Total time: {minutes} min {rest:02d} s"]
    return "\n".join(lines)
