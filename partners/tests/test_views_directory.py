"""The public partner directory: verified organisations only, search, filters, pagination,
and the same number of queries whatever the number of organisations."""

import pytest
from django.urls import reverse

from partners.models import OrganisationKind
from partners.tests.factories import OrganisationFactory
from welfare_portal.models import PolicyArea
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("partners:directory")


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def listed(response):
    return [organisation.name for organisation in response.context["page"].object_list]


def test_directory_is_public_and_lists_verified_organisations_only(client):
    OrganisationFactory(verified=True, name="Auser Legnano")
    OrganisationFactory(verified=True, name="Anteas Parabiago")
    OrganisationFactory(name="Associazione In Attesa")
    OrganisationFactory(rejected=True, name="Associazione Respinta")
    response = client.get(DIRECTORY_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert listed(response) == ["Anteas Parabiago", "Auser Legnano"]
    assert "In Attesa" not in html and "Respinta" not in html


@pytest.mark.parametrize("params", [
    {"q": "Associazione"}, {"q": "nascosta"}, {"kind": OrganisationKind.SCHOOL},
    {"municipality": "seat"}, {"policy_area": "housing"},
])
def test_pending_and_rejected_organisations_never_appear_whatever_the_filter(client, params):
    seat = MunicipalityFactory(name="Rescaldina")
    housing = PolicyArea.objects.get(slug="housing")
    for status in ("pending", "rejected"):
        organisation = OrganisationFactory(
            status=status, name=f"Associazione {status}", description="Una realtà nascosta.",
            kind=OrganisationKind.SCHOOL, seat_municipality=seat,
        )
        organisation.policy_areas.add(housing)
    params = {**params}
    if params.get("municipality") == "seat":
        params["municipality"] = seat.pk
    if params.get("policy_area") == "housing":
        params["policy_area"] = housing.pk
    response = client.get(DIRECTORY_URL, params)
    assert listed(response) == []
    assert "No organisation matches your search." in response.content.decode()


def test_directory_searches_name_and_description(client):
    OrganisationFactory(verified=True, name="Banco Alimentare", description="Raccolta di cibo.")
    OrganisationFactory(verified=True, name="Cooperativa Sole", description="Doposcuola e banco compiti.")
    OrganisationFactory(verified=True, name="Circolo Arci")
    assert listed(client.get(DIRECTORY_URL, {"q": "banco"})) == ["Banco Alimentare", "Cooperativa Sole"]
    assert listed(client.get(DIRECTORY_URL, {"q": "doposcuola"})) == ["Cooperativa Sole"]


def test_directory_filters_by_kind(client):
    OrganisationFactory(verified=True, name="Istituto Bernocchi", kind=OrganisationKind.SCHOOL)
    OrganisationFactory(verified=True, name="Auser", kind=OrganisationKind.VOLUNTEERING)
    assert listed(client.get(DIRECTORY_URL, {"kind": OrganisationKind.SCHOOL})) == ["Istituto Bernocchi"]


def test_directory_filters_by_municipality_seated_or_served_without_repeating_rows(client):
    legnano = MunicipalityFactory(name="Legnano")
    nerviano = MunicipalityFactory(name="Nerviano")
    seated = OrganisationFactory(verified=True, name="Sede a Legnano", seat_municipality=legnano)
    seated.municipalities_served.set([legnano, nerviano])
    serving = OrganisationFactory(verified=True, name="Serve Legnano", seat_municipality=nerviano)
    serving.municipalities_served.set([legnano])
    OrganisationFactory(verified=True, name="Solo Nerviano", seat_municipality=nerviano)
    assert listed(client.get(DIRECTORY_URL, {"municipality": legnano.pk})) == ["Sede a Legnano", "Serve Legnano"]
    assert listed(client.get(DIRECTORY_URL, {"municipality": nerviano.pk})) == [
        "Sede a Legnano", "Serve Legnano", "Solo Nerviano",
    ]


def test_directory_filters_by_policy_area_and_combines_filters(client):
    housing = PolicyArea.objects.get(slug="housing")
    work = PolicyArea.objects.get(slug="work")
    casa = OrganisationFactory(verified=True, name="Casa Amica", kind=OrganisationKind.SOCIAL_COOPERATIVE)
    casa.policy_areas.set([housing, work])
    lavoro = OrganisationFactory(verified=True, name="Lavoro Insieme")
    lavoro.policy_areas.set([work])
    assert listed(client.get(DIRECTORY_URL, {"policy_area": housing.pk})) == ["Casa Amica"]
    assert listed(client.get(DIRECTORY_URL, {"policy_area": work.pk})) == ["Casa Amica", "Lavoro Insieme"]
    assert listed(client.get(DIRECTORY_URL, {
        "policy_area": work.pk, "kind": OrganisationKind.SOCIAL_COOPERATIVE,
    })) == ["Casa Amica"]


def test_directory_ignores_an_unknown_filter_value_and_says_so(client):
    OrganisationFactory(verified=True, name="Auser")
    response = client.get(DIRECTORY_URL, {"kind": "not-a-kind"})
    assert listed(response) == ["Auser"]
    assert response.context["filter"].form.errors["kind"]


def test_directory_paginates_twenty_per_page_and_keeps_the_filters(client):
    for n in range(25):
        OrganisationFactory(verified=True, name=f"Ente {n:02d}", kind=OrganisationKind.SCHOOL)
    OrganisationFactory(verified=True, name="Altro genere")
    response = client.get(DIRECTORY_URL, {"kind": OrganisationKind.SCHOOL})
    assert len(listed(response)) == 20
    html = response.content.decode()
    assert 'aria-label="Pages"' in html
    assert "?kind=school&amp;page=2" in html
    second = client.get(DIRECTORY_URL, {"kind": OrganisationKind.SCHOOL, "page": 2})
    assert listed(second) == [f"Ente {n:02d}" for n in range(20, 25)]
    # Past the end shows the last page rather than an error.
    assert listed(client.get(DIRECTORY_URL, {"kind": OrganisationKind.SCHOOL, "page": 99})) == listed(second)


def test_directory_empty_states(client):
    assert "No organisation has been verified yet." in client.get(DIRECTORY_URL).content.decode()
    OrganisationFactory(verified=True, name="Auser")
    html = client.get(DIRECTORY_URL, {"q": "nessuno"}).content.decode()
    assert "No organisation matches your search." in html


def test_directory_links_to_each_organisation_page(client):
    organisation = OrganisationFactory(verified=True)
    html = client.get(DIRECTORY_URL).content.decode()
    assert f'href="{reverse("partners:organisation-detail", args=[organisation.pk])}"' in html


def _make_organisations(count):
    municipalities = [MunicipalityFactory(name=f"Comune {n}") for n in range(3)]
    areas = list(PolicyArea.objects.all()[:3])
    for n in range(count):
        organisation = OrganisationFactory(
            verified=True, seat_municipality=municipalities[n % 3], description="Servizi alla persona.",
        )
        organisation.municipalities_served.set(municipalities)
        organisation.policy_areas.set(areas)
    return municipalities[0], areas[0]


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("logged_in", [False, True])
def test_directory_query_count_does_not_grow_with_the_organisations(
    client, count, logged_in, django_assert_max_num_queries,
):
    municipality, area = _make_organisations(count)
    if logged_in:
        client.force_login(UserFactory())
    # count, page (with seat), served, areas, the municipality and policy-area options; logged
    # in: session, user, and the menu's steering check with the model backend's two lookups.
    bound = 6 + (5 if logged_in else 0)
    with django_assert_max_num_queries(bound):
        response = client.get(DIRECTORY_URL)
    assert len(listed(response)) == min(count, 20)
    # Filtering adds the lookups of the chosen municipality and policy area.
    with django_assert_max_num_queries(bound + 2):
        response = client.get(DIRECTORY_URL, {"municipality": municipality.pk, "policy_area": area.pk, "q": "persona"})
    assert len(listed(response)) == min(count, 20)


def _rendered(response, name):
    return name in [template.name for template in response.templates]


def test_directory_cards_and_form_are_laid_out_once_and_never_served_stale(client):
    """The cards and the filter form come from the cache while nothing they show changes; a
    change to an organisation, to a municipality it serves or to the filter's choices shows at
    once."""
    served = MunicipalityFactory(name="Rescaldina")
    organisation = OrganisationFactory(verified=True, name="Auser Legnano", description="Trasporto sociale.")
    organisation.municipalities_served.set([served])
    first = client.get(DIRECTORY_URL)
    again = client.get(DIRECTORY_URL)
    assert _rendered(first, "partners/directory/_card.html")
    assert _rendered(first, "partners/directory/_filter_form.html")
    assert not _rendered(again, "partners/directory/_card.html")
    assert not _rendered(again, "partners/directory/_filter_form.html")
    assert "Auser Legnano" in again.content.decode() and "Trasporto sociale." in again.content.decode()

    type(organisation).objects.filter(pk=organisation.pk).update(
        name="Auser Legnano APS", description="Spesa a domicilio.",
    )
    served.name = "Rescaldina (MI)"
    served.save()
    html = client.get(DIRECTORY_URL).content.decode()
    assert "Auser Legnano APS" in html and "Spesa a domicilio." in html and "Trasporto sociale." not in html
    assert html.count("Rescaldina (MI)") == 2  # on the card, and among the filter's municipalities
    MunicipalityFactory(name="Villa Cortese")
    assert "Villa Cortese" in client.get(DIRECTORY_URL).content.decode()
    # The values asked for are part of the form's key: the search box shows what was searched.
    searched = client.get(DIRECTORY_URL, {"q": "Auser"}).content.decode()
    assert 'value="Auser"' in searched
    assert 'value="Auser"' not in client.get(DIRECTORY_URL).content.decode()
