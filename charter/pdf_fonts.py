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
FACE = re.compile(r"@font-face\s*{[^}]*}")
FAMILY = re.compile(r'font-family:\s*"([^"]+)"')
RANGE = re.compile(r"unicode-range:\s*([^;}]+)")


@functools.cache
def _faces():
    """(the @font-face rules with their family names, {code point: index of the rule that
    draws it}), in the order of fallback.css, which is the order of preference."""
    with open(finders.find(FOLDER + "fallback.css"), encoding="utf-8") as handle:
        css = handle.read()
    rules, owner = [], {}
    for index, match in enumerate(FACE.finditer(css)):
        rule = match.group(0)
        rules.append((rule, FAMILY.search(rule).group(1)))
        for part in RANGE.search(rule).group(1).split(","):
            start, _, end = part.strip()[2:].partition("-")
            for point in range(int(start, 16), int(end or start, 16) + 1):
                owner.setdefault(point, index)
    return rules, owner


def fallback_font_faces(text, static_base):
    """The CSS `text` needs: the @font-face rules of its characters, their URLs under
    `static_base`, and the text's font family list naming them after Titillium Web (each file
    has a family of its own: WeasyPrint tells a PDF's fonts apart by family, weight and style,
    so files sharing one would be drawn with the first one's glyphs). "" when none is needed."""
    rules, owner = _faces()
    needed = [rules[index] for index in sorted({owner[point] for point in map(ord, set(text)) if point in owner})]
    if not needed:
        return ""
    families = ", ".join(f'"{family}"' for _rule, family in needed)
    faces = "\n".join(rule.replace('url("', f'url("{static_base}{FOLDER}') for rule, _family in needed)
    # The page's margin boxes (running title, page numbers) inherit the root's fonts.
    return f'{faces}\nhtml {{ font-family: "Titillium Web", {families}, sans-serif; }}'


def with_fallback_fonts(html, static_base):
    """`html` with a <style> of the fallback fonts its characters need, at the end of <head>,
    after the print stylesheet, whose font family list it extends."""
    css = fallback_font_faces(html, static_base)
    if not css:
        return html
    return html.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)
