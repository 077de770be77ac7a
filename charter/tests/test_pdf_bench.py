"""The synthetic document `make bench` compares the Carta with: exactly the pages asked for, in
the Carta's own font, and its cost measured in CPU seconds."""

from charter.pdf_bench import cpu_per_page, measure, render_synthetic
from charter.tests.pdfs import font_names, pdf_text, reader


def test_the_synthetic_document_has_the_pages_asked_for_in_the_carta_font():
    measured = measure(render_synthetic, 3)
    rendered = measured.result
    assert rendered.page_count == 3 == len(reader(rendered.content).pages)
    assert "Tematica 3" in pdf_text(rendered.content)
    assert any("Titillium" in name for name in font_names(rendered.content))
    assert 0 < rendered.cpu_seconds <= measured.cpu_seconds + 0.01
    assert cpu_per_page(rendered) == rendered.cpu_seconds / 3
    assert measured.wall_seconds > 0 and measured.peak_rss_mib > 0 and measured.load_average >= 0
