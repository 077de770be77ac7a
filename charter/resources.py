"""The resources put into the network, summed from a Carta snapshot: per partner, per theme and
per municipality.

A project may cover several municipalities: its commitments are split evenly among them
(the odd cents go to the first ones, in the project's order), so the per-municipality totals
add up to the grand total instead of counting a project's money once per municipality. A
project that names no municipality counts under `None` (the whole ambito).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from .snapshot import projects_of

CENT = Decimal("0.01")


@dataclass
class ResourceRow:
    """One line of a summary: `key` is an organisation id, a theme id or a municipality name."""

    key: object
    label: str
    total_eur: Decimal = Decimal("0.00")
    commitment_count: int = 0
    project_ids: set = field(default_factory=set)

    @property
    def project_count(self):
        return len(self.project_ids)


@dataclass
class ResourcesSummary:
    by_partner: list
    by_theme: list
    by_municipality: list
    by_kind: list
    total_eur: Decimal
    commitment_count: int


def _split(amount, parts):
    """`amount` in `parts` shares of whole cents that add up to it exactly."""
    share = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    shares = [share] * parts
    remainder = int((amount - share * parts) / CENT)
    for index in range(remainder):
        shares[index] += CENT
    return shares


def _add(rows, key, label, value, project_id):
    row = rows.get(key)
    if row is None:
        row = rows[key] = ResourceRow(key=key, label=label)
    row.total_eur += value
    row.commitment_count += 1
    row.project_ids.add(project_id)


def _sorted(rows):
    return sorted(rows.values(), key=lambda row: (-row.total_eur, row.label.casefold()))


def resources_summary(snapshot, organisation_ids=None):
    """Sum the snapshot's commitments (only those of `organisation_ids` when given: the pact's
    signatories). Rows are sorted by total, largest first."""
    partners, themes, municipalities, kinds = {}, {}, {}, {}
    total, count = Decimal("0.00"), 0
    for project in projects_of(snapshot):
        places = project["municipalities"] or [None]
        for commitment in project["commitments"]:
            if organisation_ids is not None and commitment["organisation_id"] not in organisation_ids:
                continue
            value = Decimal(commitment["estimated_value_eur"])
            total += value
            count += 1
            pid = project["proposal_id"]
            _add(partners, commitment["organisation_id"], commitment["organisation"], value, pid)
            _add(themes, project["theme"]["id"], project["theme"]["title"], value, pid)
            _add(kinds, commitment["kind"], commitment["kind_label"], value, pid)
            for place, share in zip(places, _split(value, len(places))):
                _add(municipalities, place, place or "", share, pid)
    return ResourcesSummary(
        by_partner=_sorted(partners), by_theme=_sorted(themes), by_municipality=_sorted(municipalities),
        by_kind=_sorted(kinds), total_eur=total, commitment_count=count,
    )


def totals_by_organisation(snapshot):
    """{organisation id: euro committed}, for the signatory lists."""
    totals = defaultdict(lambda: Decimal("0.00"))
    for project in projects_of(snapshot):
        for commitment in project["commitments"]:
            totals[commitment["organisation_id"]] += Decimal(commitment["estimated_value_eur"])
    return dict(totals)
