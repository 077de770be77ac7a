"""The Patto in a real browser: the public page, the coordinator opening the pact, the legal
representative confirming the password on allauth's page and signing, declining, and closing
once everyone has answered. Every page visited is checked with axe; elements are found by name
attribute, id or URL, and Italian text is asserted only where it is data."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from charter.models import Decline, DocumentKind, Pact, Signature
from charter.services.signing import record_fingerprint
from charter.tests.factories import OpenPactFactory, PactFactory, legal_representative, steering_member
from projects.tests.factories import UserFactory
from welfare_portal.tests.browser import assert_accessible, log_in_as
from welfare_portal.tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed(pact, organisation):
    signer = legal_representative(organisation, user=UserFactory(full_name="Giovanna Martini"))
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    signature = Signature(
        pact=pact, organisation=organisation, signer=signer, signer_name=signer.full_name, signer_email=signer.email,
        full_name=signer.full_name, consent_text="Sì", reauthenticated_at=timezone.now(), document=document,
        document_sha256=document.sha256,
    )
    signature.record_sha256 = record_fingerprint(signature)
    signature.save()
    return signature


def tick_consent(page):
    """Bootstrap Italia draws its own box over the checkbox: tick it from the keyboard."""
    box = page.locator('input[name="consent"]')
    if not box.is_checked():
        box.focus()
        page.keyboard.press("Space")
    expect(box).to_be_checked()


def test_public_page_of_an_open_pact(live_server, browser_page):
    pact = OpenPactFactory(title="Patto di solidarietà dell'Alto Milanese")
    first, second = pact.signatories.order_by("pk")
    signed(pact, first.organisation)
    page = browser_page

    page.goto(f"{live_server.url}/patto/{pact.pk}/")

    expect(page.locator("h1")).to_have_text("Patto di solidarietà dell'Alto Milanese")
    expect(page.locator(f'#signatory-table tr[data-signatory="{first.pk}"]')).to_contain_text("Giovanna Martini")
    for table in ("#resources-by-partner", "#resources-by-theme", "#resources-by-municipality"):
        expect(page.locator(f"{table} caption")).to_be_visible()
    expect(page.locator("#resources-by-partner tfoot")).to_contain_text("6.500,00")
    expect(page.locator("#document-draft")).to_contain_text(pact.documents.get().sha256)
    expect(page.locator(f'main a[href="/regia/patto/{pact.pk}/"]')).to_have_count(0)
    assert_accessible(page)


def test_coordinator_opens_the_pact(live_server, browser_page):
    pact = PactFactory()
    first, _second = pact.signatories.order_by("pk")
    legal_representative(first.organisation)
    coordinator = steering_member(coordinator=True)
    page = browser_page
    log_in_as(page, live_server, coordinator)

    page.goto(f"{live_server.url}/patto/{pact.pk}/")
    assert_accessible(page)
    page.locator(f'main a[href="/regia/patto/{pact.pk}/"]').click()
    expect(page).to_have_url(re.compile(rf"/regia/patto/{pact.pk}/$"))
    expect(page.locator('[data-count="missing"]')).to_have_text("1")
    expect(page.locator("#missing-representatives")).to_be_visible()
    assert_accessible(page)

    page.locator(f'main a[href="/regia/patto/{pact.pk}/apri/"]').click()
    assert_accessible(page)
    page.locator('textarea[name="note"]').fill("Approvato nella seduta del gruppo di regia.")
    page.locator('main form button[type="submit"]').click()

    expect(page).to_have_url(re.compile(rf"/regia/patto/{pact.pk}/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#document-draft")).to_be_visible()
    pact.refresh_from_db()
    assert pact.status == Pact.Status.OPEN
    assert pact.documents.filter(kind=DocumentKind.PACT_DRAFT).exists()
    assert_accessible(page)


def test_legal_representative_confirms_the_password_and_signs(live_server, browser_page):
    pact = OpenPactFactory()
    signatory = pact.signatories.order_by("pk").first()
    representative = legal_representative(signatory.organisation, user=UserFactory(full_name="Luca Rossi"))
    page = browser_page
    log_in_as(page, live_server, representative)

    # The personal area leads to what is waiting; the signing page asks for the password first.
    page.goto(live_server.url + "/")
    page.locator('nav a[href="/area-personale/"]').first.click()
    expect(page.locator("#pacts-to-sign-count")).to_have_text("1")
    page.locator('main a[href="/patto/da-firmare/"]').click()
    expect(page.locator(f'li[data-signatory="{signatory.pk}"]')).to_be_visible()
    assert_accessible(page)
    page.locator(f'main a[href="/patto/firmatari/{signatory.pk}/firma/"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    assert_accessible(page)
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    page.locator('main form button[type="submit"]').first.click()

    expect(page).to_have_url(re.compile(rf"/patto/firmatari/{signatory.pk}/firma/$"))
    document = pact.documents.get()
    expect(page.locator("#document-sha256")).to_have_text(document.sha256)
    expect(page.locator("#commitments")).to_be_visible()
    assert_accessible(page)

    # A wrong name is refused next to the form; the right one signs.
    page.locator('input[name="full_name"]').fill("Rossi")
    tick_consent(page)
    page.locator('#sign-form button[type="submit"]').click()
    expect(page.locator("#sign-form .alert-danger, #sign-form .alert-block")).to_contain_text("Luca Rossi")
    assert not Signature.objects.exists()
    assert_accessible(page)
    page.locator('input[name="full_name"]').fill("Luca Rossi")
    tick_consent(page)
    page.locator('#sign-form button[type="submit"]').click()

    expect(page.locator("#signature-record")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text(signatory.organisation.name)
    signature = Signature.objects.get()
    assert (signature.signer, signature.document_sha256) == (representative, document.sha256)
    expect(page.locator('[data-sha256="record"]')).to_have_text(signature.record_sha256)
    assert_accessible(page)
    page.goto(live_server.url + "/area-personale/")
    expect(page.locator("#pacts-to-sign-count")).to_have_count(0)  # nothing left to sign


def test_legal_representative_declines(live_server, browser_page):
    pact = OpenPactFactory()
    signatory = pact.signatories.order_by("pk").first()
    representative = legal_representative(signatory.organisation)
    page = browser_page
    log_in_as(page, live_server, representative)

    page.goto(f"{live_server.url}/patto/da-firmare/")
    page.locator(f'main a[href="/patto/firmatari/{signatory.pk}/rifiuta/"]').click()
    assert_accessible(page)
    page.locator('main form button[type="submit"]').click()  # no reason: refused next to the field
    expect(page.locator("#id_reason").locator("xpath=..").locator(".invalid-feedback")).to_be_visible()
    assert not Decline.objects.exists()
    assert_accessible(page)

    page.locator('textarea[name="reason"]').fill("Quest'anno non abbiamo le risorse per impegnarci.")
    page.locator('main form button[type="submit"]').click()

    expect(page).to_have_url(re.compile(rf"/patto/firmatari/{signatory.pk}/firma/$"))
    expect(page.locator("#decline-record")).to_contain_text("Quest'anno non abbiamo le risorse")
    assert Decline.objects.get().declined_by == representative
    assert_accessible(page)


def test_coordinator_closes_when_everyone_has_answered(live_server, browser_page):
    pact = OpenPactFactory()
    first, second = pact.signatories.order_by("pk")
    signed(pact, first.organisation)
    Decline.objects.create(
        pact=pact, organisation=second.organisation, reason="Nessuna risorsa.",
        declined_by=legal_representative(second.organisation),
    )
    page = browser_page
    log_in_as(page, live_server, steering_member(coordinator=True))

    page.goto(f"{live_server.url}/regia/patto/{pact.pk}/")
    expect(page.locator('[data-count="awaiting"]')).to_have_text("0")
    assert_accessible(page)
    page.locator(f'main a[href="/regia/patto/{pact.pk}/chiudi/"]').click()
    expect(page.locator("#not-closable")).to_have_count(0)
    assert_accessible(page)
    page.locator('main form button[type="submit"]').click()

    expect(page).to_have_url(re.compile(rf"/patto/{pact.pk}/$"))
    pact.refresh_from_db()
    final = pact.documents.get(kind=DocumentKind.PACT_FINAL)
    assert pact.status == Pact.Status.CLOSED
    expect(page.locator("#document-final")).to_contain_text(final.sha256)
    assert_accessible(page)
