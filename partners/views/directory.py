"""The public partner directory: verified organisations only, searchable and filtered.

The directory is one of the most visited pages, and laying out its filter form and twenty
cards cost four times what a static page of the theme costs (`make bench`): both are kept in
the cache, keyed by everything they show (welfare_portal.fragments), so a change to an
organisation, a municipality or a policy area shows at once.
"""

from django.shortcuts import render

from welfare_portal.fragments import cached_fragments, filter_form_html
from welfare_portal.pagination import paginate

from ..filters.organisations import DirectoryFilter
from ..models import Organisation

DIRECTORY_PAGE_SIZE = 20


def _card_data(organisation):
    """Everything a card shows, read from the page's rows and their prefetched relations."""
    return (
        organisation.pk, organisation.name, organisation.kind, str(organisation.seat_municipality),
        [str(m) for m in organisation.municipalities_served.all()],
        [str(a) for a in organisation.policy_areas.all()], organisation.description,
    )


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
        "filter_form_html": filter_form_html(
            request, filterset, "partners/directory/_filter_form.html", {"is_filtered": is_filtered},
            ("kind", "municipality", "policy_area"),
        ),
        "cards": cached_fragments(
            "partners/directory/_card.html", page.object_list, _card_data,
            lambda organisation: {"organisation": organisation},
        ),
    })
