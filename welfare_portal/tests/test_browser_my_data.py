"""A legal representative who signed the Patto downloads their data and closes their account, in
a real browser: from the personal area, through allauth's re-authentication, to the home page
logged out; every page scanned with axe, the closure page also at phone width."""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from charter import services as charter_services
from charter.models import Signature
from charter.tests.factories import OpenPactFactory, legal_representative
from partners.models import Membership
from partners.tests.factories import MembershipFactory
from welfare_portal.models import User
from welfare_portal.tests.browser import ARTIFACTS_DIR, assert_accessible, log_in_as, tick
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing"),
]

PHONE = {"width": 390, "height": 844}


def signer():
    user = UserFactory(full_name="Mario Rossi", email="mario.rossi@example.org")
    pact = OpenPactFactory()
    organisation = pact.signatories.order_by("pk").first().organisation
    legal_representative(organisation, user=user)
    MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT)
    charter_services.sign_pact(
        pact, by=user, organisation=organisation, full_name="Mario Rossi", consent=True,
        ip="198.51.100.4", user_agent="browser test", reauthenticated_at=timezone.now(),
    )
    return user


def test_download_my_data_then_close_my_account(live_server, browser_page):
    user = signer()
    page = browser_page
    log_in_as(page, live_server, user)

    page.goto(live_server.url + "/")
    page.locator('nav a[href="/area-personale/"]').first.click()
    page.locator('main a[href="/area-personale/i-miei-dati/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I miei dati e l'account")
    assert_accessible(page)

    # The download asks who it is first, then comes back here.
    page.locator("#my-data-confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    assert_accessible(page)
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/area-personale/i-miei-dati/$"))
    assert_accessible(page)
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "my_data_desktop.png"), full_page=True)
    with page.expect_download() as download_info:
        page.locator("#my-data-download").click()
    download = download_info.value
    assert re.fullmatch(r"dati-personali-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["account"]["email"] == "mario.rossi@example.org"
    assert [row["full_name"] for row in data["pact_signatures"]] == ["Mario Rossi"]

    # The closure page says what goes and what stays, at desktop and phone width.
    page.locator("#account-close-link").click()
    expect(page).to_have_url(re.compile(r"/area-personale/chiudi-account/$"))
    expect(page.locator("#closure-erased")).to_contain_text("mario.rossi@example.org")
    expect(page.locator("#closure-signatures")).to_contain_text("Mario Rossi")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS_DIR / "account_close_phone.png"), full_page=True)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS_DIR / "account_close_desktop.png"), full_page=True)

    tick(page, "id_confirm")
    page.locator('#account-close-form button[type="submit"]').click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".alert-success, .alert-info").first).to_contain_text("account")
    expect(page.locator('header a[href^="/accounts/login/"]')).to_be_visible()
    assert_accessible(page)

    closed = User.objects.get(pk=user.pk)
    assert not closed.is_active and closed.closed_at is not None
    assert Signature.objects.get(signer=closed).full_name == "Mario Rossi"


def test_the_privacy_notice_reads_well(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    page.locator('footer a[href="/privacy/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informativa sulla privacy")
    expect(page.locator("#privacy-controller-details")).to_contain_text("Comune di Legnano")
    expect(page.locator("#privacy-examples")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "privacy_notice_phone.png"), full_page=True)
    assert_accessible(page)
