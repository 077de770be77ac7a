"""The needs-coverage map: municipalities × policy areas and target groups × policy areas,
with the number of projects in each cell, the combinations nobody covers, and the resources
committed per theme and per municipality.

Public for the published Carta (read from its snapshot). With `?fonte=valutazione`, the same
map for the proposals the steering group is evaluating (status submitted or in evaluation), for
the steering group and staff only: anonymous people are sent to log in, others get 403.
A constant number of queries whatever the number of projects.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.models import Commitment, Proposal
from welfare_portal.models import Municipality, PolicyArea, TargetGroup

from .. import coverage
from ..resources import resources_summary
from ..rules import steering_or_staff
from .opendata import published_version

EVALUATION = "valutazione"
EVALUATION_STATUSES = (Proposal.Status.SUBMITTED, Proposal.Status.IN_EVALUATION)


def _proposal(proposal):
    """A proposal in the shape of a snapshot's project: what coverage and resources read."""
    return {
        "proposal_id": proposal.pk,
        "title": proposal.title,
        "theme": {"id": proposal.theme_id, "title": proposal.theme.title},
        "municipalities": [m.name for m in proposal.municipalities.all()],
        "policy_areas": [a.name for a in proposal.policy_areas.all()],
        "target_groups": [g.name for g in proposal.target_groups.all()],
        "commitments": [
            {
                "organisation_id": c.organisation_id, "organisation": c.organisation.name,
                "kind": c.kind, "kind_label": str(c.get_kind_display()),
                "estimated_value_eur": str(c.estimated_value_eur),
            }
            for c in proposal.commitments.all()
        ],
    }


def proposals_in_evaluation():
    proposals = (
        Proposal.objects.filter(status__in=EVALUATION_STATUSES).select_related("theme")
        .prefetch_related(
            "municipalities", "policy_areas", "target_groups",
            Prefetch("commitments", queryset=Commitment.objects.select_related("organisation")),
        ).order_by("pk")
    )
    return [_proposal(proposal) for proposal in proposals]


def coverage_context(projects):
    municipalities = [m.name for m in Municipality.objects.order_by("name")]
    areas = [a.name for a in PolicyArea.objects.order_by("position", "name")]
    groups = [g.name for g in TargetGroup.objects.order_by("position", "name")]
    summary = resources_summary({"themes": [{"projects": projects}]})
    by_theme, by_municipality = coverage.bars(summary.by_theme), coverage.bars(summary.by_municipality)
    return {
        "project_count": len(projects),
        "by_municipality": coverage.matrix(projects, municipalities, areas, "municipalities", "policy_areas"),
        "by_target_group": coverage.matrix(projects, groups, areas, "target_groups", "policy_areas"),
        "summary": summary,
        "theme_bars": by_theme, "theme_height": coverage.chart_height(by_theme),
        "municipality_bars": by_municipality, "municipality_height": coverage.chart_height(by_municipality),
    }


@require_GET
def coverage_map(request):
    evaluation = request.GET.get("fonte") == EVALUATION
    can_see_evaluation = steering_or_staff.test(request.user)
    context = {"evaluation": evaluation, "can_see_evaluation": can_see_evaluation, "version": None}
    if evaluation:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_see_evaluation:
            raise PermissionDenied
        context.update(coverage_context(proposals_in_evaluation()))
    else:
        version = published_version()
        context["version"] = version
        if version is not None:
            projects = [p for theme in version.snapshot["themes"] for p in theme["projects"]]
            context.update(coverage_context(projects))
    return render(request, "charter/coverage/coverage.html", context)
