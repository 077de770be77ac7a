"""The Content-Security-Policy in a real browser: it blocks what it must, the harness tells, and
the theme (fonts, menu) and the Django admin still work under it."""

import pytest
from playwright.sync_api import expect

from welfare_portal.tests.browser import csp_violations, log_in_as, new_context
from welfare_portal.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing"),
]

INJECTED = '<script>window.injectedScriptRan = true;</script><p style="color: red" id="injected">!</p>'


def test_an_injected_inline_script_is_blocked_and_reported(live_server, browser):
    """What an attacker's markup would be, added to the real home page (its own headers kept):
    the script does not run, the inline style is not applied, and the harness reports both."""
    context = new_context(browser)
    try:
        page = context.new_page()

        def inject(route):
            response = route.fetch()
            route.fulfill(response=response, body=response.text().replace("</main>", INJECTED + "</main>"))

        page.route(live_server.url + "/", inject)
        page.goto(live_server.url + "/")

        assert page.evaluate("window.injectedScriptRan") is None
        assert page.evaluate("getComputedStyle(document.getElementById('injected')).color") != "rgb(255, 0, 0)"
        violations = csp_violations(page)
        assert any("script-src" in violation for violation in violations), violations
        assert any("style-src" in violation for violation in violations), violations
    finally:
        context.close()


def test_the_themes_fonts_and_scripts_work_under_the_policy(live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/")

    # The fonts come from the portal's stylesheet, not from the theme's inline script.
    loaded = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts]"
        ".filter(face => face.family.includes('Titillium Web') && face.status === 'loaded').length)"
    )
    assert loaded >= 1
    assert "Titillium Web" in page.evaluate("getComputedStyle(document.body).fontFamily")
    # Bootstrap Italia's script runs: the menu opens on a phone.
    menu = page.locator("#main-nav")
    expect(menu.locator('a[href="/"]').first).not_to_be_visible()
    page.locator("button.custom-navbar-toggler").click()
    expect(menu.locator('a[href="/"]').first).to_be_visible()


def test_the_django_admin_works_under_the_policy(live_server, browser_page):
    """The admin's own scripts are static files: the slug fills in from the name as staff type
    it (prepopulate.js), with nothing blocked (the harness checks every page)."""
    page = browser_page
    log_in_as(page, live_server, UserFactory(staff=True, totp=True))
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(live_server.url + "/admin/welfare_portal/policyarea/add/")

    page.locator("#id_name").press_sequentially("Nuova area di prova")

    expect(page.locator("#id_slug")).to_have_value("nuova-area-di-prova")
