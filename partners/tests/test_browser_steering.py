"""The steering group in a real browser: the public page, and staff appointing a member and
ending a seat. Every page visited is checked with axe; elements are found by role, name
attribute or URL, and Italian text is asserted only where it is data (names of people and places).
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import SteeringGroupMember
from partners.tests.factories import OrganisationFactory, SteeringGroupMemberFactory
from welfare_portal.tests.browser import assert_accessible, log_in_as
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_page_shows_the_current_group(live_server, browser_page):
    legnano = MunicipalityFactory(name="Legnano")
    organisation = OrganisationFactory(verified=True, name="Cooperativa Sociale Il Ponte")
    SteeringGroupMemberFactory(user__full_name="Marco Colombo", municipality=legnano, coordinator=True)
    SteeringGroupMemberFactory(user__full_name="Anna Ricci", organisation=organisation, municipality=None)
    SteeringGroupMemberFactory(user__full_name="Roberto Villa", ended=True)
    page = browser_page

    page.goto(live_server.url + "/")
    page.locator('nav a[href="/gruppo-di-regia/"]').first.click()

    expect(page).to_have_url(re.compile(r"/gruppo-di-regia/$"))
    names = page.locator("main .card-title")
    expect(names).to_have_text(["Marco Colombo", "Anna Ricci"])  # the coordinator first
    expect(page.locator("main")).to_contain_text("Legnano")
    expect(page.locator("main")).to_contain_text("Cooperativa Sociale Il Ponte")
    expect(page.locator('main a[href="/gestione/gruppo-di-regia/"]')).to_have_count(0)
    assert_accessible(page)


def test_staff_appoint_a_member_and_end_a_seat(live_server, browser_page):
    staff = UserFactory(staff=True, totp=True)
    person = UserFactory(full_name="Elena Galli")
    parabiago = MunicipalityFactory(name="Parabiago")
    organisation = OrganisationFactory(verified=True, name="Fondazione Comunitaria Altomilanese")
    leaving = SteeringGroupMemberFactory(user__full_name="Davide Greco")
    page = browser_page
    log_in_as(page, live_server, staff)

    # From the public page to the staff list, whose filters and table pass axe.
    page.goto(live_server.url + "/gruppo-di-regia/")
    page.locator('main a[href="/gestione/gruppo-di-regia/"]').click()
    expect(page).to_have_url(re.compile(r"/gestione/gruppo-di-regia/$"))
    assert_accessible(page)

    # Appoint: both an organisation and a municipality is refused, next to the fields.
    page.locator('main a[href="/gestione/gruppo-di-regia/nomina/"]').click()
    assert_accessible(page)
    page.locator('select[name="user"]').select_option(str(person.pk))
    page.locator('select[name="organisation"]').select_option(str(organisation.pk))
    page.locator('select[name="municipality"]').select_option(str(parabiago.pk))
    page.locator('main form button[type="submit"]').click()
    expect(page.locator("#id_municipality").locator("xpath=..").locator(".invalid-feedback")).to_be_visible()
    assert not SteeringGroupMember.objects.filter(user=person).exists()
    assert_accessible(page)

    page.locator('select[name="organisation"]').select_option("")
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/gestione/gruppo-di-regia/$"))
    expect(page.locator(".alert-success")).to_contain_text("Elena Galli")
    seat = SteeringGroupMember.objects.get(user=person)
    assert (seat.municipality, seat.start_date, seat.end_date) == (parabiago, timezone.localdate(), None)

    # End a seat: a confirmation page with today's date, then the seat closes today.
    page.locator(f'main a[href="/gestione/gruppo-di-regia/{leaving.pk}/termina/"]').click()
    expect(page.locator('input[name="end_date"]')).to_have_value(timezone.localdate().isoformat())
    assert_accessible(page)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/gestione/gruppo-di-regia/$"))
    expect(page.locator(".alert-success")).to_contain_text("Davide Greco")
    leaving.refresh_from_db()
    assert (leaving.end_date, leaving.ended_by) == (timezone.localdate(), staff)
    assert_accessible(page)
