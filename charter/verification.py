"""Verification codes: a short, unguessable, typable name for every stored Document.

The code is printed on the PDF (cover and footer, with a QR code) before the bytes are rendered,
so anyone holding a paper or a file can reach `/verifica/<code>/` and compare what they hold
with what the portal issued. Ten characters from a 32-letter alphabet without 0/O and 1/I
(50 bits: nobody finds a document by guessing), written as two groups of five.
"""

import hashlib
import re
import secrets

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
GROUP = 5
LENGTH = 2 * GROUP
CODE_PATTERN = re.compile(rf"^[{ALPHABET}]{{{GROUP}}}-[{ALPHABET}]{{{GROUP}}}$")


def new_code():
    """A fresh random code, `XXXXX-XXXXX`. Uniqueness is left to the database constraint:
    with 2**50 codes a collision is not a practical concern (see `unused_code`)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:GROUP]}-{raw[GROUP:]}"


def unused_code():
    """A code no stored document has yet: checked once before rendering, because the code is
    printed inside the PDF and cannot change afterwards."""
    from .models import Document

    while True:
        code = new_code()
        if not Document.objects.filter(verification_code=code).exists():
            return code


def max_upload_bytes():
    """The one limit of a file compared on the verification page: the upload handler stops
    reading past it, a request declaring more is refused unread, the form refuses a larger file."""
    return settings.CHARTER_VERIFY_MAX_UPLOAD_BYTES


def normalise_code(text):
    """What a person typed, as stored: upper case, spaces and dashes ignored; None when it
    cannot be a code at all."""
    raw = re.sub(r"[\s\-–—]", "", (text or "")).upper()
    if len(raw) != LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return f"{raw[:GROUP]}-{raw[GROUP:]}"


def verification_url(code):
    """The public page of a code, absolute (it is printed on paper)."""
    return settings.PORTAL_BASE_URL + reverse("charter:verification-detail", args=[code])


def qr_svg(url, title=""):
    """The QR code of `url` as an inline <svg> element, for WeasyPrint: nothing is fetched.
    `title` becomes the SVG's <title>: the tagged PDF's alternative text for the figure."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#000", omitsize=False, title=title or None)


def print_context(code):
    """What the PDF templates need to print a code."""
    url = verification_url(code)
    with translation.override(settings.LANGUAGE_CODE):  # the language of the printed document
        title = gettext("QR code of the verification page %(url)s") % {"url": url}
    return {"verification_code": code, "verification_url": url, "verification_qr": qr_svg(url, title)}


def sha256_of_upload(uploaded, chunk_size=64 * 1024):
    """The SHA-256 and the first bytes of an uploaded file, read in chunks: never stored."""
    digest = hashlib.sha256()
    head = b""
    for chunk in uploaded.chunks(chunk_size):
        if len(head) < 8:
            head += chunk[: 8 - len(head)]
        digest.update(chunk)
    return digest.hexdigest(), head
