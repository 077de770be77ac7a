"""CPU time and peak memory of a PDF rendering, each in a fresh Python process so that its
peak memory is the rendering's own and not the benchmark's (which holds the dataset):

- the Carta's PDF of a frozen version, as the portal renders it (print template, our fonts and
  static files, the seal when one is configured);
- plain WeasyPrint on a synthetic document of the same page count (paragraphs in the same
  fonts, from `charter.pdf_bench.render_synthetic`), the yardstick the issue compares
  the Carta's CPU per page with.

The parent runs `python -m welfare_portal.management.bench.render carta <version pk>` or
`… synthetic <pages>` and reads one JSON line. CPU time counts the process and the children it
waited for (a rendering laid out in parallel processes counts them all).
"""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings

from . import BenchmarkError

RESULT_PREFIX = "bench-render "
TIMEOUT_SECONDS = 900


@dataclass
class RenderResult:
    label: str
    pages: int
    wall_seconds: float
    cpu_seconds: float
    peak_mb: float
    load_average: float
    note: str = ""

    @property
    def cpu_per_page(self):
        return self.cpu_seconds / self.pages if self.pages else 0.0


def _render_carta(version_pk):
    """The Carta's PDF as the portal lays it out, without storing it."""
    from charter.documents import charter_context
    from charter.models import CharterVersion
    from charter.pdf import cpu_time, render_pdf
    from charter.verification import print_context

    version = CharterVersion.objects.get(pk=version_pk)
    context = {**charter_context(version), **print_context("BENCH-0000")}
    started, started_cpu = time.perf_counter(), cpu_time()
    rendered = render_pdf("charter/pdf/charter.html", context)
    return rendered.page_count, time.perf_counter() - started, cpu_time() - started_cpu


def _render_synthetic(pages):
    """Plain WeasyPrint on the synthetic document (charter.pdf_bench): no portal tuning in the
    way, our fetcher only to serve the same fonts."""
    from charter.pdf import cpu_time
    from charter.pdf_bench import render_synthetic

    started, started_cpu = time.perf_counter(), cpu_time()
    rendered = render_synthetic(pages)
    return rendered.page_count, time.perf_counter() - started, cpu_time() - started_cpu


def main(argv):
    import django

    django.setup()
    from charter.pdf import peak_rss_mib

    kind, argument = argv[1], int(argv[2])
    pages, wall, cpu = (_render_carta if kind == "carta" else _render_synthetic)(argument)
    print(RESULT_PREFIX + json.dumps({"pages": pages, "wall": wall, "cpu": cpu, "peak_mb": peak_rss_mib()}), flush=True)


def synthetic_available():
    """None when charter.pdf_bench offers the synthetic document, else why not."""
    try:
        from charter.pdf_bench import render_synthetic  # noqa: F401
    except ImportError as error:
        return (
            f"not available: charter.pdf_bench.render_synthetic(pages) is missing ({error}); "
            "it comes with the faster-rendering work of issue 13"
        )
    return None


def measure_render(kind, argument, label, environment):
    """Run one rendering in a child process and return its RenderResult."""
    load_average = os.getloadavg()[0]
    completed = subprocess.run(
        [sys.executable, "-m", "welfare_portal.management.bench.render", kind, str(argument)],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
        check=False,
    )
    line = next((line for line in completed.stdout.splitlines() if line.startswith(RESULT_PREFIX)), None)
    if completed.returncode != 0 or line is None:
        raise BenchmarkError(f"The {label} rendering failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    result = json.loads(line.removeprefix(RESULT_PREFIX))
    return RenderResult(
        label=label, pages=result["pages"], wall_seconds=result["wall"], cpu_seconds=result["cpu"],
        peak_mb=result["peak_mb"], load_average=load_average,
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare_portal.settings")
    main(sys.argv)
