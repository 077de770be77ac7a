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
