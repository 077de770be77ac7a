"""Open data: the list of datasets, their data dictionary and the CSV/JSON exports.

The exports stream: rows are written as they are read (`.iterator()` for the partners
directory, the frozen snapshot for the Carta and the Patto), so a long list never sits in
memory. Everything here is public: it is the published Carta, the verified partners (legal
bodies, no personal data) and a pact once it has been opened for signing.
"""

from django.conf import settings
from django.db.models import Max, Prefetch
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from partners.models import Organisation
from welfare_portal.models import Municipality, PolicyArea

from .. import opendata
from ..models import Pact
from .versions import portal_versions

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
# Rows read per query by the partners export; prefetches run once per chunk.
CHUNK_SIZE = 500


def published_version():
    return portal_versions().published().select_related("charter").first()


def latest_public_pact():
    """The latest pact of this portal's Carta opened for signing (open or closed)."""
    return (
        Pact.objects.public().filter(version__charter__ambito_name=settings.PORTAL_AMBITO_NAME)
        .select_related("version").order_by("-opened_at", "-pk").first()
    )


def _verified_partners():
    return Organisation.objects.verified().select_related("seat_municipality").prefetch_related(
        Prefetch("municipalities_served", queryset=Municipality.objects.order_by("name")),
        Prefetch("policy_areas", queryset=PolicyArea.objects.order_by("position", "name")),
    ).order_by("name", "pk")


def _projects():
    version = published_version()
    if version is None:
        return None
    return version.published_at, lambda: opendata.project_records(version.snapshot)


def _partners():
    updated_at = Organisation.objects.verified().aggregate(latest=Max("verified_at"))["latest"]
    return updated_at, lambda: (
        opendata.partner_record(o) for o in _verified_partners().iterator(chunk_size=CHUNK_SIZE)
    )


def _resources():
    pact = latest_public_pact()
    if pact is None:
        return None
    signatories = pact.signatories.order_by("organisation_name", "pk").values_list(
        "organisation_id", "organisation_name", "organisation_tax_code",
    )
    return pact.closed_at or pact.opened_at, lambda: opendata.resource_records(
        pact.version.snapshot, signatories.iterator()
    )


SOURCES = {
    opendata.PROJECTS.slug: _projects,
    opendata.PARTNERS.slug: _partners,
    opendata.RESOURCES.slug: _resources,
}


@require_GET
def opendata_list(request):
    """Every dataset with its licence, last update and formats; not-yet-available ones said so."""
    datasets = []
    for slug, dataset in opendata.DATASETS.items():
        source = SOURCES[slug]()
        datasets.append({
            "dataset": dataset, "available": source is not None,
            "updated_at": source[0] if source else None,
        })
    return render(request, "charter/opendata/opendata_list.html", {
        "datasets": datasets, "licence": opendata.LICENCE, "formats": opendata.FORMATS,
    })


@require_GET
def opendata_dictionary(request):
    return render(request, "charter/opendata/opendata_dictionary.html", {
        "datasets": opendata.DATASETS.values(), "licence": opendata.LICENCE,
    })


@require_GET
def opendata_export(request, dataset, fmt):
    """A dataset as CSV or JSON, streamed; 404 while it does not exist yet (no published Carta,
    no opened pact)."""
    if dataset not in opendata.DATASETS or fmt not in opendata.FORMATS:
        raise Http404
    source = SOURCES[dataset]()
    if source is None:
        raise Http404
    updated_at, records = source
    spec = opendata.DATASETS[dataset]
    if fmt == "csv":
        chunks = opendata.stream_csv(spec, records())
    else:
        meta = opendata.metadata(
            spec, generated_at=timezone.now(), updated_at=updated_at,
            source_url=request.build_absolute_uri(reverse("charter:opendata")),
        )
        chunks = opendata.stream_json(meta, records())
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{dataset}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
