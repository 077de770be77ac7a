"""The benchmark command at a tiny scale, so it cannot rot between runs of `make bench`:
the dataset respects every constraint, the Carta is approved and published by the services,
and each measured page answers 200 (the measuring code refuses anything else)."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from charter.models import CharterVersion, Document
from partners.models import Organisation
from projects.models import Evaluation, Proposal, Score
from welfare_portal.management.bench.load import parse
from welfare_portal.management.bench.pages import percentile

pytestmark = pytest.mark.django_db


def test_bench_builds_the_dataset_and_times_every_page():
    """The PDF measurements run in fresh processes, which cannot see a test's transaction:
    `make bench` runs them (and the load run) on its own database."""
    output = StringIO()
    call_command(
        "bench", organisations=20, proposals=50, projects=5, requests=3, no_load=True, no_pdf=True, no_reset=True,
        stdout=output,
    )
    printed = output.getvalue()
    for label in (
        "floor: health check", "floor: privacy notice (static page)", "public directory", "review queue",
        "proposal page", "public Carta", "a project of the public Carta",
    ):
        assert label in printed
    assert re.search(r"floor: health check \(1 query\) +1 ", printed)  # queries are counted
    assert "Carta PDF (5 projects):" in printed and "Load run skipped" in printed and "PDF measurements skipped" in printed
    # The targets, as ratios of the same run.
    assert re.search(r"review queue p95 / directory p95: \d+\.\d\d \(target at most 1.5: (met|MISSED)\)", printed)
    assert re.search(r"directory p95 / static page p95: \d+\.\d\d \(target at most 2.0: (met|MISSED)\)", printed)
    assert re.search(r"public Carta first response: \d+\.\d KB of HTML \(target under 250 KB: met\)", printed)
    assert re.search(r"First visit of the home page \(empty cache, Accept-Encoding: br; ", printed)
    assert re.search(r"  HTML \d+\.\d KB as the portal sends it", printed)
    assert Organisation.objects.count() == 20 and Proposal.objects.count() == 50
    assert Proposal.objects.filter(status=Proposal.Status.APPROVED).count() == 8
    assert Score.objects.filter(evaluation__proposal__status=Proposal.Status.APPROVED).exists()
    # The stored score, as the evaluation services would have left it.
    assert Proposal.objects.filter(average_score__isnull=False).count() == Proposal.objects.filter(
        evaluations__submitted_at__isnull=False).distinct().count() > 0
    assert Evaluation.objects.filter(conflict_declared=True, scores__isnull=True).exists()
    published = CharterVersion.objects.get(status=CharterVersion.Status.PUBLISHED)
    assert published.items.count() == 5 and len(published.snapshot["organisations"]) > 1
    assert Document.objects.get(version=published).page_count > 1


def test_bench_refuses_a_carta_larger_than_the_approved_proposals():
    with pytest.raises(CommandError, match="can list 1 to 8 projects, not 9"):
        call_command("bench", organisations=20, proposals=50, projects=9, no_load=True, no_reset=True)
    assert not Proposal.objects.exists()


def test_bench_refuses_to_run_with_debug_on(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DJANGO_DEBUG=0"):
        call_command("bench", no_load=True, no_reset=True)


def test_percentile_is_the_nearest_rank():
    samples = list(range(1, 51))
    assert percentile(samples, 0.95) == 48 and percentile(samples, 0.5) == 25 and percentile([7.0], 0.95) == 7.0


def test_wrk_result_line_is_parsed():
    output = (
        "Running 1s test\nbench-result requests=120 duration_us=1000000 p50_us=900 p95_us=2000 non2xx=0 "
        "connect=0 read=1 write=0 timeout=0\n"
    )
    assert parse(output) == {
        "requests": 120, "duration_us": 1000000, "p50_us": 900, "p95_us": 2000, "non2xx": 0,
        "connect": 0, "read": 1, "write": 0, "timeout": 0,
    }


def test_first_visit_counts_the_html_and_what_it_names():
    from welfare_portal.management.bench.weight import first_visit

    weight = first_visit("/")
    assert weight.html_bytes > 1000 and 0 < weight.html_brotli_bytes < weight.html_bytes
    assert weight.total_bytes == weight.html_bytes + sum(weight.assets.values())


def test_the_bench_has_the_worker_and_the_yardstick_it_compares_with():
    from charter.pdf_bench import render_synthetic
    from welfare_portal.management.bench.approval import worker_available
    from welfare_portal.management.bench.render import synthetic_available

    assert synthetic_available() is None and worker_available()
    assert render_synthetic(2).page_count == 2
