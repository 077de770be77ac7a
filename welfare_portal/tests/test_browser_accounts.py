"""Accounts in a real browser: sign-up, login, two-factor set-up, language, keyboard access.

Every page a test visits is checked with axe (serious and critical violations fail). The
page texts are being translated, so the tests find elements by role, name attribute or URL
and assert Italian text only where it is data (names of people and places).
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import expect

from welfare_portal.models import User
from welfare_portal.tests.browser import assert_accessible, current_totp_code, submit
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing"),
]

LOGOUT_BUTTON = 'header form[action="/accounts/logout/"] button[type="submit"]'
LOGIN_LINK = 'header a[href^="/accounts/login/"]'
ACCOUNT_LINK = 'header .it-access-top-wrapper a[href="/accounts/email/"]'


def log_in(page, live_server, user, password=DEFAULT_PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(password)
    submit(page)
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()


def test_home_page_and_skip_link(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Ambito territoriale di Legnano"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welfare generativo")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert_accessible(page)

    # The first Tab from the top of the page lands on the skip link, which leads to the content.
    page.keyboard.press("Tab")
    skip_link = page.locator(".skiplinks a")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually hidden until focused
    expect(skip_link).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_sign_up_confirm_email_and_land_logged_in(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    page.locator('header a[href="/accounts/signup/"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    assert_accessible(page)

    page.locator('input[name="full_name"]').fill("Giulia Bianchi")
    page.locator('input[name="email"]').fill("giulia.bianchi@example.org")
    page.locator('input[name="password1"]').fill(DEFAULT_PASSWORD)
    page.locator('input[name="password2"]').fill(DEFAULT_PASSWORD)
    submit(page)

    # Verification is mandatory: the user is told to check the mailbox and is not logged in.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    assert_accessible(page)

    user = User.objects.get(email="giulia.bianchi@example.org")
    assert user.full_name == "Giulia Bianchi"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["giulia.bianchi@example.org"]
    match = re.search(r"https?://\S+/accounts/confirm-email/[^/\s]+/", message.body)
    assert match, f"No confirmation link in the email:\n{message.body}"
    assert match.group(0).startswith(live_server.url)

    page.goto(match.group(0))
    assert_accessible(page)
    submit(page)

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: the confirmation logs the new user in.
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()
    expect(page.locator(ACCOUNT_LINK)).to_contain_text("Giulia")
    assert_accessible(page)
    assert user.emailaddress_set.get().verified


def test_log_in_and_log_out(live_server, browser_page):
    page = browser_page
    user = UserFactory(full_name="Marco Rossi")
    page.goto(live_server.url + "/")
    page.locator(LOGIN_LINK).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    submit(page)

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(ACCOUNT_LINK)).to_contain_text("Marco")
    assert_accessible(page)

    page.locator(LOGOUT_BUTTON).click()
    expect(page.locator(LOGIN_LINK)).to_be_visible()
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    assert_accessible(page)


def test_wrong_password_shows_an_accessible_error(live_server, browser_page):
    page = browser_page
    user = UserFactory()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill("not-the-password")
    submit(page)
    expect(page.locator("main .alert-danger, main .invalid-feedback").first).to_be_visible()
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    assert_accessible(page)


def test_set_up_authenticator_app(live_server, browser_page, settings):
    # A code computed just before a 30-second boundary may reach the server just after it.
    settings.MFA_TOTP_TOLERANCE = 1
    page = browser_page
    user = UserFactory()
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/accounts/2fa/")
    assert_accessible(page)

    # Adding an authenticator is a sensitive operation: allauth asks for the password again,
    # even right after logging in.
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    assert_accessible(page)
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    submit(page)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert_accessible(page)
    secret_input = page.locator("#authenticator_secret")
    expect(secret_input).to_be_visible()
    secret = secret_input.input_value()
    assert re.fullmatch(r"[A-Z2-7]+=*", secret), secret

    page.locator('input[name="code"]').fill(current_totp_code(secret))
    submit(page)

    # The first authenticator also generates the recovery codes, shown right away.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.locator("#recovery_codes")).to_be_visible()
    assert_accessible(page)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    page.goto(f"{live_server.url}/accounts/2fa/")
    expect(page.locator('main a[href="/accounts/2fa/totp/deactivate/"]')).to_be_visible()
    assert_accessible(page)


def test_language_switch(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    html = page.locator("html")
    switch = page.locator("header form.language-switch")
    italian = switch.get_by_role("button", name="Italiano")
    english = switch.get_by_role("button", name="English")
    expect(html).to_have_attribute("lang", "it")
    expect(italian).to_have_attribute("aria-current", "true")
    expect(english).not_to_have_attribute("aria-current", "true")
    assert_accessible(page)

    english.click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/")
    expect(english).to_have_attribute("aria-current", "true")
    expect(italian).not_to_have_attribute("aria-current", "true")
    # English is the source language, so its texts are stable.
    expect(page.locator(LOGIN_LINK)).to_have_text("Log in")
    expect(page.locator("main")).to_contain_text("How the partnership works")
    assert_accessible(page)

    # The choice sticks on the next page.
    page.locator(LOGIN_LINK).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(html).to_have_attribute("lang", "en")
    assert_accessible(page)

    italian.click()
    expect(html).to_have_attribute("lang", "it")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(italian).to_have_attribute("aria-current", "true")
    expect(english).not_to_have_attribute("aria-current", "true")
    assert_accessible(page)
