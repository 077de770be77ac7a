"""Rendered fragments of a page kept in the cache under a key made of everything they show.

Laying out a filter form with crispy fields and select lists costs more than a whole static
page of the theme (`make bench`), and a list page does it on every view. A fragment is keyed by
the language, a fingerprint of its template and the data it shows (the values asked for, the
choices offered, a row's fields as the page just read them): when anything changes the key
changes, so nothing needs invalidating and nothing is served stale. The queries that read the
data still run; only the rendering is saved.
"""

import hashlib
from functools import cache as once

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# A miss costs one rendering; a day bounds what a cache without eviction would hold.
TIMEOUT_SECONDS = 24 * 3600


@once
def _fingerprint(template_name):
    origin = get_template(template_name).origin.name
    with open(origin, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()[:12]


def fragment_key(template_name, *parts):
    digest = hashlib.sha256(repr((get_language(), _fingerprint(template_name), *parts)).encode()).hexdigest()
    return f"fragment:{template_name}:{digest}"


def cached_fragments(template_name, items, data, context):
    """One rendering of `template_name` per item, `data(item)` saying everything it shows and
    `context(item)` what the template reads; the cached ones in one round trip."""
    keys = [fragment_key(template_name, data(item)) for item in items]
    cached = cache.get_many(keys)
    missing, fragments = {}, []
    for key, item in zip(keys, items):
        html = cached.get(key)
        if html is None:
            html = missing[key] = render_to_string(template_name, context(item))
        fragments.append(mark_safe(html))  # our template, which escapes every value
    if missing:
        cache.set_many(missing, TIMEOUT_SECONDS)
    return fragments


def filter_form_html(request, filterset, template_name, context, choice_fields):
    """The filter form of a list, keyed by the values asked for and the choices of
    `choice_fields` (read once: for the key, and for a rendering on a miss)."""
    form = filterset.form
    choices = []
    for name in choice_fields:
        widget = form.fields[name].widget
        widget.choices = [choice for choice in widget.choices]  # one query (list() would count first)
        choices.append((name, [(str(value), str(label)) for value, label in widget.choices]))
    asked = sorted((name, request.GET.getlist(name)) for name in filterset.filters if name in request.GET)
    key = fragment_key(template_name, asked, choices, sorted(context.items(), key=lambda item: item[0]))
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, {"filter": filterset, **context}, request)
        cache.set(key, html, TIMEOUT_SECONDS)
    return mark_safe(html)  # our template, which escapes every value
