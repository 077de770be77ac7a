"""Reading generated PDFs back in tests."""

import io
import re

from pypdf import PdfReader


def reader(content):
    return PdfReader(io.BytesIO(content))


def pdf_text(content):
    """The whole text, words hyphenated across lines joined again and whitespace collapsed."""
    text = "\n".join(page.extract_text() or "" for page in reader(content).pages)
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return " ".join(text.split())


def font_names(content):
    names = set()
    for page in reader(content).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        for font in fonts.values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s{2,}(\d+)\s*$")


def contents_entries(content, first_page=2, last_page=None):
    """{title: page number} from the table of contents, read by position on the page (the
    content stream paints the floated page numbers first). Pages are counted from 1."""
    entries = {}
    pages = reader(content).pages[first_page - 1:last_page or first_page]
    for page in pages:
        for line in page.extract_text(extraction_mode="layout").splitlines():
            match = CONTENTS_LINE.match(line)
            if match:
                entries[match[1]] = int(match[2])
    return entries
