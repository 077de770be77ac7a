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
    output = StringIO()
    call_command(
        "bench", organisations=20, proposals=50, projects=5, requests=3, no_load=True, no_reset=True, stdout=output,
    )
    printed = output.getvalue()
    for label in ("floor: health check", "public directory", "review queue", "proposal page", "public Carta"):
        assert label in printed
    assert re.search(r"floor: health check \(1 query\) +1 ", printed)  # queries are counted
    assert "Carta PDF (5 projects):" in printed and "Load run skipped" in printed
    assert Organisation.objects.count() == 20 and Proposal.objects.count() == 50
    assert Proposal.objects.filter(status=Proposal.Status.APPROVED).count() == 8
    assert Score.objects.filter(evaluation__proposal__status=Proposal.Status.APPROVED).exists()
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
