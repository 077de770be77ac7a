"""Browser-test harness (pytest plugin): Debian's Chromium driven by Playwright, and axe.

Registered in the top-level conftest.py through `pytest_plugins`. Browser tests look like::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_something(live_server, browser_page):
        browser_page.goto(live_server.url + "/")
        assert_accessible(browser_page)

Chromium is the system one (`/usr/bin/chromium`, Debian package `chromium`); Playwright never
downloads a browser here. Without it the browser tests are skipped on a developer's machine and
fail under CI (`CI=true`), so a CI image that lost Chromium cannot pass silently.

Each test gets a fresh browser context (Italian locale, 1280x900) and leaves a full-page
screenshot in `test-artifacts/<test name>.png` (gitignored), whatever the outcome. Every page
the context opens is watched for Content-Security-Policy violations (an inline script or style
the policy blocked, a font or image from elsewhere): the test fails at its end if there was one.
A test that opens more browsers takes them from `new_context(browser)`, watched the same way, and
may call `assert_no_csp_violations(page)` itself to say where.

Besides the fixtures, plain functions for the steps most browser tests share: `log_in_as`
(a session made by Django's test client, for tests that are not about the login form),
`tick` (a Bootstrap Italia checkbox or radio), `submit` (a form's submit button),
`field_error` (the message crispy shows next to a field) and `current_totp_code` (what an
authenticator app shows).
"""

import os
import re
import time
from pathlib import Path

import pytest

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "it-IT"
# Violations of these impacts fail a test; "minor" and "moderate" ones are left to review.
BLOCKING_IMPACTS = {"serious", "critical"}


# Rebuilt after each flush by post_migrate, or session-bound: never restored from the copy.
NOT_REFERENCE_DATA = {"contenttypes", "auth", "sessions", "admin"}


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup, django_db_blocker):
    """The rows the data migrations left in the fresh test database (policy areas, target
    groups, age bands, the rubric...), serialised once per session."""
    from django.apps import apps
    from django.core import serializers

    with django_db_blocker.unblock():
        rows = [
            row
            for model in apps.get_models()
            if model._meta.app_label not in NOT_REFERENCE_DATA and model._meta.managed
            and not model._meta.proxy
            for row in model._default_manager.order_by("pk")
        ]
        return serializers.serialize("json", rows)


@pytest.fixture(autouse=True)
def _browser_reference_data(request):
    """Browser tests run on a transactional database that the previous one flushed; put the
    migrated reference data back. (pytest-django's serialized_rollback cannot do it here: once
    Playwright's event loop runs, Django hands out a connection that lacks the serialised copy.)"""
    if request.node.get_closest_marker("browser") is None:
        return
    request.getfixturevalue("transactional_db")
    from django.core import serializers
    from django.db import connection, transaction

    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in serializers.deserialize("json", request.getfixturevalue("_migrated_data")):
            row.save()


@pytest.fixture(scope="session")
def browser():
    """Playwright's sync API with a headless Chromium, shared by the whole session."""
    if not os.path.exists(CHROMIUM_PATH):
        message = (
            f"Chromium not found at {CHROMIUM_PATH}: browser tests skipped "
            "(sudo apt-get install chromium)"
        )
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message.replace("skipped", "cannot run on CI"), pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running on the main thread; Django would
    # then refuse ORM calls from test code (and from every later test of the session) as
    # "async-unsafe". The tests are plain synchronous code, so the check does not apply.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Runs in every document before its own scripts (Playwright injects it, outside the page's
# policy) and hands each violation the browser reports to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__reportCspViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"}`
        + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`
        + (event.sample ? ` ("${event.sample}")` : "")
    );
}, true);
"""
_csp_violations = {}


def new_context(browser):
    """A fresh browser context (Italian, 1280x900) whose pages are watched for violations of the
    Content-Security-Policy: the `securitypolicyviolation` events of each document, and Chromium's
    console messages about the policy (which also name what a page loaded)."""
    context = browser.new_context(locale=LOCALE, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    violations = _csp_violations[id(context)] = []
    context.expose_binding(
        "__reportCspViolation", lambda source, text: violations.append(f"{source['page'].url}: {text}")
    )
    context.add_init_script(CSP_LISTENER)
    context.on("console", lambda message: violations.append(f"{message.page.url if message.page else '?'}: "
                                                             f"console: {message.text}")
               if "Content Security Policy" in message.text else None)
    context.on("close", lambda context: _csp_violations.pop(id(context), None))
    return context


def csp_violations(page_or_context):
    """What the policy blocked so far in the page's context (its events processed first)."""
    context = getattr(page_or_context, "context", page_or_context)
    for page in context.pages:
        try:  # a round trip: what the page reported before is handled before the answer
            page.evaluate("() => true")
        except Exception:  # a closed page or one between two documents has nothing more to say
            pass
    return list(_csp_violations.get(id(context), []))


def assert_no_csp_violations(page_or_context):
    violations = csp_violations(page_or_context)
    if violations:
        pytest.fail(
            f"The Content-Security-Policy blocked {len(violations)} thing(s):\n"
            + "\n".join(f"- {violation}" for violation in violations),
            pytrace=False,
        )


@pytest.fixture
def browser_page(browser, request):
    """A page in a fresh, watched browser context; a full-page screenshot is saved when the test
    ends, and the test fails if the Content-Security-Policy blocked anything on its pages."""
    context = new_context(browser)
    page = context.new_page()
    try:
        yield page
        violations = csp_violations(context)
    finally:
        try:
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
            page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True, timeout=5_000)
        except Exception as error:  # a screenshot must never hide the test's own outcome
            print(f"Screenshot of {request.node.nodeid} not saved: {error}")
        finally:
            context.close()
    if violations:
        pytest.fail(
            f"The Content-Security-Policy blocked {len(violations)} thing(s) on the pages of "
            f"{request.node.nodeid}:\n" + "\n".join(f"- {violation}" for violation in violations),
            pytrace=False,
        )


def format_violations(violations):
    """A readable list: one block per rule, with its first offending elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')}"
            f" [{len(violation.get('nodes', []))} element(s)] {violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", [])[:3]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().splitlines()
            if len(summary) > 1:
                lines.append(f"       {summary[1].strip()}")
    return "\n".join(lines)


def assert_accessible(page):
    """Run axe on the page as it is now; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    others = [v for v in violations if v not in blocking]
    if others:  # shown with the test's output (`-s`, or when it fails): worth a look, not fatal
        print(f"axe, minor/moderate on {page.url}:\n{format_violations(others)}")
    if blocking:
        pytest.fail(
            f"axe found {len(blocking)} serious/critical accessibility violation(s) on "
            f"{page.url}:\n{format_violations(blocking)}",
            pytrace=False,
        )
    return results


def log_in_as(page, live_server, user):
    """Reuse a session made by Django's test client: the login form has its own tests.
    Cookies already in the page's context (another user's session) are dropped first."""
    from django.test import Client

    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
    ])


def tick(page, input_id):
    """Bootstrap Italia draws checkboxes and radios on their label, which takes the click."""
    from playwright.sync_api import expect

    page.locator(f'label[for="{input_id}"]').click()
    expect(page.locator(f"#{input_id}")).to_be_checked()


def submit(page, form="main form[method='post']"):
    """Click the (first) submit button of the first form matching `form`; by default the
    first form in the page's main content that posts."""
    page.locator(form).first.locator('button[type="submit"]').first.click()


def field_error(page, name):
    """The error shown next to a field (crispy puts it in the field's wrapper)."""
    return page.locator(f"#div_id_{name} .invalid-feedback")


def current_totp_code(secret):
    """What the authenticator app shows; in a period's last two seconds, the next code, as a
    person would wait for it (so the code cannot expire on its way to the server)."""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 2:
        time.sleep(remaining)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
