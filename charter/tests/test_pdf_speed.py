"""What makes rendering cheaper must not change the document: the collector paused around a
render gives the same bytes and is back on afterwards; the render reports its CPU and load."""

import gc

from charter.pdf import html_to_pdf, plain_html_to_pdf
from charter.pdf_bench import synthetic_html


def test_pausing_the_garbage_collector_gives_the_same_bytes_and_resumes_it():
    html = synthetic_html(2)
    tuned = html_to_pdf(html, seal=False)
    assert gc.isenabled()
    assert tuned.content == plain_html_to_pdf(html).content
    assert tuned.page_count == 2 and tuned.cpu_seconds > 0 and tuned.load_average >= 0


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        html_to_pdf(synthetic_html(1), seal=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
