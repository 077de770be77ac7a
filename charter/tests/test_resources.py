"""The resources summary from a snapshot: per partner, per theme and per municipality."""

from decimal import Decimal

from charter.resources import resources_summary, totals_by_organisation


def _commitment(organisation_id, name, value, kind="money"):
    return {
        "organisation_id": organisation_id, "organisation": name, "kind": kind, "kind_label": kind.title(),
        "quantity": "1", "unit": "euro", "estimated_value_eur": value, "description": "",
    }


def _snapshot():
    return {
        "themes": [
            {"id": 1, "title": "Abitare", "projects": [
                {"proposal_id": 10, "theme": {"id": 1, "title": "Abitare"},
                 "municipalities": ["Legnano", "Canegrate", "Parabiago"],
                 "commitments": [_commitment(100, "Melograno", "100.00"), _commitment(200, "Il Ponte", "50.00")]},
                {"proposal_id": 11, "theme": {"id": 1, "title": "Abitare"}, "municipalities": [],
                 "commitments": [_commitment(100, "Melograno", "20.00", kind="premises")]},
            ]},
            {"id": 2, "title": "Lavoro", "projects": [
                {"proposal_id": 12, "theme": {"id": 2, "title": "Lavoro"}, "municipalities": ["Legnano"],
                 "commitments": [_commitment(200, "Il Ponte", "300.00")]},
            ]},
        ],
    }


def _rows(rows):
    return [(row.key, row.label, row.total_eur, row.commitment_count, row.project_count) for row in rows]


def test_totals_per_partner_theme_and_kind():
    summary = resources_summary(_snapshot())
    assert summary.total_eur == Decimal("470.00") and summary.commitment_count == 4
    assert _rows(summary.by_partner) == [
        (200, "Il Ponte", Decimal("350.00"), 2, 2), (100, "Melograno", Decimal("120.00"), 2, 2),
    ]
    assert _rows(summary.by_theme) == [(2, "Lavoro", Decimal("300.00"), 1, 1), (1, "Abitare", Decimal("170.00"), 3, 2)]
    assert [(row.key, row.total_eur) for row in summary.by_kind] == [
        ("money", Decimal("450.00")), ("premises", Decimal("20.00")),
    ]


def test_a_project_in_several_municipalities_is_split_so_shares_add_up():
    summary = resources_summary(_snapshot())
    by_municipality = {row.key: row.total_eur for row in summary.by_municipality}
    # 150.00 over three municipalities: 50.00 each; 100.00 / 3 gives 33.34 + 33.33 + 33.33.
    assert by_municipality == {
        "Legnano": Decimal("33.34") + Decimal("16.67") + Decimal("300.00"),
        "Canegrate": Decimal("33.33") + Decimal("16.67"),
        "Parabiago": Decimal("33.33") + Decimal("16.66"),
        None: Decimal("20.00"),
    }
    assert sum(by_municipality.values()) == summary.total_eur


def test_only_the_given_organisations():
    summary = resources_summary(_snapshot(), organisation_ids={100})
    assert summary.total_eur == Decimal("120.00")
    assert [row.label for row in summary.by_partner] == ["Melograno"]


def test_an_empty_snapshot():
    summary = resources_summary({"themes": []})
    assert (summary.total_eur, summary.by_partner, summary.by_municipality) == (Decimal("0.00"), [], [])


def test_totals_by_organisation():
    assert totals_by_organisation(_snapshot()) == {100: Decimal("120.00"), 200: Decimal("350.00")}
