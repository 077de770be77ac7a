"""The Carta's content as HTML, kept in the cache once a version is frozen.

A frozen snapshot (approved, published, superseded) reads the same for everyone, and laying
out a Carta of 200 projects takes about half a second: the public Carta page would spend that
on every view (measured with `make bench`). So its HTML is rendered once per version and
language and kept; a draft's live content is rendered on each view. The key includes a
fingerprint of the templates that draw the content, so a deploy that changes them never
serves the old layout.
"""

import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .resources import resources_summary
from .snapshot import content_of

TEMPLATE = "charter/versions/_content.html"
# Kept for a week; a cache miss only costs one rendering.
TIMEOUT_SECONDS = 7 * 24 * 3600


@once
def _templates_fingerprint():
    """A short hash of the content templates and of the template tags they use."""
    sources = sorted((Path(settings.BASE_DIR) / "templates" / "charter" / "versions").glob("_*.html"))
    sources.append(Path(__file__).resolve().parent / "templatetags" / "charter_pdf.py")
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _render(version):
    content = content_of(version)
    return render_to_string(TEMPLATE, {"content": content, "summary": resources_summary(content)})


def content_html(version):
    """The content of `version` as HTML, in the active language."""
    if version.snapshot is None or version.approved_at is None:
        return _render(version)
    key = "charter:content:{pk}:{approved}:{language}:{templates}".format(
        pk=version.pk, approved=int(version.approved_at.timestamp()), language=get_language(),
        templates=_templates_fingerprint(),
    )
    html = cache.get(key)
    if html is None:
        html = _render(version)
        cache.set(key, str(html), TIMEOUT_SECONDS)
    # Rendered by our template, which escapes every user-written value.
    return mark_safe(html)
