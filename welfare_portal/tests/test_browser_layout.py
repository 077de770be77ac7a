"""The frame on a phone, and the two hub pages, in a real browser with axe."""

import pytest
from playwright.sync_api import expect

from partners.tests.factories import SteeringGroupMemberFactory
from welfare_portal.tests.browser import assert_accessible, log_in_as
from welfare_portal.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing"),
]

PAGE_WIDER_THAN_SCREEN = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(live_server, browser_page, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/")
    assert not page.evaluate(PAGE_WIDER_THAN_SCREEN)
    log_in_as(page, live_server, UserFactory())
    page.goto(live_server.url + "/area-personale/")
    assert not page.evaluate(PAGE_WIDER_THAN_SCREEN)


def test_personal_area_leads_to_the_persons_organisations(live_server, browser_page):
    page = browser_page
    log_in_as(page, live_server, UserFactory())
    page.goto(live_server.url + "/")
    page.locator('header a[href="/area-personale/"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator('main a[href="/enti/miei/"]').click()
    expect(page).to_have_url(live_server.url + "/enti/miei/")


def test_steering_workspace_leads_to_the_outreach_board(live_server, browser_page):
    page = browser_page
    log_in_as(page, live_server, SteeringGroupMemberFactory().user)
    page.goto(live_server.url + "/")
    page.locator('header a[href="/regia/"]').first.click()
    assert_accessible(page)
    page.locator('main a[href="/gruppo-di-regia/contatti/"]').click()
    expect(page).to_have_url(live_server.url + "/gruppo-di-regia/contatti/")
