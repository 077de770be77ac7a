"""The yardstick of the renderer's speed: plain WeasyPrint on a synthetic document.

`make bench` reports the Carta's CPU seconds per page against this document, rendered by plain
WeasyPrint in the same run with the same fonts and body typography (Titillium Web 10.5 pt, justified, hyphenated) but no
structure: one heading and plain paragraphs per page, nothing else. The ratio says what our
templates cost beyond setting text, whatever the machine and its load.

    rendered = render_pdf(...)                       # charter.pdf
    plain = render_synthetic(rendered.page_count)    # same page count
    ratio = cpu_per_page(rendered) / cpu_per_page(plain)
"""

import os
import resource
import time
from dataclasses import dataclass

from .pdf import STATIC_BASE, cpu_time, plain_html_to_pdf

FONT_FACES = (
    (400, "normal", "titillium-web-v10-latin-ext_latin-regular.woff2"),
    (400, "italic", "titillium-web-v10-latin-ext_latin-italic.woff2"),
    (600, "normal", "titillium-web-v10-latin-ext_latin-600.woff2"),
    (700, "normal", "titillium-web-v10-latin-ext_latin-700.woff2"),
)
PARAGRAPH = (
    "Il progetto mette in rete enti locali, terzo settore e imprese del territorio per rispondere a un "
    "bisogno complesso che oggi non è di nessuno: accompagnamento, ascolto e servizi di prossimità per "
    "le persone e le famiglie, con attenzione ai passaggi di crescita del capitale sociale nel tempo."
)
# Paragraphs per page: they fill most of an A4 page with our margins and never overflow it, so
# the page count is exactly the one asked for (charter/tests/test_pdf_bench.py checks it).
PARAGRAPHS_PER_PAGE = 9


def synthetic_html(pages):
    """An HTML document of exactly `pages` A4 pages of plain paragraphs in the Carta's fonts."""
    faces = "\n".join(
        f'@font-face {{ font-family: "Titillium Web"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{STATIC_BASE}fonts/Titillium_Web/{name}") format("woff2"); }}'
        for weight, style, name in FONT_FACES
    )
    page = "<section><h2>Tematica {n}</h2>" + f"<p>{PARAGRAPH}</p>" * PARAGRAPHS_PER_PAGE + "</section>"
    body = "".join(page.format(n=n) for n in range(1, pages + 1))
    return f"""<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Documento sintetico</title>
<style>
{faces}
@page {{ size: A4; margin: 24mm 20mm 22mm 22mm; }}
html {{ font-family: "Titillium Web", sans-serif; font-size: 10.5pt; line-height: 1.45; }}
body {{ margin: 0; }}
h2 {{ font-size: 18pt; font-weight: 700; margin: 0 0 5mm; }}
p {{ hyphens: auto; text-align: justify; margin: 0 0 3mm; }}
section {{ break-after: page; }}
</style></head><body>{body}</body></html>"""


def render_synthetic(pages):
    """The synthetic document laid out by plain WeasyPrint (none of our render's tuning)."""
    return plain_html_to_pdf(synthetic_html(pages))


def cpu_per_page(rendered):
    """CPU seconds per page of a RenderedPDF (its own process and its render workers)."""
    return rendered.cpu_seconds / max(rendered.page_count, 1)


@dataclass
class Measurement:
    """What one call cost: wall and CPU seconds (this process and the children it waited for),
    the process's peak resident memory so far (MiB, a high-water mark: measure in a fresh
    process to attribute it) and the one-minute load average at the end."""

    wall_seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    children_peak_rss_mib: float
    load_average: float
    result: object = None


def measure(function, *args, **kwargs):
    """Call `function` and return a Measurement holding its result."""
    wall, cpu = time.perf_counter(), cpu_time()
    result = function(*args, **kwargs)
    wall, cpu = time.perf_counter() - wall, cpu_time() - cpu
    return Measurement(
        wall_seconds=wall, cpu_seconds=cpu,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        children_peak_rss_mib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        load_average=os.getloadavg()[0], result=result,
    )
