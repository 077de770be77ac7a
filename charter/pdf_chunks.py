"""A large document laid out in chunks, in parallel processes, merged into the PDF one render gives.

Part of the renderer (charter.pdf): the only other module that touches WeasyPrint. Layout is
single-threaded and costs about 0.06 s of CPU per page; a 200-project Carta has 280 pages. Its
chapters (`<section class="chapter">`, each starting a page) are independent once three things
are known: the page they start on, the document's page total (footers say "Pagina 12 / 283"),
and the pages of everything the contents points to. So:

1. the HTML is parsed once; forked workers (one per CPU) each keep the running header and footer
   and their share of the chapters, lay them out, report their page count, anchors and
   bookmarks, and wait;
2. meanwhile the parent lays out the front matter (cover and contents) with placeholder page
   numbers to learn its length, then, with every count in, again with the real numbers;
3. each part then makes its page margins (header, footer, page numbers) with its own first page
   number and the total, as WeasyPrint does last for a single render, and writes its PDF, while
   the parent lays out the front matter with the real numbers (should its length change, the
   document is rendered in one piece instead);
4. charter.pdf_merge concatenates the parts and rebuilds what spans them: named destinations
   (the contents' links), the outline and, in tagged PDFs, the structure tree. Metadata, XMP
   (PDF/A) and output intent are the first part's.

Everything page-based comes out as in a single render: page count, contents page numbers,
footers, outline titles and targets, page text (charter/tests/test_pdf_chunks.py compares).
WeasyPrint internals used (pinned 70.0): Document._render/_build_layout_context, the layout
context's page_maker, make_margin_boxes, layout_box_backgrounds, Page._page_box,
make_page_bookmark_tree.
"""

import contextlib
import logging
import multiprocessing
import os
import threading
import traceback

from weasyprint import DEFAULT_OPTIONS, HTML
from weasyprint import layout as weasyprint_layout
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.layout.page import make_margin_boxes
from weasyprint.text.fonts import FontConfiguration

from .pdf_merge import UnmergeableParts, merge

logger = logging.getLogger(__name__)

# The contents' page numbers: a single render computes them with target-counter(); a chunked one
# knows them before the front matter is laid out and prints them from an attribute instead.
PAGE_ATTRIBUTE = "data-chunk-page"
CONTENTS_CSS = f".toc a[{PAGE_ATTRIBUTE}]::after {{ content: attr({PAGE_ATTRIBUTE}); }}"
RUNNING_CLASSES = ("running-header", "running-footer")
# Longest wait for a worker's answer; a 280-page part takes about 10 s of CPU.
PART_TIMEOUT_SECONDS = 120
CHAPTER_CLASS = "chapter"
PLACEHOLDER_PAGE = "000"


class ChunkingFailed(RuntimeError):
    """A part could not be laid out; the caller renders the document in one piece instead."""


def _classes(element):
    return (element.get("class") or "").split()


def split_body(root):
    """(running elements, front matter, chapters) among the body's children, or None when the
    document is not a cover-and-chapters document this module knows how to split."""
    body = root.find("body")
    if body is None:
        return None
    running, front, chapters = [], [], []
    for child in body:
        classes = _classes(child)
        if any(name in classes for name in RUNNING_CLASSES):
            running.append(child)
        elif child.tag == "section" and CHAPTER_CLASS in classes:
            chapters.append(child)
        elif chapters:
            return None  # something after the chapters: keep one render
        else:
            front.append(child)
    return (running, front, chapters) if len(chapters) >= 2 else None


def _weight(element):
    return sum(len(text) for text in element.itertext()) + 200 * sum(1 for _ in element.iter())


def partition(chapters, parts):
    """Consecutive groups of chapters of about equal weight (text and elements), at most `parts`."""
    weights = [_weight(chapter) for chapter in chapters]
    parts = max(1, min(parts, len(chapters)))
    target = sum(weights) / parts
    groups, current, accumulated = [], [], 0
    for index, (chapter, weight) in enumerate(zip(chapters, weights)):
        remaining_groups = parts - len(groups) - 1
        remaining_chapters = len(chapters) - index
        if current and remaining_groups > 0 and (
            accumulated + weight / 2 > target * (len(groups) + 1) or remaining_chapters <= remaining_groups
        ):
            groups.append(current)
            current = []
        current.append(chapter)
        accumulated += weight
    groups.append(current)
    return groups


class _CapturingDocument(Document):
    """WeasyPrint's Document, keeping the layout context (per thread) so that page margins can
    be made again with other page numbers."""

    captured = threading.local()

    @classmethod
    def _build_layout_context(cls, *args, **kwargs):
        context = super()._build_layout_context(*args, **kwargs)
        cls.captured.context = context
        return context


class Part:
    """One laid-out part: its pages, anchors and bookmarks; `renumber` then `write`."""

    def __init__(self, html, options, *, defer_margins=False):
        self.options = {**DEFAULT_OPTIONS, **options}
        with _margins_deferred() if defer_margins else contextlib.nullcontext():
            self.document = _CapturingDocument._render(
                html, FontConfiguration(), CounterStyle(), {}, dict(self.options),
            )
        self.context = _CapturingDocument.captured.context
        _CapturingDocument.captured.context = None

    @property
    def page_count(self):
        return len(self.document.pages)

    def anchors(self):
        """{anchor name: page index in the part}, first occurrence (as WeasyPrint resolves links)."""
        found = {}
        for index, page in enumerate(self.document.pages):
            for name in page.anchors:
                found.setdefault(name, index)
        return found

    def bookmarks(self):
        return [(page.height, list(page.bookmarks)) for page in self.document.pages]

    def renumber(self, first_page, total):
        """Make the page margins again as if the part started at page `first_page` of `total`."""
        context = self.context
        for index, page in enumerate(self.document.pages):
            page_box = page._page_box
            state = context.page_maker[index + 1][3]
            counters = state[1]
            counters["page"] = [first_page + index]
            counters["pages"] = [total]
            context.current_page = index + 1
            kept = [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]
            margins = list(make_margin_boxes(context, page_box, state))
            for margin in margins:
                layout_box_backgrounds(page_box, margin, context.get_image_from_uri)
            page_box.children = tuple(kept + margins)

    def write(self):
        write_options = {key: value for key, value in self.options.items() if key != "stylesheets"}
        return self.document.write_pdf(**write_options)


@contextlib.contextmanager
def _margins_deferred():
    """Layout without page margins, which `Part.renumber` makes once the numbers are known:
    made twice they cost 8 % of a part. Patches WeasyPrint's module for the duration, so only
    in a forked worker, where nothing else runs."""
    original = weasyprint_layout.make_margin_boxes
    weasyprint_layout.make_margin_boxes = lambda context, page, state: []
    try:
        yield
    finally:
        weasyprint_layout.make_margin_boxes = original


def _chunk_worker(connection, html, keep, options):
    """In a forked process: lay out the running elements and the chapters in `keep` (ids of
    elements, from the parent's parsed tree), report, wait for the numbering, write."""
    try:
        body = html.etree_element.find("body")
        for child in list(body):
            if id(child) not in keep:
                body.remove(child)
        part = Part(html, options, defer_margins=True)
        connection.send(("laid-out", part.page_count, part.anchors(), part.bookmarks()))
        first_page, total = connection.recv()
        part.renumber(first_page, total)
        connection.send(("pdf", part.write()))
    except BaseException:  # the parent must hear of any failure, or it would wait forever
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def _receive(connection, expected):
    try:
        # A fork taken while another thread held a lock (fontconfig, logging) can leave a worker
        # stuck for ever: give up on parts then, and render in one piece.
        if not connection.poll(PART_TIMEOUT_SECONDS):
            raise ChunkingFailed(f"a part's worker did not answer in {PART_TIMEOUT_SECONDS} s")
        message = connection.recv()
    except (EOFError, OSError) as error:  # the worker died (killed, out of memory)
        raise ChunkingFailed(f"a part's worker ended without answering: {error!r}") from error
    if message[0] == "error":
        raise ChunkingFailed(message[1])
    if message[0] != expected:
        raise ChunkingFailed(f"unexpected message {message[0]!r}")
    return message[1:]


def render_in_chunks(html_string, *, base_url, url_fetcher, options, parts=None):
    """(PDF bytes, page count) of `html_string`, laid out in `parts` parallel processes (default:
    one per CPU). Raises ChunkingFailed when the document cannot be split or a part fails."""
    parts = parts or os.cpu_count() or 1
    html = HTML(string=html_string, base_url=base_url, url_fetcher=url_fetcher)
    split = split_body(html.etree_element)
    if split is None:
        raise ChunkingFailed("not a document of chapters")
    running, front, chapters = split
    groups = partition(chapters, parts)
    fork = multiprocessing.get_context("fork")
    workers = []
    try:
        for group in groups:
            parent_end, child_end = fork.Pipe()
            keep = {id(element) for element in running + group}
            process = fork.Process(target=_chunk_worker, args=(child_end, html, keep, options), daemon=True)
            try:
                process.start()
            except (AssertionError, OSError) as error:  # e.g. inside a daemonic pool worker
                raise ChunkingFailed(f"cannot start a worker process: {error!r}") from error
            child_end.close()
            workers.append((process, parent_end))
        return _front_and_merge(html, running, front, chapters, workers, options)
    finally:
        for process, connection in workers:
            connection.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def _front_and_merge(html, running, front, chapters, workers, options):
    body = html.etree_element.find("body")
    for chapter in chapters:
        body.remove(chapter)
    links = _contents_links(front, chapters)
    for link, _name in links:
        link.set(PAGE_ATTRIBUTE, PLACEHOLDER_PAGE)
    # An author style (user stylesheets would lose to the page's own `.toc a::after`).
    head = html.etree_element.find("head")
    style = head.makeelement("style", {})
    style.text = CONTENTS_CSS
    head.append(style)
    front_pages = Part(html, options).page_count  # its length, before the numbers are known

    reports = [_receive(connection, "laid-out") for _process, connection in workers]
    starts, anchors, first = [], {}, front_pages + 1
    for count, part_anchors, _bookmarks in reports:
        starts.append(first)
        for name, index in part_anchors.items():
            anchors.setdefault(name, first + index)
        first += count
    total = first - 1
    # The parts go on (margins, writing) while the front matter is laid out with its numbers.
    for (_process, connection), start in zip(workers, starts):
        connection.send((start, total))
    for link, name in links:
        link.set(PAGE_ATTRIBUTE, str(anchors.get(name, "")))
    front_part = Part(html, options)
    if front_part.page_count != front_pages:  # the real numbers moved a line break (rare)
        raise ChunkingFailed("the front matter's length changed with its page numbers")
    front_part.renumber(1, total)
    bookmarks = front_part.bookmarks()
    front_pdf = front_part.write()
    del front_part
    chunk_pdfs = []
    for (_process, connection), report in zip(workers, reports):
        chunk_pdfs.append(_receive(connection, "pdf")[0])
        bookmarks += report[2]
    try:
        return merge([front_pdf, *chunk_pdfs], bookmarks), total
    except UnmergeableParts as error:
        raise ChunkingFailed(str(error)) from error


def _contents_links(front, chapters):
    """(link element, anchor name) of every link in the front matter to an element of a chapter.
    Each link is made an anchor of its target's name, so that WeasyPrint keeps it (it drops links
    to missing anchors); the merge points the name at the real target."""
    targets = {element.get("id") for chapter in chapters for element in chapter.iter() if element.get("id")}
    links = []
    for element in front:
        for parent in element.iter():
            for link in list(parent):
                href = link.get("href") or "" if link.tag == "a" else ""
                if href.startswith("#") and href[1:] in targets:
                    links.append((link, href[1:]))
                    if link.get("id") is None:
                        link.set("id", href[1:])  # no new element: no new tag, no new link area
                    else:
                        parent.append(link.makeelement("span", {"id": href[1:]}))
    return links
