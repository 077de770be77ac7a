"""Two-factor authentication in a real browser, for the two roles that need it: a staff member
and a member of the steering group, each without an authenticator app yet, log in, try to
open their page, are sent to the set-up with the reason, activate an authenticator app and
continue to the page. Every page they see passes axe."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.utils import translation
from playwright.sync_api import expect

from partners.tests.factories import SteeringGroupMemberFactory
from welfare_portal.middleware import TwoFactorMiddleware
from welfare_portal.tests.browser import ARTIFACTS_DIR, assert_accessible, current_totp_code, submit
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing"),
]


def screenshot(page, role, step):
    """The key pages, for a person to look at: test-artifacts/two-factor/<role>-<step>.png."""
    (ARTIFACTS_DIR / "two-factor").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "two-factor" / f"{role}-{step}.png"), full_page=True)


def italian(message):
    with translation.override("it"):
        return str(message)


@pytest.mark.parametrize("role", ["staff", "steering"])
def test_set_up_two_factor_when_sent_to_it_then_continue(role, live_server, browser_page, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code read just before a period ends may arrive just after
    page = browser_page
    if role == "staff":
        user = UserFactory(staff=True, totp=False, full_name="Giulia Ferrari")
        target, reason = "/gestione/", TwoFactorMiddleware.STAFF_MESSAGE
    else:
        user = SteeringGroupMemberFactory(totp=False, user__full_name="Marco Colombo").user
        target, reason = "/regia/", TwoFactorMiddleware.STEERING_MESSAGE

    # Log in with the password only.
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    submit(page)
    expect(page.locator('header form[action="/accounts/logout/"]')).to_be_visible()

    if role == "steering":
        # Their organisation's pages need nothing more; the menu shows them the workspace.
        expect(page).to_have_url(live_server.url + "/")
        page.locator(f'nav a[href="{target}"]').first.click()
    else:
        # Staff are sent to the set-up from any page, the home page included.
        expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
        page.goto(live_server.url + target)

    # The set-up says why; allauth first asks for the password again.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.locator(".alert-warning").first).to_have_text(italian(reason))
    assert_accessible(page)
    screenshot(page, role, "1-reason")
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    submit(page)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert_accessible(page)
    screenshot(page, role, "2-set-up")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator('input[name="code"]').fill(current_totp_code(secret))
    submit(page)

    # The recovery codes, and the way back to the page they wanted.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.locator("#recovery_codes")).to_be_visible()
    continue_link = page.locator("#two-factor-continue-link")
    expect(continue_link).to_have_attribute("href", target)
    assert_accessible(page)
    screenshot(page, role, "3-continue")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    continue_link.click()
    expect(page).to_have_url(live_server.url + target)
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".alert-warning")).to_have_count(0)
    assert_accessible(page)
