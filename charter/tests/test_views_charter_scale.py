"""The public Carta at the scale of a real ambito: 200 projects with texts at their longest.
Its first page stays small (a summary; each project on its own page) and every page of it
costs the same queries however many projects it lists."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.services.versions import default_charter
from charter.tests.factories import PublishedVersionFactory, approved_proposal
from welfare_portal.fields import NAME_LENGTH, NOTE_LENGTH, TEXT_LENGTH

pytestmark = pytest.mark.django_db

CHARTER_URL = reverse("charter:charter-detail")
SUMMARY_BUDGET = 250 * 1024
THEMES = 8


def _long(text, length):
    return (text * (length // len(text) + 1))[:length].rstrip()


def scaled_snapshot(snapshot, projects):
    """The factory-built snapshot of one project grown to `projects` projects in THEMES themes,
    every text at its maximum length, each project with its own lead and co-partners (three
    organisations a project, as in `make bench`)."""
    template = snapshot["themes"][0]["projects"][0]
    organisation = snapshot["organisations"][0]
    grown, organisations = [], []
    for n in range(projects):
        project = copy.deepcopy(template)
        theme = n % THEMES
        partners = []
        for k in range(3):
            partner = dict(organisation, id=10_000 + 3 * n + k, name=_long(f"Ente del terzo settore {n}-{k} ", 120))
            partners.append(partner)
            organisations.append(partner)
        project.update(
            proposal_id=100_000 + n, title=_long(f"Progetto {n} per la rete di prossimità ", NAME_LENGTH),
            summary=_long("Sintesi del progetto. ", NOTE_LENGTH), need=_long("Bisogno. ", TEXT_LENGTH),
            objectives=_long("Obiettivi. ", TEXT_LENGTH), activities=_long("Attività. ", TEXT_LENGTH),
            rights=_long("Diritti. ", TEXT_LENGTH), duties=_long("Doveri. ", TEXT_LENGTH),
            indicators=_long("Indicatori. ", TEXT_LENGTH),
            theme={"id": theme + 1, "title": f"Tematica {theme + 1}"},
            lead=partners[0], co_partners=partners[1:],
            municipalities=[f"Comune {m}" for m in range(11)],
            commitments=[dict(c, organisation_id=partners[i % 3]["id"], organisation=partners[i % 3]["name"])
                         for i, c in enumerate(template["commitments"] * 3)],
        )
        grown.append(project)
    themes = [
        {"id": t + 1, "title": f"Tematica {t + 1}", "projects": [p for p in grown if p["theme"]["id"] == t + 1]}
        for t in range(THEMES)
    ]
    return dict(snapshot, themes=themes, organisations=organisations)


def published_carta(projects):
    version = PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal("Progetto vero")])
    version.snapshot = scaled_snapshot(version.snapshot, projects)
    version.save(update_fields=["snapshot"])
    return version


def queries_of(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), response


def test_the_first_page_of_a_200_project_carta_is_under_250_kb_and_leads_to_every_project(client):
    version = published_carta(200)
    response = client.get(CHARTER_URL)
    assert response.status_code == 200
    assert len(response.content) < SUMMARY_BUDGET, len(response.content)
    html = response.content.decode()
    projects = [p for theme in version.snapshot["themes"] for p in theme["projects"]]
    for project in projects:
        assert f'href="progetti/{project["proposal_id"]}/"' in html
    # Each project's own page holds the whole project, and stays small too.
    page = client.get(reverse("charter:charter-project", args=[projects[-1]["proposal_id"]]))
    assert projects[-1]["indicators"] in page.content.decode()
    assert len(page.content) < SUMMARY_BUDGET
    partners = client.get(reverse("charter:charter-partners"))
    assert partners.status_code == 200 and projects[0]["co_partners"][0]["name"] in partners.content.decode()


@pytest.mark.parametrize("path", ["summary", "project", "partners"])
def test_the_pages_of_the_carta_cost_the_same_queries_at_any_size(client, path, django_assert_max_num_queries):
    """The version without its snapshot (the frozen heading only), its PDF and its pact; the
    content comes from the cache after the first view, and even then from the version row."""
    counts = []
    for size in (2, 200):
        version = published_carta(size)
        first = version.snapshot["themes"][0]["projects"][0]["proposal_id"]
        url = {
            "summary": CHARTER_URL, "project": reverse("charter:charter-project", args=[first]),
            "partners": reverse("charter:charter-partners"),
        }[path]
        cold, _response = queries_of(client, url)
        warm, _response = queries_of(client, url)
        counts.append((cold, warm))
        version.delete()
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(3):
        client.get(url)
