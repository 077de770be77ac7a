"""Open data and the needs-coverage map in a real browser: a citizen goes from the Carta to its
open data and the map, on a desktop and on a phone; a steering-group member opens the map of
the proposals in evaluation from the workspace. axe checks every page."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from charter.services.versions import default_charter
from charter.tests.factories import PublishedVersionFactory, approved_proposal, steering_member
from projects.models import Proposal
from projects.tests.factories import CommitmentFactory, CompleteProposalFactory
from welfare_portal.tests.factories import MunicipalityFactory
from welfare_portal.tests.browser import assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# The page's main content is no wider than the screen: wide matrices scroll inside their own
# .table-responsive wrapper, which itself fits.
MAIN_FITS_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    const main = document.querySelector("main");
    const wrappers = [...main.querySelectorAll(".table-responsive")];
    return main.scrollWidth <= main.clientWidth
        && wrappers.length > 0
        && wrappers.every(wrapper => wrapper.getBoundingClientRect().right <= width + 1);
}"""
MATRIX_SCROLLS_INSIDE = """() => {
    const wrapper = document.querySelector("#matrix-municipalities").closest(".table-responsive");
    return wrapper.scrollWidth > wrapper.clientWidth;
}"""


def test_a_citizen_finds_the_open_data_and_the_coverage_map(live_server, browser_page):
    MunicipalityFactory(name="Parabiago")
    PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal("Rete di vicinato")])
    page = browser_page

    # From the Carta to its open data.
    page.goto(live_server.url + "/carta/")
    page.locator('#transparency-links a[href="/dati-aperti/"]').click()
    expect(page).to_have_url(re.compile(r"/dati-aperti/$"))
    expect(page.locator('a[rel="license"]')).to_have_attribute("href", re.compile("creativecommons.org/licenses/by/4.0"))
    expect(page.locator('#dataset-progetti a[href="/dati-aperti/progetti.csv"]')).to_be_visible()
    expect(page.locator("#dataset-risorse-patto [data-unavailable]")).to_be_visible()
    assert_accessible(page)
    response = page.request.get(live_server.url + "/dati-aperti/progetti.csv")
    assert [row["title"] for row in csv.DictReader(io.StringIO(response.text()))] == ["Rete di vicinato"]

    # The data dictionary.
    page.locator('a[href="/dati-aperti/dizionario/"]').click()
    expect(page.locator("#fields-partner table")).to_be_visible()
    assert_accessible(page)

    # The coverage map: the municipality nobody covers is marked and listed.
    page.goto(live_server.url + "/carta/")
    page.locator('#transparency-links a[href="/copertura/"]').click()
    expect(page).to_have_url(re.compile(r"/copertura/$"))
    expect(page.locator("#matrix-municipalities [data-uncovered]").first).to_be_visible()
    expect(page.locator("#uncovered-municipalities")).to_contain_text("Parabiago")
    expect(page.locator('svg[role="img"]')).to_have_count(2)
    expect(page.locator("#evaluation-link")).to_have_count(0)
    assert_accessible(page)

    # On a phone the matrices scroll inside their wrapper; the page does not.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    assert page.evaluate(MATRIX_SCROLLS_INSIDE)
    assert_accessible(page)
    page.goto(live_server.url + "/dati-aperti/")
    assert page.evaluate("() => document.querySelector('main').scrollWidth <= document.querySelector('main').clientWidth")
    assert_accessible(page)


def test_a_steering_member_maps_the_proposals_in_evaluation(live_server, browser_page):
    for _ in range(2):
        CommitmentFactory(proposal=CompleteProposalFactory(status=Proposal.Status.IN_EVALUATION))
    page = browser_page
    log_in_as(page, live_server, steering_member())
    page.goto(live_server.url + "/regia/")
    page.locator('a[href="/copertura/?fonte=valutazione"]').click()
    expect(page.locator("#evaluation-link")).to_have_attribute("aria-current", "page")
    expect(page.locator("#source")).to_contain_text("2")
    expect(page.locator("#chart-themes")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate(MAIN_FITS_THE_SCREEN)
    assert_accessible(page)
