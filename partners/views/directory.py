"""The public partner directory: verified organisations only, searchable and filtered.

The directory is one of the most visited pages, and laying out its filter form (crispy fields,
three select lists) and twenty cards cost four times what a static page of the theme costs
(`make bench`). Both are kept in the cache, keyed by everything they show: the form by the
language, the values asked for and the choices offered; each card by the language and the
organisation's data as the page just read it. A change to an organisation, a municipality or a
policy area makes a new key, so nothing is ever served stale and nothing needs invalidating;
the queries still run on every view. The key also carries a fingerprint of the templates.
"""

import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from welfare_portal.pagination import paginate

from ..filters.organisations import DirectoryFilter
from ..models import Organisation

DIRECTORY_PAGE_SIZE = 20
FORM_TEMPLATE = "partners/directory/_filter_form.html"
CARD_TEMPLATE = "partners/directory/_card.html"
# A miss costs one rendering; a day bounds what a cache without eviction would hold.
TIMEOUT_SECONDS = 24 * 3600


@once
def _templates_fingerprint():
    digest = hashlib.sha256()
    for name in (FORM_TEMPLATE, CARD_TEMPLATE):
        digest.update((Path(settings.BASE_DIR) / "templates" / name).read_bytes())
    return digest.hexdigest()[:12]


def _key(kind, *parts):
    digest = hashlib.sha256(repr((get_language(), _templates_fingerprint(), *parts)).encode()).hexdigest()
    return f"partners:directory:{kind}:{digest}"


def _filter_form_html(request, filterset, is_filtered):
    form = filterset.form
    choices = []
    for name in ("kind", "municipality", "policy_area"):
        widget = form.fields[name].widget
        widget.choices = [choice for choice in widget.choices]  # one query (list() would count first)
        choices.append((name, [(str(value), str(label)) for value, label in widget.choices]))
    asked = sorted((name, request.GET.getlist(name)) for name in filterset.filters if name in request.GET)
    key = _key("form", asked, choices)
    html = cache.get(key)
    if html is None:
        html = render_to_string(FORM_TEMPLATE, {"filter": filterset, "is_filtered": is_filtered}, request)
        cache.set(key, html, TIMEOUT_SECONDS)
    return mark_safe(html)  # noqa: S308 - our template, which escapes every value


def _card_data(organisation):
    """Everything a card shows, read from the page's rows and their prefetched relations."""
    return (
        organisation.pk, organisation.name, organisation.kind, str(organisation.seat_municipality),
        [str(m) for m in organisation.municipalities_served.all()],
        [str(a) for a in organisation.policy_areas.all()], organisation.description,
    )


def _cards_html(organisations):
    keys = {organisation.pk: _key("card", _card_data(organisation)) for organisation in organisations}
    cached = cache.get_many(list(keys.values()))
    missing = {}
    cards = []
    for organisation in organisations:
        html = cached.get(keys[organisation.pk])
        if html is None:
            html = missing[keys[organisation.pk]] = render_to_string(CARD_TEMPLATE, {"organisation": organisation})
        cards.append(mark_safe(html))  # noqa: S308 - our template, which escapes every value
    if missing:
        cache.set_many(missing, TIMEOUT_SECONDS)
    return cards


def directory(request):
    """Anyone may browse it; pending and rejected organisations are never listed."""
    organisations = (
        Organisation.objects.verified()
        .select_related("seat_municipality")
        .prefetch_related("municipalities_served", "policy_areas")
        .order_by("name", "pk")
    )
    filterset = DirectoryFilter(request.GET or None, queryset=organisations)
    page = paginate(request, filterset.qs, per_page=DIRECTORY_PAGE_SIZE)
    is_filtered = any(request.GET.get(name) for name in filterset.filters)
    return render(request, "partners/directory/directory.html", {
        "filter": filterset, "page": page, "is_filtered": is_filtered,
        "filter_form_html": _filter_form_html(request, filterset, is_filtered),
        "cards": _cards_html(page.object_list),
    })
