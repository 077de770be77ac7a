"""The Content-Security-Policy: a strict header on every page, and pages it does not break.

The policy forbids inline scripts, event-handler attributes and inline styles; the pages must
have none. Here every page the demo data lets each role reach by following links is read for
them (fast, no browser); the browser tests check what Chromium itself blocks on the pages they
visit (welfare_portal.tests.browser)."""

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import bootstrap_italia_template
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from welfare_portal.management.demo_data import demo_email
from welfare_portal.models import User

pytestmark = pytest.mark.django_db

# Scripts of these types are data, never run (allauth passes its settings to its scripts so).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# Not pages: static and uploaded files, the language switch (POST), logging out.
NOT_PAGES = ("/static/", "/media/", "/i18n/", "/accounts/logout/")


def directives(response):
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def test_every_page_has_a_strict_policy(client):
    policy = directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'", "data:"]
    assert "unsafe" not in client.get("/")["Content-Security-Policy"]


def test_error_pages_and_files_have_the_policy_too(client):
    assert "script-src 'self'" in client.get("/pagina-che-non-esiste/")["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/healthz")["Content-Security-Policy"]


class InlineCode(HTMLParser):
    """What the policy would block in a page: inline scripts, event handlers, `javascript:`
    addresses, style elements and attributes."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.line_of_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"line {self.getpos()[0]}: <{tag}"
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append(f"{where}> inline script")
        if tag == "style":
            self.found.append(f"{where}> style element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{where} {name}=...> event handler")
            if name == "style":
                self.found.append(f"{where} style=\"{value}\"> style attribute")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{where} {name}=\"{value}\"> javascript: address")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def links(html):
    return re.findall(r'href="([^"]+)"', html)


def shape(path):
    """Pages that differ only in ids or codes (one organisation or another) count once."""
    return re.sub(r"/[A-Z0-9]{5}-[A-Z0-9]{5}/", "/<code>/", re.sub(r"/\d+/", "/<id>/", path))


def crawl(client, *starts):
    """Every page reachable from `starts` by following the portal's own links (once per shape,
    without query strings): the pages that answered 200, and what the policy would block on
    each page (error pages included)."""
    queue, seen, reached, found = deque(starts), set(), set(), {}
    while queue:
        path = queue.popleft()
        if shape(path) in seen:
            continue
        seen.add(shape(path))
        response = client.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if blocked := inline_code(html):
            found[path] = blocked
        if response.status_code != 200:
            continue
        reached.add(path)
        for href in links(html):
            parts = urlsplit(href.replace("&amp;", "&"))
            if not parts.scheme and not parts.netloc and parts.path.startswith("/") \
                    and not parts.path.startswith(NOT_PAGES):
                queue.append(parts.path)
    return reached, found


# Demo people whose pages differ (demo_data.DEMO_USERS): staff, the steering group's coordinator,
# a legal representative, the referent of a pending and a rejected organisation, a steering member
# who sits for an organisation.
CRAWLERS = ["staff", "regia", "legale", "referente", "francesca.conti"]


@pytest.mark.usefixtures("fast_password_hashing")
def test_no_page_of_any_role_has_code_the_policy_would_block(settings, tmp_path):
    """Anonymous visitors and the demo's people (each with an authenticator app), crawling from
    the home page (staff from the admin's too): some 200 pages."""
    settings.CHARTER_DEMO_SEAL_DIR = tmp_path / "seal"
    call_command("seed_demo", "--force", stdout=StringIO())
    visitors = [None, *(User.objects.get(email=demo_email(login)) for login in CRAWLERS)]

    reached, blocked = set(), {}
    for user in visitors:
        client = Client()
        if user:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, generate_totp_secret())
            client.force_login(user)
        pages, found = crawl(client, "/", *(["/admin/"] if user and user.is_staff else []))
        reached |= pages
        blocked.update({f"{user or 'anonymous'} {path}": code for path, code in found.items()})

    assert not blocked, "\n".join(f"{page}: {code}" for page, code in blocked.items())
    # The crawl really went everywhere: public, personal, steering, staff and admin pages.
    for page in ("/", "/accounts/login/", "/area-personale/", "/regia/", "/gestione/", "/admin/",
                 "/accounts/2fa/", "/verifica/", "/carta/"):
        assert page in reached, sorted(reached)
    assert len(reached) > 150, len(reached)


def test_the_theme_base_template_differs_from_the_themes_only_in_its_scripts():
    """templates/bootstrap-italia-base.html replaces design-django-theme's base template, whose
    two inline scripts the policy blocks. After upgrading the theme, copy its template again
    (this test says when) and make the same changes."""
    theirs = (Path(bootstrap_italia_template.__file__).parent / "templates" / "bootstrap-italia-base.html").read_text()
    ours = (settings.BASE_DIR / "templates" / "bootstrap-italia-base.html").read_text()
    fonts_script = """        <script>window.__PUBLIC_PATH__ = "{% django_bootstrap_italia_static_path 'fonts' %}"</script>\n"""
    fonts_loader = """        <script>\n            bootstrap.loadFonts('/bootstrap-italia/dist/fonts');\n        </script>\n"""
    fonts_stylesheet = (
        """        <link rel="stylesheet" href="{% static 'css/fonts.css' %}">\n"""
        """        <script src="{% static 'js/theme-settings.js' %}"></script>\n"""
    )

    # Demo words of blocks the portal replaces, kept out of the portal's catalogues.
    demo_words = {"""{% trans "Accedi" %}""": "Accedi", """{% trans "Seguici su" %}""": "Seguici su",
                  """{% trans 'Cerca' %}""": "Cerca"}
    expected = theirs.replace(fonts_script, fonts_stylesheet).replace(fonts_loader, "")
    for tag, word in demo_words.items():
        expected = expected.replace(tag, word)

    assert fonts_script in theirs and fonts_loader in theirs
    assert ours.split("{% endcomment %}", 1)[1] == expected
