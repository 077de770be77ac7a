"""Verifying a document in a real browser: typing the code printed on it, then comparing the
issued file and a modified copy. Pages checked with axe; elements found by id, name or URL."""

import hashlib
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from charter.models import Document, DocumentKind
from charter.services.versions import default_charter
from charter.tests.factories import PublishedVersionFactory, approved_proposal
from welfare_portal.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = b"%PDF-1.7 stand-in for the Carta\n%%EOF\n"


def test_anyone_verifies_a_document_by_code_and_file(live_server, browser_page, tmp_path):
    cache.clear()
    version = PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal()])
    document = Document(
        kind=DocumentKind.CHARTER, version=version, size=len(CONTENT), page_count=1,
        sha256=hashlib.sha256(CONTENT).hexdigest(),
    )
    document.file.save("charter.pdf", ContentFile(CONTENT), save=True)
    original, copy = tmp_path / "carta.pdf", tmp_path / "copia.pdf"
    original.write_bytes(CONTENT)
    copy.write_bytes(CONTENT.replace(b"Carta", b"Carte"))
    page = browser_page

    page.goto(live_server.url + "/")
    page.locator('footer a[href="/verifica/"]').click()
    expect(page).to_have_url(re.compile(r"/verifica/$"))
    assert_accessible(page)

    page.locator('input[name="code"]').fill(document.verification_code.lower().replace("-", " "))
    page.locator('#verification-code-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/verifica/{document.verification_code}/$"))
    expect(page.locator("[data-sha256]")).to_have_text(document.sha256)
    assert_accessible(page)

    page.locator('input[name="file"]').set_input_files(str(original))
    page.locator('#verification-upload-form button[type="submit"]').click()
    expect(page.locator("#verification-result")).to_have_attribute("data-result", "identical")
    assert_accessible(page)

    page.locator('input[name="file"]').set_input_files(str(copy))
    page.locator('#verification-upload-form button[type="submit"]').click()
    expect(page.locator("#verification-result")).to_have_attribute("data-result", "different")

    page.goto(live_server.url + "/verifica/ABCDE-23456/")
    expect(page.locator("#verification-unknown")).to_be_visible()
    assert_accessible(page)


def test_past_the_limit_the_verification_page_says_so_and_compares_nothing(live_server, browser_page, tmp_path, settings):
    cache.clear()
    settings.CHARTER_VERIFY_UPLOADS_PER_HOUR = 1
    version = PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal()])
    document = Document(
        kind=DocumentKind.CHARTER, version=version, size=len(CONTENT), page_count=1,
        sha256=hashlib.sha256(CONTENT).hexdigest(),
    )
    document.file.save("charter.pdf", ContentFile(CONTENT), save=True)
    original = tmp_path / "carta.pdf"
    original.write_bytes(CONTENT)
    page = browser_page
    page.goto(f"{live_server.url}/verifica/{document.verification_code}/")

    page.locator('input[name="file"]').set_input_files(str(original))
    page.locator('#verification-upload-form button[type="submit"]').click()
    expect(page.locator("#verification-result")).to_have_attribute("data-result", "identical")

    page.locator('input[name="file"]').set_input_files(str(original))
    page.locator('#verification-upload-form button[type="submit"]').click()
    expect(page.locator("#verification-refusal")).to_be_visible()
    expect(page.locator("#verification-result")).to_have_count(0)
    assert_accessible(page)
