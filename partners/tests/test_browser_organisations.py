"""Organisations in a real browser: registering one, the public directory, asking to join,
a referent deciding requests, staff verifying and rejecting, staff confirming a legal
representative. Every page visited is checked with axe; elements are found by role, name
attribute or URL, and Italian text is asserted only where it is data (names of people and places).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partners.models import Membership, Organisation, OrganisationKind
from partners.tests.factories import MembershipFactory, OrganisationFactory
from welfare_portal.models import PolicyArea
from welfare_portal.tests.browser import assert_accessible, field_error, log_in_as, tick
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMIT = 'main form[method="post"] button[type="submit"]'


def policy_area():
    """Transactional tests empty the tables, data migrations' rows included."""
    return PolicyArea.objects.get_or_create(slug="housing", defaults={"name": "Casa"})[0]


def test_register_an_organisation(live_server, browser_page):
    legnano = MunicipalityFactory(name="Legnano")
    canegrate = MunicipalityFactory(name="Canegrate")
    housing = policy_area()
    staff = UserFactory(staff=True, email="ufficio@example.org")
    user = UserFactory(full_name="Giulia Bianchi")
    page = browser_page
    log_in_as(page, live_server, user)

    # "My organisations" from the menu: the empty state leads to the registration form.
    page.goto(live_server.url + "/")
    page.locator('nav a[href="/area-personale/"]').first.click()
    page.locator('main a[href="/enti/miei/"]').first.click()
    expect(page).to_have_url(re.compile(r"/enti/miei/$"))
    assert_accessible(page)
    page.locator('main a[href="/enti/registra/"]').first.click()
    expect(page).to_have_url(re.compile(r"/enti/registra/$"))
    assert_accessible(page)

    page.locator('input[name="name"]').fill("Cooperativa Sociale Il Ponte")
    page.locator('select[name="kind"]').select_option(OrganisationKind.SOCIAL_COOPERATIVE)
    page.locator('input[name="legal_form"]').fill("Cooperativa sociale di tipo A")
    page.locator('input[name="tax_code"]').fill("00743110158")  # wrong check digit
    page.locator('select[name="seat_municipality"]').select_option(str(legnano.pk))
    tick(page, page.locator('input[name="municipalities_served"][value="%d"]' % canegrate.pk).get_attribute("id"))
    tick(page, page.locator('input[name="policy_areas"][value="%d"]' % housing.pk).get_attribute("id"))
    page.locator('textarea[name="description"]').fill("Inserimento lavorativo e housing sociale.")
    page.locator('input[name="email"]').fill("info@ilponte.example.org")
    page.locator(SUBMIT).click()

    expect(field_error(page, "tax_code")).to_be_visible()
    expect(page.locator('input[name="name"]')).to_have_value("Cooperativa Sociale Il Ponte")
    assert not Organisation.objects.exists()
    assert_accessible(page)

    page.locator('input[name="tax_code"]').fill("00743110157")
    page.locator(SUBMIT).click()

    organisation = Organisation.objects.get()
    expect(page).to_have_url(re.compile(rf"/enti/{organisation.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cooperativa Sociale Il Ponte")
    expect(page.locator(".alert-success")).to_contain_text("Cooperativa Sociale Il Ponte")
    expect(page.locator(f'main a[href="/enti/{organisation.pk}/modifica/"]')).to_be_visible()
    assert_accessible(page)
    assert organisation.status == Organisation.Status.PENDING
    assert list(organisation.policy_areas.all()) == [housing]
    assert list(organisation.municipalities_served.all()) == [canegrate]
    assert Membership.objects.get(organisation=organisation).user == user
    assert [m.to for m in mail.outbox] == [[staff.email]]

    # Not yet public.
    page.context.clear_cookies()
    response = page.goto(f"{live_server.url}/enti/{organisation.pk}/")
    assert response.status == 404


def test_directory_search_and_filters(live_server, browser_page):
    legnano = MunicipalityFactory(name="Legnano")
    nerviano = MunicipalityFactory(name="Nerviano")
    housing = policy_area()
    school = OrganisationFactory(verified=True, name="Istituto Bernocchi", kind=OrganisationKind.SCHOOL,
                                 seat_municipality=legnano, description="Scuola superiore.")
    coop = OrganisationFactory(verified=True, name="Cooperativa La Casa", kind=OrganisationKind.SOCIAL_COOPERATIVE,
                               seat_municipality=nerviano, description="Housing sociale.")
    coop.policy_areas.add(housing)
    coop.municipalities_served.add(legnano)
    OrganisationFactory(name="Associazione In Attesa", seat_municipality=legnano)
    page = browser_page

    page.goto(live_server.url + "/")
    page.locator('nav a[href="/enti/"]').first.click()
    expect(page).to_have_url(re.compile(r"/enti/$"))
    titles = page.locator("main .card-title")
    expect(titles).to_have_text(["Cooperativa La Casa", "Istituto Bernocchi"])
    assert_accessible(page)

    page.locator('input[name="q"]').fill("scuola")
    page.locator('main form[role="search"] button[type="submit"]').click()
    expect(titles).to_have_text(["Istituto Bernocchi"])
    assert_accessible(page)

    page.locator('input[name="q"]').fill("")
    page.locator('select[name="municipality"]').select_option(str(legnano.pk))
    page.locator('select[name="policy_area"]').select_option(str(housing.pk))
    page.locator('main form[role="search"] button[type="submit"]').click()
    expect(titles).to_have_text(["Cooperativa La Casa"])  # serves Legnano, works on housing

    page.locator('select[name="kind"]').select_option(OrganisationKind.SCHOOL)
    page.locator('main form[role="search"] button[type="submit"]').click()
    expect(titles).to_have_count(0)
    expect(page.locator("main .alert-info")).to_be_visible()
    assert_accessible(page)

    page.locator('main a.btn[href="/enti/"]').click()
    expect(titles).to_have_count(2)
    page.locator(f'main a[href="/enti/{school.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Istituto Bernocchi")
    assert_accessible(page)


def test_organisation_page_and_join_request(live_server, browser_page):
    referent = UserFactory(email="referente@example.org")
    organisation = OrganisationFactory(verified=True, name="Auser Legnano", referent=referent)
    user = UserFactory(full_name="Luca Bianchi")
    page = browser_page
    log_in_as(page, live_server, user)

    page.goto(f"{live_server.url}/enti/{organisation.pk}/")
    assert_accessible(page)
    page.locator(f'main a[href="/enti/{organisation.pk}/aderisci/"]').click()
    expect(page).to_have_url(re.compile(rf"/enti/{organisation.pk}/aderisci/$"))
    assert_accessible(page)

    tick(page, page.locator('input[name="role"][value="legal_representative"]').get_attribute("id"))
    page.locator('textarea[name="note"]').fill("Sono il presidente dell'associazione.")
    page.locator(SUBMIT).click()

    expect(page).to_have_url(re.compile(rf"/enti/{organisation.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("Auser Legnano")
    expect(page.locator(f'main a[href="/enti/{organisation.pk}/aderisci/"]')).to_have_count(0)
    assert_accessible(page)
    membership = Membership.objects.get(user=user)
    assert (membership.status, membership.role) == (Membership.Status.PENDING, "legal_representative")
    assert [m.to for m in mail.outbox] == [["referente@example.org"]]

    # Asking again leads back to the page with the request's status, nothing new.
    page.goto(f"{live_server.url}/enti/{organisation.pk}/aderisci/")
    expect(page).to_have_url(re.compile(rf"/enti/{organisation.pk}/$"))
    expect(page.locator(".alert-info")).to_be_visible()
    assert Membership.objects.filter(user=user).count() == 1


def test_referent_accepts_and_refuses_requests(live_server, browser_page):
    referent = UserFactory()
    organisation = OrganisationFactory(verified=True, name="Auser Legnano", referent=referent)
    accepted = MembershipFactory(organisation=organisation, pending=True, user__full_name="Paola Verdi")
    refused = MembershipFactory(organisation=organisation, pending=True, user__full_name="Rino Neri",
                                user__email="rino@example.org")
    page = browser_page
    log_in_as(page, live_server, referent)

    page.goto(live_server.url + "/enti/miei/")
    assert_accessible(page)
    page.locator(f'main a[href="/enti/{organisation.pk}/"]').click()
    expect(page.locator("#requests")).to_be_visible()
    assert_accessible(page)

    page.locator(f'form[action="/adesioni/{accepted.pk}/accetta/"] button').click()
    expect(page.locator(".alert-success")).to_contain_text("Paola Verdi")
    expect(page.locator(f'form[action="/adesioni/{accepted.pk}/accetta/"]')).to_have_count(0)
    expect(page.locator("#members ~ ul")).to_contain_text("Paola Verdi")
    assert_accessible(page)

    page.locator(f'main a[href="/adesioni/{refused.pk}/rifiuta/"]').click()
    expect(page).to_have_url(re.compile(rf"/adesioni/{refused.pk}/rifiuta/$"))
    assert_accessible(page)
    page.locator('textarea[name="reason"]').fill("Non risulta tra i volontari.")
    page.locator(SUBMIT).click()
    expect(page.locator(".alert-success")).to_contain_text("Rino Neri")
    assert_accessible(page)

    accepted.refresh_from_db()
    refused.refresh_from_db()
    assert (accepted.status, refused.status) == (Membership.Status.ACCEPTED, Membership.Status.REFUSED)
    assert refused.refusal_reason == "Non risulta tra i volontari."
    assert "Non risulta tra i volontari." in next(m for m in mail.outbox if m.to == ["rino@example.org"]).body


def test_staff_verify_and_reject_organisations(live_server, browser_page):
    staff = UserFactory(staff=True, totp=True)
    to_verify = OrganisationFactory(name="Fondazione Ticino Olona", referent=UserFactory())
    to_reject = OrganisationFactory(name="Associazione Senza Statuto", referent=UserFactory())
    OrganisationFactory(verified=True, name="Già Verificata")
    page = browser_page
    log_in_as(page, live_server, staff)

    page.goto(live_server.url + "/")
    page.locator('nav a[href="/gestione/"]').first.click()
    expect(page).to_have_url(re.compile(r"/gestione/$"))
    assert_accessible(page)
    page.locator('main a[href="/gestione/enti/"]').click()
    rows = page.locator("main table tbody th")
    expect(rows).to_have_text(["Fondazione Ticino Olona", "Associazione Senza Statuto"])
    assert_accessible(page)

    # Verify: the confirmation tick is required.
    page.locator(f'main a[href="/gestione/enti/{to_verify.pk}/"]').click()
    assert_accessible(page)
    verify_form = page.locator(f'form[action="/gestione/enti/{to_verify.pk}/verifica/"]')
    verify_form.locator('button[type="submit"]').click()
    expect(field_error(page, "checked")).to_be_visible()
    assert_accessible(page)
    assert Organisation.objects.get(pk=to_verify.pk).status == Organisation.Status.PENDING
    tick(page, "id_checked")
    verify_form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/gestione/enti/$"))
    expect(page.locator(".alert-success")).to_contain_text("Fondazione Ticino Olona")
    expect(rows).to_have_text(["Associazione Senza Statuto"])
    assert_accessible(page)

    # Reject: a reason is required, and the referents read it.
    page.locator(f'main a[href="/gestione/enti/{to_reject.pk}/"]').click()
    reject_form = page.locator(f'form[action="/gestione/enti/{to_reject.pk}/rifiuta/"]')
    reject_form.locator('button[type="submit"]').click()
    expect(field_error(page, "reason")).to_be_visible()
    assert_accessible(page)
    page.locator('textarea[name="reason"]').fill("Manca lo statuto firmato.")
    reject_form.locator('button[type="submit"]').click()
    expect(page.locator(".alert-success")).to_contain_text("Associazione Senza Statuto")
    expect(page.locator("main .alert-info")).to_be_visible()  # the queue is empty
    assert_accessible(page)

    # The verified one is now in the public directory; the rejected one is not.
    page.goto(live_server.url + "/enti/")
    expect(page.locator("main .card-title")).to_have_text(["Fondazione Ticino Olona", "Già Verificata"])
    to_reject.refresh_from_db()
    assert (to_reject.status, to_reject.rejection_reason) == (Organisation.Status.REJECTED, "Manca lo statuto firmato.")


def test_staff_confirm_a_legal_representative(live_server, browser_page):
    staff = UserFactory(staff=True, totp=True)
    membership = MembershipFactory(
        role="legal_representative", user__full_name="Maria Colombo",
        organisation=OrganisationFactory(verified=True, name="Auser Legnano"),
    )
    page = browser_page
    log_in_as(page, live_server, staff)

    page.goto(live_server.url + "/gestione/")
    page.locator('main a[href="/gestione/legali-rappresentanti/"]').click()
    expect(page.locator("main table tbody th")).to_contain_text(["Maria Colombo"])
    assert_accessible(page)
    page.locator(f'main a[href="/gestione/legali-rappresentanti/{membership.pk}/conferma/"]').click()
    assert_accessible(page)

    page.locator('input[name="tax_code"]').fill("RCCMNL83S18D969X")  # wrong check character
    page.locator(SUBMIT).click()
    expect(field_error(page, "tax_code")).to_be_visible()
    assert_accessible(page)
    membership.refresh_from_db()
    assert membership.confirmed_at is None

    page.locator('input[name="tax_code"]').fill("RCCMNL83S18D969H")
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/gestione/legali-rappresentanti/$"))
    expect(page.locator(".alert-success")).to_contain_text("Maria Colombo")
    expect(page.locator("main table")).to_have_count(0)
    assert_accessible(page)
    membership.refresh_from_db()
    assert membership.is_confirmed_legal_representative
    assert membership.representative_tax_code == "RCCMNL83S18D969H"
