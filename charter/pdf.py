"""HTML to PDF with WeasyPrint: the only module that imports it, with charter.pdf_chunks (a large
document laid out in parallel parts and merged).

`render_pdf(template, context)` renders a print template under templates/charter/pdf/ in the
portal's language and lays it out with WeasyPrint. Every resource the document asks for goes
through `StaticFilesURLFetcher`, which serves the portal's own static files (our stylesheet,
the theme's Titillium Web fonts), found through Django's staticfiles finders, and refuses
everything else: remote URLs, `file:` URLs, paths climbing out of the static folder and large
`data:` URLs. User-written text is escaped by the templates anyway; the fetcher is the second
wall, should markup ever slip through.

Templates refer to static files as `{{ static_base }}<path>`: a fixed prefix under a reserved,
never-resolving host, rather than `{% static %}`, whose hashed production names the finders do
not know.
"""

import functools
import gc
import io
import logging
import mimetypes
import os
import posixpath
import resource
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
import pydyf
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdf_fonts import with_fallback_fonts
from .pdf_chunks import ChunkingFailed, render_in_chunks

logger = logging.getLogger(__name__)

BASE_URL = "https://portal.invalid/"
STATIC_BASE = BASE_URL + "static/"
# data: URLs up to this length (characters) are decoded; larger ones are refused.
MAX_DATA_URL_LENGTH = 4096

# Write options of every document: PDF/A-2 level A (archival, and tagged: a structure tree, the
# language, alternative text), the variant AgID's guidelines and records-keeping services accept
# most widely; level 3 would only add arbitrary attachments, which we do not embed. WeasyPrint
# turns the HTML's <title>, <html lang> and headings into the title, /Lang and bookmarks.
PDF_OPTIONS = {"pdf_variant": "pdf/a-2a", "pdf_tags": True}

# From this much HTML (characters; a page of the Carta is about 3,000) a document is laid out in
# parallel parts when the machine has more than one CPU (charter.pdf_chunks). At 78 pages parts
# already cost no more CPU than one piece (measured); below, the front matter laid out twice, the
# fonts loaded per process and the merge weigh more than the pages shared out.
CHUNK_MIN_HTML_CHARS = 200_000

FONT_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}


def _cached_page_references(pdf):
    """pydyf's `PDF.page_references`, built once per page count instead of at every call.

    WeasyPrint's tagging asks for the tuple of every page's reference once per structure element
    (`pdf.page_references[page_number]`, weasyprint/pdf/tags.py) and pydyf rebuilds it from the
    page tree each time: boxes x pages string formats, 10 % of a tagged 78-page Carta's CPU and
    more as documents grow. Pages are only ever appended to `Kids` (`PDF.add_page`), so its
    length says when the cached tuple is stale. The bytes written are identical."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_charter_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_charter_page_references"] = cached
    return cached[1]


pydyf.PDF.page_references = property(_cached_page_references)


class RefusedURL(ValueError):
    """A resource the renderer must not fetch. WeasyPrint logs it and renders without it."""


class StaticFilesURLFetcher(URLFetcher):
    """Serves `STATIC_BASE<path>` from the staticfiles finders; refuses every other URL.

    `served` and `refused` list the URLs asked for, in order, for logs and tests.
    """

    def __init__(self, max_data_url_length=MAX_DATA_URL_LENGTH):
        super().__init__(timeout=5, allowed_protocols=("https", "data"), allow_redirects=False)
        self.max_data_url_length = max_data_url_length
        self.served = []
        self.refused = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            if len(url) > self.max_data_url_length:
                self._refuse(url[:60] + "…", "data: URL too large")
            self.served.append(url[:60])
            return super().fetch(url, headers)
        if not url.startswith(STATIC_BASE):
            self._refuse(url, "not one of the portal's static files")
        path = self.static_path(url)
        if path is None:
            self._refuse(url, "path leaves the static folder or is malformed")
        found = finders.find(path)
        if not found:
            self._refuse(url, "no such static file")
        extension = posixpath.splitext(path)[1].lower()
        if extension in (".woff", ".woff2"):
            body, extension = decompressed_font(found), ".ttf"
        else:
            with open(found, "rb") as handle:
                body = handle.read()
        content_type = FONT_TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"
        self.served.append(url)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    @staticmethod
    def static_path(url):
        """The static file's relative path, or None when the URL tries to leave the folder."""
        parts = urlsplit(url)
        if parts.query or parts.fragment or parts.username or parts.port:
            return None
        path = unquote(parts.path)
        if not path.startswith("/static/") or "\\" in path or "\x00" in path:
            return None
        relative = path[len("/static/"):]
        segments = relative.split("/")
        if not relative or any(segment in ("", ".", "..") for segment in segments):
            return None
        return posixpath.normpath(relative)

    def _refuse(self, url, reason):
        self.refused.append(url)
        raise RefusedURL(f"{reason}: {url}")


@functools.lru_cache(maxsize=32)
def decompressed_font(path):
    """A WOFF/WOFF2 font file as the TrueType/OpenType font inside, decoded once per process:
    WeasyPrint decodes web fonts at every render (fontTools, pure Python: 0.1 s per font, paid
    again by each parallel part)."""
    with open(path, "rb") as handle:
        font = TTFont(handle)
        output = io.BytesIO()
        font.flavor = None
        font.save(output)
    return output.getvalue()


@dataclass
class RenderedPDF:
    content: bytes
    page_count: int
    seconds: float
    seal_subject: str = ""
    # CPU seconds of the rendering (this process and any render workers it waited for) and the
    # one-minute load average when it ended: wall time alone says little on a busy machine.
    cpu_seconds: float = 0.0
    load_average: float = 0.0

    @property
    def sealed(self):
        return bool(self.seal_subject)


def render_html(template, context):
    """The print template as HTML, in the portal's language whoever triggers the rendering."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, {**context, "static_base": STATIC_BASE})
    return with_fallback_fonts(html, STATIC_BASE)


def html_to_pdf(html, fetcher=None, *, seal=True, parts=None):
    """Lay out an HTML string; `fetcher` is a StaticFilesURLFetcher by default; `seal=False`
    leaves the document unsealed even when a seal is configured. `parts` processes lay it out in
    parallel (charter.pdf_chunks); by default one per CPU for a large document, else one."""
    started, cpu_started = time.perf_counter(), cpu_time()
    fetcher = fetcher or StaticFilesURLFetcher()
    with garbage_collector_paused():
        content, page_count = _lay_out(html, fetcher, parts or render_parts(html))
    content, seal_subject = finish_pdf(content, seal=seal)
    return RenderedPDF(
        content=content, page_count=page_count, seconds=time.perf_counter() - started,
        seal_subject=seal_subject, cpu_seconds=cpu_time() - cpu_started, load_average=os.getloadavg()[0],
    )


@contextmanager
def garbage_collector_paused():
    """Python's cyclic garbage collector off for the duration: a layout allocates millions of
    boxes, and the collector kept re-scanning them (17-23 % of a render) to find almost nothing.
    Reference counting still frees what is not in a cycle; one collection afterwards, once the
    document is gone, frees the rest. The PDF is byte-identical either way."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def cpu_time():
    """CPU seconds used so far by this process and by the child processes it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mib():
    """The largest resident size (MiB) of this process or of any child it waited for (render
    workers included): a high-water mark, so measure in a fresh process to attribute it."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return max(own.ru_maxrss, children.ru_maxrss) / 1024


def render_parts(html):
    """How many processes lay out `html`: one per CPU from CHUNK_MIN_HTML_CHARS on, else one."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus if cpus > 1 and len(html) >= CHUNK_MIN_HTML_CHARS else 1


def _lay_out(html, fetcher, parts):
    """(PDF bytes, page count). The laid-out document dies with this frame, before the collector
    runs again: collecting with it alive re-scanned every box for nothing (9 % of a render)."""
    if parts > 1:
        try:
            return render_in_chunks(html, base_url=BASE_URL, url_fetcher=fetcher, options=PDF_OPTIONS, parts=parts)
        except ChunkingFailed:
            logger.warning("Laying out in parts failed; rendering in one piece.", exc_info=True)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=FontConfiguration(), **PDF_OPTIONS,
    )
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def plain_html_to_pdf(html):
    """WeasyPrint as it comes (collector on, no seal, no parts), through our fetcher for the
    fonts: the yardstick of charter.pdf_bench, never used for a document. It writes with the
    documents' PDF_OPTIONS (PDF/A-2a, tagged) so that the yardstick and the Carta produce the same
    kind of file: what they are compared on is layout. For plain paragraphs tagging costs next
    to nothing (78 pages: 2.68 s of CPU with the options, 2.64 s without, same run)."""
    started, cpu_started = time.perf_counter(), cpu_time()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()).render(**PDF_OPTIONS)
    content = document.write_pdf(**PDF_OPTIONS)
    return RenderedPDF(
        content=content, page_count=len(document.pages), seconds=time.perf_counter() - started,
        cpu_seconds=cpu_time() - cpu_started, load_average=os.getloadavg()[0],
    )


def render_pdf(template, context, fetcher=None, *, seal=True):
    return html_to_pdf(render_html(template, context), fetcher=fetcher, seal=seal)


def finish_pdf(content, *, seal=True):
    """The last step before the bytes are hashed and stored: the platform seal (PAdES), applied
    once when a certificate is configured (charter.seal). Returns (bytes, seal subject or "")."""
    from .seal import seal_if_configured

    return seal_if_configured(content) if seal else (content, "")
