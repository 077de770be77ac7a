"""The Carta in a real browser: a citizen reading the published Carta on a desktop and on a
phone, the coordinator drafting, approving and publishing a version, and the side-by-side
differences between two versions. Every page visited is checked with axe; elements are found by
role, name attribute, id or URL, and Italian text is asserted only where it is data.
"""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from charter.models import CharterVersion, Document, DocumentKind
from charter.services.versions import default_charter
from charter.tests.factories import CharterVersionFactory, PublishedVersionFactory, approved_proposal, steering_member
from projects.models import Proposal
from projects.tests.factories import ThemeFactory
from welfare_portal.tests.browser import ARTIFACTS_DIR, VIEWPORT, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = CharterVersion.Status
PHONE = {"width": 390, "height": 844}
# Nothing in the page's content is wider than the screen, so it never scrolls sideways. (The
# header's slim bar, shared by every page, is base.html's business and is left out.)
MAIN_FITS_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    const main = document.querySelector("main");
    return main.scrollWidth <= main.clientWidth
        && [...main.querySelectorAll("*")].every(element => element.getBoundingClientRect().right <= width + 1);
}"""


def stand_in_document(version, content=b"%PDF-1.7 stand-in for the Carta"):
    document = Document(
        kind=DocumentKind.CHARTER, version=version, size=len(content), page_count=12,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("charter.pdf", ContentFile(content), save=True)
    return document


def _screenshot(page, name):
    """A full-page screenshot in test-artifacts/ to look at (desktop and phone width)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)


def test_a_citizen_reads_the_published_carta_on_a_desktop_and_on_a_phone(live_server, browser_page):
    housing, work = ThemeFactory(title="Abitare solidale"), ThemeFactory(title="Lavoro e inclusione")
    neighbours = approved_proposal("Rete di vicinato per anziani soli", theme=housing)
    workshop = approved_proposal("Laboratori di avviamento al lavoro", theme=work)
    version = PublishedVersionFactory(charter=default_charter(), proposals=[neighbours, workshop])
    document = stand_in_document(version)
    co_partner = neighbours.partners.get(status="accepted").organisation
    page = browser_page

    # The menu leads to the Carta's summary: the projects of each theme, each leading to its page.
    page.goto(live_server.url + "/")
    page.locator('nav a[href="/carta/"]').first.click()
    expect(page).to_have_url(re.compile(r"/carta/$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator(f"#theme-{housing.pk}")).to_contain_text("Abitare solidale")
    expect(page.locator(f"#project-{workshop.pk}")).to_contain_text("Laboratori di avviamento al lavoro")
    expect(page.locator(f"#project-{neighbours.pk}")).to_contain_text(neighbours.lead_organisation.name)
    expect(page.locator("[data-sha256]")).to_have_text(document.sha256)
    expect(page.locator(f'a[href="/documenti/{document.pk}/"]')).to_be_visible()
    assert_accessible(page)
    _screenshot(page, "carta-summary-desktop")

    # The table of contents jumps to a theme; the old address of a project lands on its entry.
    page.locator(f'.charter-toc a[href="#theme-{work.pk}"]').click()
    expect(page).to_have_url(re.compile(f"#theme-{work.pk}$"))
    expect(page.locator(f"#theme-{work.pk}")).to_be_in_viewport()
    page.goto(f"{live_server.url}/carta/#project-{neighbours.pk}")
    expect(page.locator(f"#project-{neighbours.pk}")).to_be_in_viewport()

    # A project's own page holds all of it, and leads to the next one and back to the summary.
    page.locator(f'#project-{neighbours.pk} a[href="progetti/{neighbours.pk}/"]').click()
    expect(page).to_have_url(re.compile(f"/carta/progetti/{neighbours.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rete di vicinato per anziani soli")
    expect(page.locator("[data-lead]")).to_have_text(neighbours.lead_organisation.name)
    expect(page.locator("[data-co-partners]")).to_have_text(co_partner.name)
    expect(page.locator("#project-theme")).to_contain_text("Abitare solidale")
    assert_accessible(page)
    _screenshot(page, "carta-project-desktop")
    page.locator("#next-project").click()
    expect(page).to_have_url(re.compile(f"/carta/progetti/{workshop.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Laboratori di avviamento al lavoro")
    page.locator("#back-to-summary").click()
    expect(page).to_have_url(re.compile(r"/carta/$"))

    # The partners and what each puts into the network.
    page.locator('#partners a[href="partner/"]').click()
    expect(page).to_have_url(re.compile(r"/carta/partner/$"))
    expect(page.locator(".charter-partners")).to_contain_text(co_partner.name)
    assert_accessible(page)

    # On a phone: one column, nothing wider than the screen (the fingerprint wraps).
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/carta/")
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    toc, introduction = page.locator(".charter-toc").bounding_box(), page.locator("#introduction").bounding_box()
    assert introduction["y"] >= toc["y"] + toc["height"]  # stacked, not side by side
    assert page.locator("[data-sha256]").bounding_box()["width"] <= PHONE["width"]
    assert_accessible(page)
    _screenshot(page, "carta-summary-phone")
    page.goto(f"{live_server.url}/carta/progetti/{neighbours.pk}/")
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    assert_accessible(page)
    _screenshot(page, "carta-project-phone")
    page.goto(f"{live_server.url}/carta/partner/")
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    assert_accessible(page)

    # The PDF is the stored file.
    response = page.request.get(f"{live_server.url}/documenti/{document.pk}/")
    assert response.ok and hashlib.sha256(response.body()).hexdigest() == document.sha256


def test_the_coordinator_drafts_approves_and_publishes_a_version(live_server, browser_page):
    housing, work = ThemeFactory(title="Abitare solidale"), ThemeFactory(title="Lavoro e inclusione")
    neighbours = approved_proposal("Rete di vicinato", theme=housing)
    cohousing = approved_proposal("Casa condivisa", theme=housing)
    workshop = approved_proposal("Laboratori per il lavoro", theme=work)
    coordinator = steering_member(coordinator=True, user__full_name="Marco Colombo")
    page = browser_page
    log_in_as(page, live_server, coordinator)

    # The list of versions is empty; the coordinator opens the first draft, after a confirmation.
    page.goto(live_server.url + "/carta/versioni/")
    expect(page.locator("#no-versions")).to_be_visible()
    assert_accessible(page)
    page.locator("#new-draft").click()
    expect(page).to_have_url(re.compile(r"/regia/carta/versioni/nuova/$"))
    assert_accessible(page)
    page.locator('#open-draft-form button[type="submit"]').click()
    draft = CharterVersion.objects.get(status=Status.DRAFT)
    expect(page).to_have_url(re.compile(f"/carta/versioni/{draft.pk}/$"))
    expect(page.locator("#draft-banner")).to_be_visible()
    assert_accessible(page)

    # The texts.
    page.locator(f'#actions a[href="/regia/carta/versioni/{draft.pk}/modifica/"]').click()
    page.locator('textarea[name="introduction"]').fill("La Carta dei progetti dell'ambito.")
    assert_accessible(page)
    page.locator('#texts-form button[type="submit"]').click()
    expect(page.locator("#introduction")).to_contain_text("La Carta dei progetti dell'ambito.")

    # The projects: add three, then put the second project of its theme first.
    page.locator(f'#actions a[href="/regia/carta/versioni/{draft.pk}/progetti/"]').click()
    expect(page.locator("#no-draft-projects")).to_be_visible()
    assert_accessible(page)
    for proposal in [neighbours, workshop, cohousing]:
        page.locator(f'[data-available="{proposal.pk}"] button[data-add]').click()
        expect(page.locator(f'#draft-projects [data-item="{proposal.pk}"]')).to_be_visible()
    items = page.locator("#draft-projects [data-item]")
    expect(items).to_have_count(3)
    assert [items.nth(i).get_attribute("data-item") for i in range(3)] == [
        str(neighbours.pk), str(cohousing.pk), str(workshop.pk),
    ]
    page.locator(f'[data-item="{cohousing.pk}"] button[data-move="up"]').click()
    expect(page.locator("#draft-projects [data-item]").first).to_have_attribute("data-item", str(cohousing.pk))
    expect(page.locator("#no-available")).to_be_visible()
    assert_accessible(page)
    # The editor works on a phone too.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    page.set_viewport_size(VIEWPORT)

    # Approval: a confirmation page that says what it does; then the fingerprint of the PDF.
    page.goto(f"{live_server.url}/carta/versioni/{draft.pk}/")
    page.locator(f'#actions a[href="/regia/carta/versioni/{draft.pk}/approva/"]').click()
    expect(page.locator("#approve-explanation")).to_be_visible()
    assert_accessible(page)
    page.locator('textarea[name="note"]').fill("Seduta del gruppo di regia.")
    page.locator('#approve-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(f"/carta/versioni/{draft.pk}/$"))
    document = Document.objects.get(version=draft)
    expect(page.locator(".alert-success")).to_contain_text(document.sha256)
    expect(page.locator("[data-sha256]")).to_have_text(document.sha256)
    expect(page.locator("#approved-banner")).to_be_visible()
    assert_accessible(page)

    # Publication: a confirmation, then the public Carta.
    page.locator(f'#actions a[href="/regia/carta/versioni/{draft.pk}/pubblica/"]').click()
    expect(page.locator("#publish-explanation")).to_be_visible()
    assert_accessible(page)
    page.locator('#publish-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/carta/$"))
    assert CharterVersion.objects.get(pk=draft.pk).status == Status.PUBLISHED
    titles = page.locator(".charter-project-entry h3")
    expect(titles).to_have_text(["Casa condivisa", "Rete di vicinato", "Laboratori per il lavoro"])
    assert_accessible(page)


def test_anyone_compares_two_versions_side_by_side(live_server, browser_page):
    charter = default_charter()
    kept, dropped, added = (
        approved_proposal("Rete di vicinato"), approved_proposal("Orti sociali"), approved_proposal("Casa condivisa"),
    )
    old = PublishedVersionFactory(
        charter=charter, number=1, proposals=[kept, dropped], freeze=Status.SUPERSEDED,
        introduction="Una riga che resta.\nUna riga tolta.",
    )
    Proposal.objects.filter(pk=kept.pk).update(indicators="Numero di famiglie raggiunte.")
    new = PublishedVersionFactory(
        charter=charter, number=2, proposals=[kept, added],
        introduction="Una riga che resta.\nUna riga aggiunta in una versione successiva della Carta.",
    )
    CharterVersionFactory(charter=charter, number=3)  # a draft: not offered to the public
    page = browser_page

    page.goto(live_server.url + "/carta/versioni/")
    expect(page.locator("#version-table tbody tr")).to_have_count(2)
    expect(page.locator('select[name="old"]')).to_have_value(str(old.pk))
    expect(page.locator('select[name="new"]')).to_have_value(str(new.pk))
    assert_accessible(page)
    page.locator('#compare-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(f"/carta/versioni/{old.pk}/confronto/{new.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    removed_line = page.locator('[data-diff="text-introduction"] del')
    added_line = page.locator('[data-diff="text-introduction"] ins')
    expect(removed_line).to_contain_text("Una riga tolta.")
    expect(added_line).to_contain_text("Una riga aggiunta")
    expect(page.locator(f'#projects-added [data-project="{added.pk}"]')).to_be_visible()
    expect(page.locator(f'#projects-removed [data-project="{dropped.pk}"]')).to_be_visible()
    changed = page.locator(f'#projects-changed [data-project="{kept.pk}"]')
    expect(changed).to_contain_text("Numero di famiglie raggiunte.")
    # Two columns on a wide screen: the removed line on the left of the added one.
    left, right = removed_line.bounding_box(), added_line.bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5
    assert_accessible(page)

    # Stacked on a phone, with nothing wider than the screen.
    page.set_viewport_size(PHONE)
    page.reload()
    left, right = removed_line.bounding_box(), added_line.bounding_box()
    assert right["y"] >= left["y"] + left["height"]
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    assert_accessible(page)

    # The list of versions, with its compare form, fits a phone as well.
    page.goto(live_server.url + "/carta/versioni/")
    expect(page.locator("#compare-form")).to_be_visible()
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    assert_accessible(page)
