"""Fallback fonts for the characters Titillium Web lacks: emoji, Greek, Cyrillic, Arabic, Hebrew,
Chinese, symbols. Without them WeasyPrint draws an empty box (the .notdef glyph), which PDF/A
forbids and readers see as a blank.

The fonts are Noto, and Vazirmatn for the Arabic script (all SIL Open Font License), shipped
under static/charter/fonts/fallback/ split by Unicode range into small TrueType files
(scripts/build_fallback_fonts.py), and served by the renderer's static-only URL fetcher like
every other resource. WeasyPrint copies and registers every @font-face a document declares at
each render (all 132 files: about 0.3 s of CPU), so a document declares only the faces whose
unicode-range holds one of its characters: a text in Italian declares none.
"""

import functools
import re

from django.contrib.staticfiles import finders

FOLDER = "charter/fonts/fallback/"
# The order in which the PDFs fall back on them, after Titillium Web (static/charter/pdf.css).
FAMILIES = [
    "Noto Sans", "Vazirmatn", "Noto Sans Hebrew", "Noto Sans SC", "Noto Sans Math",
    "Noto Sans Symbols 2", "Noto Emoji",
]
FACE = re.compile(r"@font-face\s*{[^}]*}")
RANGE = re.compile(r"unicode-range:\s*([^;}]+)")


@functools.cache
def _faces():
    """(the @font-face rules, {code point: index of the rule that draws it})."""
    with open(finders.find(FOLDER + "fallback.css"), encoding="utf-8") as handle:
        css = handle.read()
    rules, owner = [], {}
    for index, match in enumerate(FACE.finditer(css)):
        rules.append(match.group(0))
        for part in RANGE.search(match.group(0)).group(1).split(","):
            start, _, end = part.strip()[2:].partition("-")
            for point in range(int(start, 16), int(end or start, 16) + 1):
                owner.setdefault(point, index)
    return rules, owner


def fallback_font_faces(text, static_base):
    """The @font-face rules `text` needs, their URLs under `static_base`; "" when none."""
    rules, owner = _faces()
    needed = sorted({owner[point] for point in map(ord, set(text)) if point in owner})
    return "\n".join(
        rules[index].replace('url("', f'url("{static_base}{FOLDER}') for index in needed
    )


def with_fallback_fonts(html, static_base):
    """`html` with a <style> of the fallback faces its characters need, at the end of <head>."""
    faces = fallback_font_faces(html, static_base)
    if not faces:
        return html
    return html.replace("</head>", f"<style>\n{faces}\n</style>\n</head>", 1)
