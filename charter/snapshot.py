"""The frozen content of a Carta version, as JSON.

`build_snapshot(version)` reads the version's texts and every listed project as it stands now —
title, summary, theme, lead, co-partners, target groups, municipalities, policy areas, rights,
duties, indicators, commitments with their values — in a constant number of queries. Approval
stores the result in `CharterVersion.snapshot`; from then on the documents, the pact and the
diff read only the snapshot, so later edits of proposals or organisations never change them.

Labels (kinds of commitment and organisation) are written in the portal's language
(settings.LANGUAGE_CODE) whoever approves: the Carta is one official document. Amounts are
decimal strings, dates ISO strings, so the JSON round-trips exactly.
"""

from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from projects.models import Commitment, ProposalPartner

SCHEMA = 1


def _organisation(organisation):
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "kind_label": str(organisation.get_kind_display()),
        "tax_code": organisation.tax_code,
        "seat": organisation.seat_municipality.name,
    }


def _names(related):
    return [str(item) for item in related.all()]


def _date(value):
    return value.isoformat() if value else None


def _commitment(commitment):
    return {
        "organisation_id": commitment.organisation_id,
        "organisation": commitment.organisation.name,
        "kind": commitment.kind,
        "kind_label": str(commitment.get_kind_display()),
        "quantity": str(commitment.quantity),
        "unit": commitment.unit,
        "estimated_value_eur": str(commitment.estimated_value_eur),
        "description": commitment.description,
    }


def _project(item):
    proposal = item.proposal
    co_partners = [partner.organisation for partner in proposal.accepted_partners]
    commitments = [_commitment(c) for c in proposal.commitments.all()]
    return {
        "proposal_id": proposal.pk,
        "title": proposal.title,
        "summary": proposal.summary,
        "need": proposal.need,
        "objectives": proposal.objectives,
        "activities": proposal.activities,
        "theme": {"id": proposal.theme_id, "title": proposal.theme.title},
        "lead": _organisation(proposal.lead_organisation),
        "co_partners": [_organisation(o) for o in co_partners],
        "target_groups": _names(proposal.target_groups),
        "age_bands": _names(proposal.age_bands),
        "municipalities": _names(proposal.municipalities),
        "policy_areas": _names(proposal.policy_areas),
        "estimated_beneficiaries": proposal.estimated_beneficiaries,
        "start_date": _date(proposal.start_date),
        "end_date": _date(proposal.end_date),
        "rights": proposal.rights,
        "duties": proposal.duties,
        "indicators": proposal.indicators,
        "commitments": commitments,
        "total_value_eur": str(sum((Decimal(c["estimated_value_eur"]) for c in commitments), Decimal("0.00"))),
    }


def _items(version):
    partners = ProposalPartner.objects.filter(status=ProposalPartner.Status.ACCEPTED).select_related(
        "organisation__seat_municipality"
    ).order_by("organisation__name", "pk")
    return (
        version.items.select_related("proposal__theme", "proposal__lead_organisation__seat_municipality")
        .prefetch_related(
            Prefetch("proposal__partners", queryset=partners, to_attr="accepted_partners"),
            Prefetch("proposal__commitments", queryset=Commitment.objects.select_related("organisation")),
            "proposal__target_groups", "proposal__age_bands", "proposal__municipalities",
            "proposal__policy_areas",
        )
        .order_by("position", "pk")
    )


def build_snapshot(version):
    """The version's full content as it stands now (a dict ready for JSONField)."""
    with translation.override(settings.LANGUAGE_CODE):
        projects = [_project(item) for item in _items(version)]
    themes = OrderedDict()
    for project in projects:
        theme = project["theme"]
        themes.setdefault(theme["id"], {"id": theme["id"], "title": theme["title"], "projects": []})
        themes[theme["id"]]["projects"].append(project)
    organisations = {}
    for project in projects:
        for organisation in [project["lead"], *project["co_partners"]]:
            organisations.setdefault(organisation["id"], organisation)
    return {
        "schema": SCHEMA,
        "charter": {"title": version.charter.title, "ambito_name": version.charter.ambito_name},
        "number": version.number,
        "introduction": version.introduction,
        "principles": version.principles,
        "themes": list(themes.values()),
        "organisations": sorted(organisations.values(), key=lambda o: (o["name"].casefold(), o["id"])),
    }


def content_of(version):
    """The frozen snapshot of an approved version, or the live content of a draft."""
    return version.snapshot if version.snapshot is not None else build_snapshot(version)


def projects_of(snapshot):
    """Every project of a snapshot, in the Carta's order."""
    return [project for theme in snapshot["themes"] for project in theme["projects"]]


def commitments_of(snapshot, organisation_id):
    """(project title, commitment) pairs an organisation states in the snapshot's projects."""
    return [
        (project["title"], commitment)
        for project in projects_of(snapshot)
        for commitment in project["commitments"]
        if commitment["organisation_id"] == organisation_id
    ]
