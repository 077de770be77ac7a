"""The needs-coverage map: public for the published Carta, the evaluation view for the steering
group and staff only; constant queries."""

import re

import pytest
from django.urls import reverse

from charter.services.versions import default_charter
from charter.tests.factories import PublishedVersionFactory, approved_proposal, steering_member
from projects.models import Proposal
from projects.tests.factories import CommitmentFactory, CompleteProposalFactory, MembershipFactory, UserFactory
from welfare_portal.models import Municipality, PolicyArea, TargetGroup
from welfare_portal.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = reverse("charter:coverage")
EVALUATION_URL = URL + "?fonte=valutazione"


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def log_in(client, role):
    users = {
        "partner": lambda: MembershipFactory().user,
        "member": steering_member,
        "staff": lambda: UserFactory(staff=True, totp=True),
    }
    if role != "anonymous":
        client.force_login(users[role]())


def cell(text, table_id, row, column_index):
    """The text of a cell of a matrix: row by header, column by position (0 = first area)."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', text, re.S).group(0)
    line = re.search(rf'<th scope="row">{re.escape(row)}</th>(.*?)</tr>', table, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", line, re.S)[column_index]


def first_area():
    return PolicyArea.objects.order_by("position", "name").first()


def test_empty_state_before_the_carta_is_published(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'id="no-charter"' in response.content.decode()


def test_published_map_counts_the_snapshot_projects_and_marks_the_empty_cells(client):
    MunicipalityFactory(name="Parabiago")
    area = PolicyArea.objects.get(slug="social-services")
    areas = list(PolicyArea.objects.order_by("position", "name"))
    PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal(), approved_proposal()])
    text = client.get(URL).content.decode()
    column = areas.index(area)
    assert cell(text, "matrix-municipalities", "Legnano", column).strip() == "2"
    assert "not covered" in cell(text, "matrix-municipalities", "Parabiago", column)
    assert "—" in cell(text, "matrix-municipalities", "Parabiago", column)
    older = TargetGroup.objects.get(slug="older-people")
    assert cell(text, "matrix-groups", older.name, column).strip() == "2"
    uncovered = re.search(r'<ul id="uncovered-municipalities">(.*?)</ul>', text, re.S).group(1)
    parabiago = re.search(r"<li><strong>Parabiago</strong>: (.*?)</li>", uncovered).group(1)
    assert area.name in parabiago.split(", ")
    legnano = re.search(r"<li><strong>Legnano</strong>: (.*?)</li>", uncovered)
    assert legnano is None or area.name not in legnano.group(1).split(", ")
    assert '<svg role="img"' in text and "<title id=\"chart-themes-title\">" in text
    assert 'id="evaluation-link"' not in text


def test_published_map_reads_the_snapshot_not_the_live_proposals(client):
    proposal = approved_proposal()
    PublishedVersionFactory(charter=default_charter(), proposals=[proposal])
    proposal.municipalities.set([MunicipalityFactory(name="Parabiago")])
    text = client.get(URL).content.decode()
    assert "not covered" not in cell(text, "matrix-municipalities", "Legnano", list(
        PolicyArea.objects.order_by("position", "name")).index(PolicyArea.objects.get(slug="social-services")))


@pytest.mark.parametrize("role", ["anonymous", "partner", "member", "staff"])
def test_evaluation_view_is_for_the_steering_group_and_staff_only(client, role):
    log_in(client, role)
    response = client.get(EVALUATION_URL)
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    elif role == "partner":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert 'id="evaluation-link"' in client.get(URL).content.decode()


def test_evaluation_view_counts_submitted_and_in_evaluation_proposals_only(client):
    log_in(client, "member")
    for status in [Proposal.Status.SUBMITTED, Proposal.Status.IN_EVALUATION, Proposal.Status.DRAFT,
                   Proposal.Status.APPROVED, Proposal.Status.REJECTED]:
        proposal = CompleteProposalFactory(status=status)
        CommitmentFactory(proposal=proposal)
    area = PolicyArea.objects.get(slug="social-services")
    column = list(PolicyArea.objects.order_by("position", "name")).index(area)
    text = client.get(EVALUATION_URL).content.decode()
    assert cell(text, "matrix-municipalities", "Legnano", column).strip() == "2"
    assert "2 proposals submitted or in evaluation" in text
    assert 'id="chart-municipalities"' in text


@pytest.mark.parametrize("count", [5, 50])
def test_published_map_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    proposals = [CompleteProposalFactory(status=Proposal.Status.APPROVED) for _ in range(count)]
    for proposal in proposals:
        CommitmentFactory(proposal=proposal)
    PublishedVersionFactory(charter=default_charter(), proposals=proposals)
    # The published version, municipalities, policy areas, target groups.
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_evaluation_map_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    log_in(client, "member")
    for _ in range(count):
        CommitmentFactory(proposal=CompleteProposalFactory(status=Proposal.Status.IN_EVALUATION))
    assert Municipality.objects.exists()
    # Session, user, the steering-group check (seat and authenticator app), proposals with their
    # themes, their municipalities, policy areas, target groups, commitments with their
    # organisations, then the municipalities, policy areas and target groups of the reference data.
    with django_assert_max_num_queries(12):
        assert client.get(EVALUATION_URL).status_code == 200


def test_the_carta_page_links_to_the_open_data_and_the_map(client):
    PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal()])
    text = client.get(reverse("charter:charter-detail")).content.decode()
    links = re.search(r'id="transparency-links".*?</ul>', text, re.S).group(0)
    assert reverse("charter:opendata") in links and URL in links


def test_the_footer_links_to_the_open_data_on_every_page(client):
    assert f'href="{reverse("charter:opendata")}"' in client.get("/").content.decode()


def test_the_steering_workspace_links_to_the_evaluation_map(client):
    log_in(client, "member")
    text = client.get(reverse("steering-workspace")).content.decode()
    assert f'href="{EVALUATION_URL}"' in text


def test_chart_geometry_is_plain_numbers_in_italian_too(client):
    PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal(), approved_proposal(co_partner=False)])
    text = client.get(URL, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    widths = re.findall(r'<rect x="230" y="([^"]+)" width="([^"]+)"', text)
    assert widths
    for y, width in widths:
        float(y), float(width)  # "12,5" would raise: SVG needs a decimal point
    assert max(float(width) for _, width in widths) == 280.0
