"""`{% pagination page %}`: the page links of every paginated list, in one place.

Links keep the other query parameters (search, filters); a page holding two lists gives each
its own parameter (`{% pagination past param="past_page" label=... %}`).
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _page_url(query, param, number):
    query = query.copy()
    query[param] = number
    return "?" + query.urlencode()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, label=None, param="page"):
    query = context["request"].GET
    paginator = page.paginator
    links = [
        {
            "number": number,
            "ellipsis": number == paginator.ELLIPSIS,
            "current": number == page.number,
            "url": None if number == paginator.ELLIPSIS else _page_url(query, param, number),
        }
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return {
        "page": page,
        "label": label or _("Pages"),
        "links": links,
        "previous_url": _page_url(query, param, page.previous_page_number()) if page.has_previous() else None,
        "next_url": _page_url(query, param, page.next_page_number()) if page.has_next() else None,
    }
