"""A Carta laid out in parallel parts and merged is the Carta a single render gives: same pages
and text on each (footers' "page N / M" included), same contents page numbers, outline and link
targets; tagged (PDF/A-3a), one valid structure tree and the first part's PDF/A metadata."""

import io

import pikepdf
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from charter import services
from charter.documents import charter_context
from charter.pdf import html_to_pdf, render_html
from charter.pdf_chunks import partition, render_in_chunks, split_body
from charter.tests.factories import CharterVersionFactory, approved_proposal, steering_member
from charter.tests.pdfs import (
    catalog, contents_entries, fonts_not_embedded, info_xmp_mismatches, outline_titles, pdfa_identification, reader,
    structure_types,
)
from projects.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

TAGGED = {"pdf_tags": True, "pdf_variant": "pdf/a-3a"}


@pytest.fixture(scope="module")
def carta_html(django_db_setup, django_db_blocker):
    """A Carta of nine projects in three themes, as its print template renders it."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            themes = [ThemeFactory(title=f"Tematica {n}") for n in range(3)]
            proposals = [
                approved_proposal(f"Progetto {n} " + "con un titolo lungo " * (n % 4), theme=themes[n % 3])
                for n in range(9)
            ]
            version = CharterVersionFactory(proposals=proposals, introduction="Introduzione. " * 400)
            version = services.approve_version(version, by=steering_member(coordinator=True))
            html = render_html("charter/pdf/charter.html", charter_context(version))
            transaction.set_rollback(True)
    return html


def page_texts(content):
    return [page.extract_text(extraction_mode="layout") for page in reader(content).pages]


def outline(content):
    pdf = pikepdf.open(io.BytesIO(content))
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items()) if "/Names" in pdf.Root else {}

    def target(destination):
        if isinstance(destination, pikepdf.String):
            destination = names[str(destination)]
        return pages[destination[0].objgen], round(float(destination[3]))

    entries = []
    with pdf.open_outline() as tree:
        def walk(items, depth):
            for item in items:
                entries.append((depth, item.title, target(item.destination)))
                walk(item.children, depth + 1)
        walk(tree.root, 0)
    return entries


def link_targets(content):
    pdf = pikepdf.open(io.BytesIO(content))
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
    found = []
    for index, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                destination = names[str(annotation.Dest)]
                found.append((index, str(annotation.Dest), pages[destination[0].objgen], round(float(destination[3]))))
    return found


def test_the_carta_splits_into_consecutive_balanced_parts(carta_html):
    from weasyprint import HTML

    running, front, chapters = split_body(HTML(string=carta_html).etree_element)
    assert running == []  # the running header and footer are strings of the @page rule
    assert [element.tag for element in front] == ["section", "nav"]
    assert [chapter.get("id") for chapter in chapters][:2] == ["introduction", "principles"]
    groups = partition(chapters, 2)
    assert len(groups) == 2 and [c for group in groups for c in group] == chapters


def test_a_carta_in_parts_is_the_carta_of_a_single_render(carta_html):
    with translation.override(settings.LANGUAGE_CODE):
        introduction = gettext("Introduction")
    single = html_to_pdf(carta_html, seal=False, parts=1)
    parted = html_to_pdf(carta_html, seal=False, parts=2)
    assert single.page_count == parted.page_count == len(reader(parted.content).pages) > 6
    assert len(parted.content) < 1.5 * len(single.content)  # fonts once per part, structure packed
    assert page_texts(parted.content) == page_texts(single.content)  # footers: "Page N / M"
    contents = contents_entries(parted.content)
    assert contents == contents_entries(single.content)
    assert contents["Progetto 8"] > contents["Tematica 2"] > contents["Tematica 0"] > contents[introduction] > 2
    assert outline(parted.content) == outline(single.content)
    assert link_targets(parted.content) == link_targets(single.content)
    assert parted.cpu_seconds > 0


def test_a_tagged_pdf_a_in_parts_keeps_one_structure_tree_and_its_metadata(carta_html):
    from weasyprint import HTML

    from charter.pdf import BASE_URL, StaticFilesURLFetcher

    single = HTML(string=carta_html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()).write_pdf(**TAGGED)
    parted, page_count = render_in_chunks(
        carta_html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher(), options=TAGGED, parts=3,
    )
    assert page_count == len(reader(single).pages)
    assert page_texts(parted) == page_texts(single)
    pdf = pikepdf.open(io.BytesIO(parted))
    assert b'pdfaid:part="3"' in pdf.Root.Metadata.read_bytes() and str(pdf.Root.Lang)
    assert pdf.Root.MarkInfo.Marked
    assert structure_summary(pdf) == structure_summary(pikepdf.open(io.BytesIO(single)))


def test_a_carta_in_parts_passes_the_archival_read_back(carta_html):
    """The portal's own options (PDF/A-2a, tagged) through the parallel path: what an archive
    checks of a single render holds for the merged file too."""
    parted = html_to_pdf(carta_html, seal=False, parts=2).content
    assert pdfa_identification(parted) == ("2", "A")
    assert info_xmp_mismatches(parted) == []
    assert fonts_not_embedded(parted) == set()
    counts, figures = structure_types(parted)
    assert counts.get("/H2", 0) > 3 and counts.get("/P", 0) > 10
    assert all(figures)
    shown = catalog(parted)
    assert shown["lang"] == "it" and shown["marked"] and shown["tagged"] and shown["display_doc_title"]
    assert len(outline_titles(parted)) > 6


def structure_summary(pdf):
    """Element types in order, and each page's marked content found through the parent tree;
    fails on an element pointing at a page that is not in the document."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    root = pdf.Root.StructTreeRoot
    (document,) = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    types, marked = [], {}

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") in ("/OBJR", "/MCR"):
            return
        types.append(str(element.S))
        if "/Pg" in element:
            assert element.Pg.objgen in pages
        kids = element.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, int):
                marked.setdefault(pages[element.Pg.objgen], {})[kid] = element.objgen
            elif kid.get("/Type") not in ("/OBJR", "/MCR"):
                assert kid.P.objgen == element.objgen
                walk(kid)

    walk(document)
    parent_tree = {}
    for node in [root.ParentTree, *root.ParentTree.get("/Kids", [])]:
        numbers = list(node.get("/Nums", []))
        parent_tree.update({int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)})
    for index, page in enumerate(pdf.pages):
        entries = parent_tree[int(page.obj.StructParents)]
        for mcid, element in marked.get(index, {}).items():
            assert entries[mcid].objgen == element
    return types, {index: len(ids) for index, ids in marked.items()}


def test_only_a_large_document_is_laid_out_in_parts():
    import os

    from charter.pdf import CHUNK_MIN_HTML_CHARS, render_parts

    cpus = len(os.sched_getaffinity(0))
    assert render_parts("x" * (CHUNK_MIN_HTML_CHARS - 1)) == 1
    assert render_parts("x" * CHUNK_MIN_HTML_CHARS) == (cpus if cpus > 1 else 1)


def test_a_document_without_chapters_is_rendered_in_one_piece(caplog):
    from charter.pdf_bench import synthetic_html

    rendered = html_to_pdf(synthetic_html(2), seal=False, parts=2)
    assert rendered.page_count == 2 and "Tematica 2" in page_texts(rendered.content)[1]
    assert "rendering in one piece" in caplog.text


def test_a_render_inside_a_daemonic_process_falls_back_to_one_piece(carta_html):
    """Pool workers (Celery's prefork, multiprocessing.Pool) may not start processes."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        page_count = pool.apply(_render_page_count, (carta_html,))
    assert page_count == html_to_pdf(carta_html, seal=False, parts=1).page_count


def _render_page_count(html):
    return html_to_pdf(html, seal=False, parts=2).page_count
