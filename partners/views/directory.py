"""The public partner directory: verified organisations only, searchable and filtered."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ..filters.organisations import DirectoryFilter
from ..models import Organisation

DIRECTORY_PAGE_SIZE = 20


def paginate(request, queryset, per_page=DIRECTORY_PAGE_SIZE):
    """The requested page (the last one if past the end) and an elided range of page numbers,
    for templates/partners/directory/pagination.html."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page, page_range


def directory(request):
    """Anyone may browse it; pending and rejected organisations are never listed."""
    organisations = (
        Organisation.objects.verified()
        .select_related("seat_municipality")
        .prefetch_related("municipalities_served", "policy_areas")
        .order_by("name", "pk")
    )
    filterset = DirectoryFilter(request.GET or None, queryset=organisations)
    page, page_range = paginate(request, filterset.qs)
    return render(request, "partners/directory/directory.html", {
        "filter": filterset, "page": page, "page_range": page_range,
        "is_filtered": any(request.GET.get(name) for name in filterset.filters),
    })
