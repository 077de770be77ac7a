"""Open data pages and exports: public, streamed, readable back as CSV and JSON."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import translation
from django.urls import reverse

from charter import opendata
from charter.services.versions import default_charter
from charter.tests.factories import OpenPactFactory, PactFactory, PublishedVersionFactory, approved_proposal
from partners.tests.factories import OrganisationFactory
from welfare_portal.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("charter:opendata")
DICTIONARY_URL = reverse("charter:opendata-dictionary")


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def export_url(dataset, fmt):
    return reverse("charter:opendata-export", args=[dataset, fmt])


def read(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(read(response))))


def json_data(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(read(response))


@pytest.fixture
def published():
    first, second = approved_proposal("=Progetto uno"), approved_proposal("Progetto, due")
    return PublishedVersionFactory(charter=default_charter(), proposals=[first, second])


def test_list_says_the_carta_datasets_are_not_available_before_publication(client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "CC BY 4.0" in text and opendata.LICENCE["url"] in text
    assert 'id="dataset-progetti"' in text
    assert text.count("data-unavailable") == 2  # projects and pact resources; partners are there
    assert export_url("partner", "csv") in text
    assert export_url("progetti", "csv") not in text
    for dataset in ("progetti", "risorse-patto"):
        for fmt in opendata.FORMATS:
            assert client.get(export_url(dataset, fmt)).status_code == 404


def test_list_links_every_format_once_the_carta_is_published(client, published):
    text = client.get(LIST_URL).content.decode()
    assert "data-unavailable" in text  # the pact is not open yet
    for fmt in opendata.FORMATS:
        assert export_url("progetti", fmt) in text


def test_unknown_dataset_or_format_is_404(client, published):
    assert client.get(export_url("utenti", "csv")).status_code == 404
    assert client.get(export_url("progetti", "xlsx")).status_code == 404


def test_dictionary_describes_every_field(client):
    text = client.get(DICTIONARY_URL).content.decode()
    for dataset in opendata.DATASETS.values():
        for field in dataset.fields:
            assert f"<code>{field.name}</code>" in text
    assert "<caption>" in text


def test_projects_csv_comes_from_the_snapshot_with_the_formula_guard(client, published):
    first = published.snapshot["themes"][0]["projects"][0]
    rows = csv_rows(client.get(export_url("progetti", "csv")))
    assert [row["title"] for row in rows] == ["'=Progetto uno", "Progetto, due"]
    assert rows[0]["id"] == str(first["proposal_id"])
    assert rows[0]["lead_organisation"] == first["lead"]["name"]
    assert rows[0]["co_partners"] == " | ".join(p["name"] for p in first["co_partners"])
    assert rows[0]["municipalities"] == "Legnano"
    assert rows[0]["total_value_eur"] == first["total_value_eur"]


def test_projects_json_has_metadata_and_the_unguarded_values(client, published):
    response = client.get(export_url("progetti", "json"))
    assert response["Content-Disposition"] == 'attachment; filename="progetti.json"'
    data = json_data(response)
    assert data["licence"] == {"name": "CC BY 4.0", "url": opendata.LICENCE["url"]}
    assert data["source"] == "http://testserver" + LIST_URL
    assert data["generated_at"] and data["updated_at"]
    assert [record["title"] for record in data["records"]] == ["=Progetto uno", "Progetto, due"]
    assert isinstance(data["records"][0]["policy_areas"], list)


def test_partners_export_lists_verified_organisations_without_contacts(client):
    seat = MunicipalityFactory(name="Legnano")
    verified = OrganisationFactory(
        verified=True, name="@Coop Sole", seat_municipality=seat, email="presidente@example.org",
        phone="+39 0331 000000", website="https://sole.example.org",
    )
    verified.municipalities_served.set([seat, MunicipalityFactory(name="Canegrate")])
    OrganisationFactory(name="In attesa")
    rows = csv_rows(client.get(export_url("partner", "csv")))
    assert [row["name"] for row in rows] == ["'@Coop Sole"]
    assert rows[0]["municipalities_served"] == "Canegrate | Legnano"
    assert rows[0]["seat_municipality"] == "Legnano"
    assert rows[0]["website"] == "https://sole.example.org"
    assert "email" not in rows[0] and "phone" not in rows[0]
    text = read(client.get(export_url("partner", "json")))
    assert "presidente@example.org" not in text and "0331" not in text
    record = json.loads(text)["records"][0]
    assert record["name"] == "@Coop Sole"
    # Labels in the portal's language whatever the browser's (the page asked for English).
    with translation.override(settings.LANGUAGE_CODE):
        assert record["kind"] == str(verified.get_kind_display())


@pytest.mark.parametrize("count", [10, 200])
def test_partners_export_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    OrganisationFactory.create_batch(count, verified=True)
    # The latest verification date, the organisations, and one prefetch each for the
    # municipalities served and the policy areas (one chunk of up to 500 rows).
    with django_assert_max_num_queries(4):
        rows = csv_rows(client.get(export_url("partner", "csv")))
    assert len(rows) == count


def test_pact_resources_wait_for_the_pact_to_open(client, published):
    PactFactory(version=published)
    assert client.get(export_url("risorse-patto", "csv")).status_code == 404


def test_pact_resources_list_each_signatory_commitment(client):
    pact = OpenPactFactory(version=PublishedVersionFactory(
        charter=default_charter(), proposals=[approved_proposal("Custodi")],
    ))
    project = pact.version.snapshot["themes"][0]["projects"][0]
    expected = sorted(
        (c["organisation"], c["kind_label"], c["estimated_value_eur"]) for c in project["commitments"]
    )
    rows = csv_rows(client.get(export_url("risorse-patto", "csv")))
    assert sorted((r["organisation"], r["kind"], r["value_eur"]) for r in rows) == expected
    assert {r["project"] for r in rows} == {"Custodi"}
    data = json_data(client.get(export_url("risorse-patto", "json")))
    assert len(data["records"]) == len(expected)
    text = client.get(LIST_URL).content.decode()
    assert "data-unavailable" not in text
