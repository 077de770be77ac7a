"""The benchmark command measures an approval and keeps nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from charter.models import CharterVersion, Document
from charter.tests.pdfs import pdf_text
from projects.models import Proposal

pytestmark = pytest.mark.django_db


def test_charter_benchmark_reports_and_rolls_back(tmp_path, settings):
    output = StringIO()
    pdf = tmp_path / "benchmark.pdf"
    call_command("charter_benchmark", projects=3, output=str(pdf), stdout=output)
    assert "3 projects: data prepared in" in output.getvalue() and "PDF rendering" in output.getvalue()
    assert "s per page" in output.getvalue() and "load average" in output.getvalue()
    assert "plain WeasyPrint on" in output.getvalue() and "x." in output.getvalue()  # the yardstick, same run
    assert "Progetto di prova numero 3" in pdf_text(pdf.read_bytes())
    assert not CharterVersion.objects.exists() and not Proposal.objects.exists() and not Document.objects.exists()
    assert not list((settings.MEDIA_ROOT / "charter" / "documents").glob("*.pdf"))
