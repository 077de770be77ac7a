"""Reading the Carta: the published one, every version with its history, and the differences
between two versions side by side.

Frozen versions (approved, published, superseded) are always shown from their snapshot, never
from the live proposals: what people read is what was approved, and what the PDF holds. Drafts
are shown from their live content, to the steering group and staff only.

Visibility follows `charter.view_charterversion`: 404 for whoever may not see a version at all
(anyone outside the steering group and staff, for drafts and approved versions).
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from welfare_portal.pagination import paginate

from ..content_cache import PARTNERS, content_html, project_part
from ..diff import diff_versions
from ..forms.versions import VersionCompareForm
from ..models import CharterVersion, Document, DocumentKind, Pact
from ..rules import steering_or_staff

Status = CharterVersion.Status
HEADING_TIMEOUT_SECONDS = 7 * 24 * 3600


def portal_versions():
    """The versions of this portal's Carta (one Carta per ambito)."""
    return CharterVersion.objects.filter(charter__ambito_name=settings.PORTAL_AMBITO_NAME)


def visible_versions(user):
    """Public versions for everyone; every version for the steering group and staff."""
    versions = portal_versions()
    return versions if steering_or_staff.test(user) else versions.public()


def _light(versions):
    """Versions without their snapshot: hundreds of KB at 200 projects, which the cached content
    makes unnecessary (and which the database would decompress even to read one key of it)."""
    return versions.select_related("charter").defer("snapshot")


def get_visible_version(request, pk, queryset=None):
    if queryset is None:
        queryset = CharterVersion.objects.select_related("charter")
    version = get_object_or_404(queryset, pk=pk)
    if not request.user.has_perm("charter.view_charterversion", version):
        raise Http404
    return version


def _visible_light_version(request, pk):
    return get_visible_version(request, pk, _light(CharterVersion.objects.all()))


def charter_document(version):
    return Document.objects.filter(version=version, kind=DocumentKind.CHARTER).first()


def _pact(request, version):
    """The version's Patto, when there is one the user may see (its text is not needed)."""
    pact = Pact.objects.filter(version=version).defer("text").first()
    if pact is not None and request.user.has_perm("charter.view_pact", pact):
        return pact
    return None


def _superseded_by(version):
    """The public version that came after a superseded one."""
    if version.status != Status.SUPERSEDED:
        return None
    return version.charter.versions.public().filter(number__gt=version.number).order_by("number").first()


def _actions(request, version):
    """What the user may do with the version now: each permission says who may act and whether
    the version's status allows it."""
    user = request.user
    if not steering_or_staff.test(user):
        return {}
    return {
        "can_edit": user.has_perm("charter.change_charterversion", version),
        "can_discard": user.has_perm("charter.delete_charterversion", version),
        "can_approve": user.has_perm("charter.approve_charterversion", version),
        "can_publish": user.has_perm("charter.publish_charterversion", version),
        "can_add_pact": user.has_perm("charter.add_pact", version),
    }


def _previous(request, version):
    """The version to compare this one with: the closest older one the user may see."""
    return (
        visible_versions(request.user).filter(charter=version.charter, number__lt=version.number)
        .defer("snapshot").order_by("-number").first()
    )


def _charter_heading(version):
    """The Carta's title and ambito as frozen in the snapshot (live for a draft); kept in the
    cache with the content, since a frozen snapshot never changes."""
    if version.approved_at is None:
        return {"title": version.charter.title, "ambito_name": version.charter.ambito_name}
    key = f"charter:heading:{version.pk}:{int(version.approved_at.timestamp())}"
    heading = cache.get(key)
    if heading is None:
        heading = CharterVersion.objects.filter(pk=version.pk).values_list("snapshot__charter", flat=True).get()
        cache.set(key, heading, HEADING_TIMEOUT_SECONDS)
    return heading


def published_version():
    """The published version of this portal's Carta, or None."""
    return _light(portal_versions().published()).first()


def version_context(request, version):
    return {
        "version": version,
        "charter": _charter_heading(version),
        "content_html": content_html(version),
        "document": charter_document(version),
        "pact": _pact(request, version),
    }


@require_GET
def charter_detail(request):
    """The public Carta: the published version of this portal's Carta."""
    version = published_version()
    if version is None:
        return render(request, "charter/versions/charter_detail.html", {
            "version": None, "can_manage": steering_or_staff.test(request.user),
        })
    return render(request, "charter/versions/charter_detail.html", version_context(request, version))


@require_GET
def version_detail(request, pk):
    version = _visible_light_version(request, pk)
    context = version_context(request, version)
    context.update(
        _actions(request, version),
        superseded_by=_superseded_by(version),
        previous=_previous(request, version),
        history=version.status_changes.select_related("changed_by") if steering_or_staff.test(request.user) else [],
    )
    return render(request, "charter/versions/version_detail.html", context)


def _project_page(request, version, proposal_id, base_url):
    html = content_html(version, project_part(proposal_id))
    if not html:
        raise Http404
    return render(request, "charter/versions/project_detail.html", {
        "version": version, "charter": _charter_heading(version), "content_html": html, "base_url": base_url,
    })


def _partners_page(request, version, base_url):
    return render(request, "charter/versions/partners_detail.html", {
        "version": version, "charter": _charter_heading(version), "content_html": content_html(version, PARTNERS),
        "base_url": base_url,
    })


def _published_or_404():
    version = published_version()
    if version is None:
        raise Http404
    return version


@require_GET
def charter_project(request, proposal_id):
    """One project of the public Carta, as its published version froze it."""
    return _project_page(request, _published_or_404(), proposal_id, reverse("charter:charter-detail"))


@require_GET
def charter_partners(request):
    """The partners of the public Carta and the resources each puts into the network."""
    return _partners_page(request, _published_or_404(), reverse("charter:charter-detail"))


@require_GET
def version_project(request, pk, proposal_id):
    version = _visible_light_version(request, pk)
    return _project_page(request, version, proposal_id, reverse("charter:version-detail", args=[version.pk]))


@require_GET
def version_partners(request, pk):
    version = _visible_light_version(request, pk)
    return _partners_page(request, version, reverse("charter:version-detail", args=[version.pk]))


@require_GET
def version_list(request):
    """Every version the user may see, newest first, with its PDF and the compare form: a
    constant number of queries however many versions there are."""
    versions = visible_versions(request.user).defer("snapshot").order_by("-number")
    listed = versions.annotate(project_count=Count("items")).prefetch_related(
        Prefetch("documents", queryset=Document.objects.filter(kind=DocumentKind.CHARTER), to_attr="pdfs"),
    )
    page = paginate(request, listed)
    choices = list(versions.only("pk", "number", "status"))
    return render(request, "charter/versions/version_list.html", {
        "page": page,
        "compare_form": VersionCompareForm(versions=choices) if len(choices) >= 2 else None,
        "can_add": request.user.has_perm("charter.add_charterversion"),
    })


@require_GET
def version_compare(request):
    """The compare form's target: sends to the side-by-side page of the two versions chosen."""
    form = VersionCompareForm(request.GET, versions=visible_versions(request.user).defer("snapshot"))
    if form.is_valid():
        return redirect("charter:version-diff", form.cleaned_data["old"].pk, form.cleaned_data["new"].pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("charter:version-list")


def _lines(value):
    """A compared value as lines of text: a list item per line, nothing for an empty value."""
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [] if value in (None, "") else [str(value)]


def _marked(before, after):
    """Both sides as (line, changed) pairs: a line is marked only when the other side lacks it,
    so a list that gained one partner does not show the others as removed and added."""
    before, after = _lines(before), _lines(after)
    return [(line, line not in after) for line in before], [(line, line not in before) for line in after]


@require_GET
def version_diff(request, pk, other_pk):
    """Two versions side by side, the older on the left, whichever order the URL names them."""
    first, second = get_visible_version(request, pk), get_visible_version(request, other_pk)
    if first.charter_id != second.charter_id:
        raise Http404
    if first.pk == second.pk:
        messages.info(request, _("Choose two different versions to compare."))
        return redirect("charter:version-detail", first.pk)
    old, new = sorted([first, second], key=lambda version: version.number)
    diff = diff_versions(old, new)
    changed = [
        {"project": project, "values": [(label, *_marked(before, after)) for label, before, after in project.values]}
        for project in diff.changed
    ]
    return render(request, "charter/versions/version_diff.html", {
        "old": old, "new": new, "diff": diff, "changed": changed,
    })
