"""The public partner directory: verified organisations only, searchable and filtered."""

from django.shortcuts import render

from welfare_portal.pagination import paginate

from ..filters.organisations import DirectoryFilter
from ..models import Organisation

DIRECTORY_PAGE_SIZE = 20


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
    return render(request, "partners/directory/directory.html", {
        "filter": filterset, "page": page,
        "is_filtered": any(request.GET.get(name) for name in filterset.filters),
    })
