"""One way to paginate a list page; the links come from `{% pagination page %}`."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def paginate(request, queryset, *, per_page=PAGE_SIZE, param="page"):
    """The requested page of `queryset`; the last one when the number is past the end, the
    first when it is not a number, so a stale or edited link never ends in an error page."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))
