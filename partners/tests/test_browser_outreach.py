"""The outreach board in a real browser: a steering-group member filters the board, adds a
potential partner, moves it and sends the invitation; the invited person opens the link. Every
page visited is checked with axe; elements are found by role, name attribute, id or URL, and
Italian text is asserted only where it is data (names of people, bodies and places).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partners import services
from partners.models import OrganisationKind, OutreachContact
from partners.tests.factories import OutreachContactFactory, SteeringGroupMemberFactory
from welfare_portal.tests.browser import assert_accessible, log_in_as, submit
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = OutreachContact.Status
BOARD = "/gruppo-di-regia/contatti/"


def test_member_filters_the_board_adds_a_contact_moves_it_and_invites_it(live_server, browser_page):
    member = SteeringGroupMemberFactory(user__full_name="Chiara Colombo").user
    colleague = SteeringGroupMemberFactory(user__full_name="Luca Ferrari").user
    legnano = MunicipalityFactory(name="Legnano")
    parabiago = MunicipalityFactory(name="Parabiago")
    OutreachContactFactory(name="Scuola Carducci", kind=OrganisationKind.SCHOOL, municipality=legnano,
                           status=Status.CONTACTED, assigned_to=member)
    OutreachContactFactory(name="Fondazione Ticino", kind=OrganisationKind.FOUNDATION, municipality=parabiago,
                           status=Status.INTERESTED, assigned_to=colleague)
    page = browser_page
    log_in_as(page, live_server, member)

    # The menu leads to the board: counts per status on top, then the list.
    page.goto(live_server.url + "/")
    page.locator('nav a[href="/regia/"]').first.click()
    page.locator(f'main a[href="{BOARD}"]').first.click()
    expect(page).to_have_url(re.compile(f"{BOARD}$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator('#status-counts a[data-status="contacted"] .status-count')).to_have_text("1")
    expect(page.locator('#status-counts a[data-status="interested"] .status-count')).to_have_text("1")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert_accessible(page)

    # Filters: by municipality, then "assigned to me", then a search that finds nothing.
    page.locator('select[name="municipality"]').select_option(str(parabiago.pk))
    submit(page, 'main form[role="search"]')
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text("Fondazione Ticino")
    page.locator('select[name="municipality"]').select_option("")
    page.locator('label[for="id_mine"]').click()  # Bootstrap Italia draws the box on the label
    expect(page.locator('input[name="mine"]')).to_be_checked()
    submit(page, 'main form[role="search"]')
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text("Scuola Carducci")
    page.locator('label[for="id_mine"]').click()
    expect(page.locator('input[name="mine"]')).not_to_be_checked()
    page.locator('input[name="q"]').fill("nessun risultato")
    submit(page, 'main form[role="search"]')
    expect(page.locator("main table")).to_have_count(0)
    expect(page.locator('main .alert[role="status"]')).to_be_visible()
    assert_accessible(page)

    # Add a potential partner; a missing name is reported next to the field.
    page.goto(live_server.url + BOARD)
    page.locator(f'main a[href="{BOARD}nuovo/"]').click()
    assert_accessible(page)
    page.locator('input[name="email"]').fill("info@ilponte.example.org")
    page.locator('select[name="kind"]').select_option(OrganisationKind.VOLUNTEERING)
    submit(page)
    expect(page.locator("#id_name").locator("xpath=..").locator(".invalid-feedback")).to_be_visible()
    assert not OutreachContact.objects.filter(email="info@ilponte.example.org").exists()
    assert_accessible(page)
    page.locator('input[name="name"]').fill("Associazione Il Ponte")
    page.locator('select[name="municipality"]').select_option(str(legnano.pk))
    page.locator('textarea[name="notes"]').fill("Segnalata dalla Consulta del volontariato")
    page.locator('select[name="assigned_to"]').select_option(str(member.pk))
    submit(page)
    contact = OutreachContact.objects.get(name="Associazione Il Ponte")
    expect(page).to_have_url(re.compile(f"{BOARD}{contact.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("Associazione Il Ponte")
    expect(page.locator("#contact-history tbody tr")).to_have_count(1)
    assert_accessible(page)

    # Move it: only the allowed next statuses are offered.
    options = page.locator('#move-form select[name="to_status"] option')
    expect(options).to_have_count(4)  # contacted, interested, joined, declined
    page.locator('#move-form select[name="to_status"]').select_option(Status.INTERESTED)
    page.locator('#move-form textarea[name="note"]').fill("Telefonata con la presidente")
    submit(page, "#move-form")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#contact-history tbody tr")).to_have_count(2)
    expect(page.locator("#contact-history tbody tr").first).to_contain_text("Telefonata con la presidente")
    expect(page.locator("#contact-history tbody tr").first).to_contain_text("Chiara Colombo")
    expect(page.locator('#move-form select[name="to_status"] option')).to_have_count(2)
    contact.refresh_from_db()
    assert contact.status == Status.INTERESTED
    assert_accessible(page)

    # Send the invitation through its confirmation page.
    page.locator("#invite-link").click()
    expect(page).to_have_url(re.compile(f"{BOARD}{contact.pk}/invito/$"))
    expect(page.locator("main")).to_contain_text("info@ilponte.example.org")
    assert mail.outbox == []
    assert_accessible(page)
    submit(page)
    expect(page).to_have_url(re.compile(f"{BOARD}{contact.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("info@ilponte.example.org")
    expect(page.locator("#contact-invitation")).not_to_be_empty()
    contact.refresh_from_db()
    assert contact.invited_at is not None
    assert [message.to for message in mail.outbox] == [["info@ilponte.example.org"]]
    assert re.search(r"/invito/[^/\s]+/", mail.outbox[0].body)
    assert_accessible(page)


def test_invitation_welcome_page_valid_and_expired(live_server, browser_page, settings):
    contact = OutreachContactFactory(name="Cooperativa Sociale Arcobaleno")
    token = services.make_invitation_token(contact)
    page = browser_page

    page.goto(f"{live_server.url}/invito/{token}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cooperativa Sociale Arcobaleno")
    signup = page.locator("#signup-link")
    expect(signup).to_have_attribute("href", "/accounts/signup/?next=%2Fenti%2Fregistra%2F")
    expect(page.locator("#login-link")).to_have_attribute("href", "/accounts/login/?next=%2Fenti%2Fregistra%2F")
    assert_accessible(page)
    signup.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    expect(page.locator('input[name="email"]')).to_be_visible()

    settings.OUTREACH_INVITATION_MAX_AGE = -1  # every link is now too old
    response = page.goto(f"{live_server.url}/invito/{token}/")
    assert response.status == 400
    expect(page.locator("#invitation-error")).to_be_visible()
    expect(page.locator("#signup-link")).to_have_count(0)
    assert_accessible(page)
    contact.refresh_from_db()
    assert contact.status == Status.TO_CONTACT


def test_logged_in_invited_person_goes_to_registration(live_server, browser_page):
    contact = OutreachContactFactory(name="Sindacato Pensionati Legnano")
    page = browser_page
    log_in_as(page, live_server, UserFactory())
    page.goto(f"{live_server.url}/invito/{services.make_invitation_token(contact)}/")
    assert_accessible(page)
    page.locator("#register-link").click()
    expect(page).to_have_url(re.compile(r"/enti/registra/$"))
    expect(page.locator('input[name="name"]')).to_have_value("Sindacato Pensionati Legnano")
