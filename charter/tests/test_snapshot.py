"""What a snapshot freezes: each project as it stands, with its partners and commitments, in
JSON that round-trips exactly, read in a constant number of queries."""

import json

import pytest

from charter.snapshot import build_snapshot, commitments_of, projects_of
from charter.tests.factories import CharterVersionFactory, approved_proposal
from projects.models import ProposalPartner
from projects.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def test_a_project_is_frozen_with_everything_the_carta_shows():
    proposal = approved_proposal("Custodi di vicinato")
    version = CharterVersionFactory(proposals=[proposal], introduction="Intro", principles="Principi")
    snapshot = build_snapshot(version)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert (snapshot["introduction"], snapshot["principles"]) == ("Intro", "Principi")
    assert snapshot["number"] == version.number
    [project] = projects_of(snapshot)
    accepted = proposal.partners.get(status=ProposalPartner.Status.ACCEPTED).organisation
    assert project["title"] == "Custodi di vicinato" and project["theme"]["title"] == proposal.theme.title
    assert project["lead"]["name"] == proposal.lead_organisation.name
    assert [o["name"] for o in project["co_partners"]] == [accepted.name]  # invited ones are not partners
    assert project["municipalities"] == ["Legnano"] and project["target_groups"]
    assert project["rights"] and project["duties"] and project["indicators"]
    assert project["start_date"] == proposal.start_date.isoformat()
    assert project["total_value_eur"] == "6500.00"
    assert {(c["organisation"], c["estimated_value_eur"]) for c in project["commitments"]} == {
        (proposal.lead_organisation.name, "1500.00"), (accepted.name, "5000.00"),
    }
    assert {c["kind_label"] for c in project["commitments"]} == {"Ore di volontariato", "Denaro"}  # Italian
    assert [o["id"] for o in snapshot["organisations"]] == sorted(
        [proposal.lead_organisation_id, accepted.pk],
        key=lambda pk: next(o["name"].casefold() for o in snapshot["organisations"] if o["id"] == pk),
    )
    assert [title for title, _c in commitments_of(snapshot, accepted.pk)] == ["Custodi di vicinato"]


def test_projects_are_grouped_by_theme_in_the_carta_order():
    first_theme, second_theme = ThemeFactory(title="Abitare"), ThemeFactory(title="Lavoro")
    a, b, c = (approved_proposal(theme=t) for t in (second_theme, first_theme, second_theme))
    snapshot = build_snapshot(CharterVersionFactory(proposals=[a, b, c]))
    assert [(t["title"], [p["proposal_id"] for p in t["projects"]]) for t in snapshot["themes"]] == [
        ("Lavoro", [a.pk, c.pk]), ("Abitare", [b.pk]),
    ]


@pytest.mark.parametrize("count", [1, 6])
def test_a_constant_number_of_queries(count, django_assert_num_queries):
    version = CharterVersionFactory(proposals=[approved_proposal() for _ in range(count)])
    version.charter  # noqa: B018 - loaded by whoever holds the version
    # items with proposal, theme, lead and its seat; accepted partners with organisation and seat;
    # commitments with organisation; target groups; age bands; municipalities; policy areas
    with django_assert_num_queries(7):
        build_snapshot(version)
