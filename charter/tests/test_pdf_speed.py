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


def test_the_structure_tree_points_each_heading_at_its_own_page():
    """Page references are cached while tagging (charter.pdf): each page's headings still
    belong to that page, and a page added later gets a reference of its own."""
    import io

    import pikepdf
    import pydyf

    content = html_to_pdf(synthetic_html(3), seal=False).content
    with pikepdf.open(io.BytesIO(content)) as pdf:
        pages = [page.objgen for page in pdf.pages]
        headings = [element for element in pdf.objects if isinstance(element, pikepdf.Dictionary)
                    and element.get("/Type") == "/StructElem" and element.get("/S") == "/H2"]
        assert [heading.Pg.objgen for heading in headings] == pages

    document = pydyf.PDF()
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = document.page_references
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(first) == 1 and len(document.page_references) == 2
    assert document.page_references[0] == first[0] != document.page_references[1]
