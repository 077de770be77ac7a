"""Filters for the print templates: user text typeset safely, dates and amounts from snapshots.

Every filter here escapes what it is given before adding markup, so it is safe on user-written
text; none of them trusts its input. None of them changes a character of what people wrote
either: no quotes turned into guillemets, no apostrophes curled (a straight quote may be part of
a name, of code, or unbalanced). Typographic quotes belong to our own text, in the catalogues.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from html import unescape as unescape_html

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()

BULLET = re.compile(r"^\s*[-•*]\s+")


@register.filter
def text_blocks(text):
    """Plain text as paragraphs; blocks whose lines all start with "- " become bullet lists.
    Blank lines separate blocks; single line breaks inside a paragraph are kept."""
    blocks = re.split(r"\n\s*\n", str(text or "").replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        items = _bullet_items(lines)
        if items is not None:
            intro, items = items
            if intro:
                html.append(f"<p>{intro}</p>")
            html.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
        else:
            html.append("<p>" + "<br>".join(_line(line) for line in lines) + "</p>")
    return mark_safe("\n".join(html))


def _line(line):
    return escape(line)


def _bullet_items(lines):
    """(intro, items) when the block is a list (an optional first line, then bullets; a line
    without a bullet continues the previous item), else None."""
    start = 1 if not BULLET.match(lines[0]) else 0
    if start >= len(lines) or not BULLET.match(lines[start]):
        return None
    items = []
    for line in lines[start:]:
        if BULLET.match(line):
            items.append(_line(BULLET.sub("", line)))
        else:
            items[-1] += " " + _line(line)
    return (_line(lines[0]) if start else ""), items


@register.filter
def iso_date(value):
    """A date stored as an ISO string in a snapshot, as a date for `|date`."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def long_date(value):
    """"25 novembre 2026": Italian writes month names in lower case, which Django's "F" does not."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = date_format(value, "j F Y")
    return text.lower() if translation.get_language().startswith("it") else text


@register.filter
def euro(value):
    """An amount (a decimal string in a snapshot) with two decimals and thousands separators
    in the active language: "1.500,00" in Italian."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return floatformat(amount, "2g")


@register.filter
def quantity(value):
    """A quantity without useless decimals: 600.00 → 600, 2.50 → 2,5."""
    try:
        amount = Decimal(str(value)).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return floatformat(amount, "-2g")


@register.filter
def css_string(value):
    """A quoted CSS string, for text in @page rules (never HTML: the style element is raw)."""
    text = str(value or "")
    escaped = "".join(c if c.isalnum() or c in " .,:;-_()/·–" else f"\\{ord(c):x} " for c in text)
    return mark_safe(f'"{escaped}"')


@register.filter
def css_string_of_html(value):
    """`css_string` of text a template has already escaped as HTML (the output of a
    `{% filter %}` around a block): the characters people wrote, unescaped, then quoted for CSS."""
    return css_string(unescape_html(str(value or "")).strip())


@register.filter
def w3c_datetime(value):
    """"2026-12-06T10:59:16+01:00", local time to the second, for <meta name="dcterms.created">:
    WeasyPrint writes it to both the PDF's info dictionary (which has no fractions of a second)
    and its XMP metadata, and PDF/A wants the two to say the same."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
