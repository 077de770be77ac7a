"""The open-data serialisation: CSV quoting and formula guard, JSON shape, records from a snapshot."""

import csv
import datetime
import io
import json
from decimal import Decimal

from charter import opendata


def _snapshot():
    commitment = {
        "organisation_id": 2, "organisation": "=Coop", "kind": "money", "kind_label": "Money",
        "quantity": "100", "unit": "euro", "estimated_value_eur": "100.00", "description": "",
    }
    project = {
        "proposal_id": 9, "title": "Custodi, \"di\" quartiere", "theme": {"id": 1, "title": "Abitare"},
        "lead": {"id": 1, "name": "Lead"}, "co_partners": [{"id": 2, "name": "=Coop"}],
        "municipalities": ["Legnano", "Rescaldina"], "policy_areas": ["Anziani"], "target_groups": ["Older people"],
        "age_bands": ["65+"], "estimated_beneficiaries": None, "start_date": "2026-01-01", "end_date": None,
        "commitments": [commitment], "total_value_eur": "100.00",
    }
    return {"themes": [{"id": 1, "title": "Abitare", "projects": [project]}]}


def test_csv_cell_guards_formulas_but_keeps_numbers():
    assert opendata.csv_cell("=SUM(A1)") == "'=SUM(A1)"
    assert opendata.csv_cell("@cmd") == "'@cmd"
    assert opendata.csv_cell("+39 02") == "'+39 02"
    assert opendata.csv_cell(Decimal("-5.00")) == "-5.00"
    assert opendata.csv_cell(None) == ""
    assert opendata.csv_cell(["a", "b"]) == "a | b"
    assert opendata.csv_cell(["=a", "b"]) == "'=a | b"


def test_project_csv_reads_back_with_quotes_lists_and_guarded_names():
    text = "".join(opendata.stream_csv(opendata.PROJECTS, opendata.project_records(_snapshot())))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == opendata.PROJECTS.field_names
    assert rows[0]["title"] == 'Custodi, "di" quartiere'
    assert rows[0]["co_partners"] == "'=Coop"
    assert rows[0]["municipalities"] == "Legnano | Rescaldina"
    assert rows[0]["estimated_beneficiaries"] == ""
    assert rows[0]["total_value_eur"] == "100.00"


def test_json_export_is_an_object_with_metadata_and_records():
    meta = opendata.metadata(
        opendata.RESOURCES, generated_at=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
        source_url="https://example.org/dati-aperti/",
    )
    records = opendata.resource_records(_snapshot(), [(2, "Coop nel patto", "01234567890"), (1, "Lead", "")])
    data = json.loads("".join(opendata.stream_json(meta, records)))
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["source"] == "https://example.org/dati-aperti/"
    assert data["generated_at"].startswith("2026-01-02T03:04")
    # The lead commits nothing: only the co-partner's commitment, under its name in the pact.
    assert data["records"] == [{
        "organisation": "Coop nel patto", "organisation_tax_code": "01234567890", "project_id": 9,
        "project": 'Custodi, "di" quartiere', "kind": "Money", "quantity": "100", "unit": "euro",
        "value_eur": "100.00",
    }]


def test_json_export_with_no_records_is_still_valid():
    meta = opendata.metadata(opendata.PARTNERS, generated_at=datetime.datetime.now(datetime.UTC), source_url="x")
    assert json.loads("".join(opendata.stream_json(meta, iter(()))))["records"] == []


def test_every_dataset_field_is_described_with_an_example():
    for dataset in opendata.DATASETS.values():
        assert dataset.fields
        for field in dataset.fields:
            assert field.name and str(field.type) and str(field.meaning) and field.example
