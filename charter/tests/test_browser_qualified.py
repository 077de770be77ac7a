"""Signing the Patto with a qualified digital signature in a real browser: from the signing
page to the upload page, a refused file with its reason next to the field, then the signed file
accepted. Every page visited is checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from charter.models import Signature
from charter.tests import pki
from charter.tests.factories import OpenPactFactory, legal_representative
from charter.tests.test_browser_pacts import log_in_as
from projects.tests.factories import UserFactory
from welfare_portal.tests.browser import assert_accessible
from welfare_portal.tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_representative_uploads_the_signed_pact(live_server, browser_page, tmp_path):
    pact = OpenPactFactory()
    issued = pki.use_real_draft(pact)
    signatory = pact.signatories.order_by("pk").first()
    representative = legal_representative(signatory.organisation, user=UserFactory(full_name="Mario Rossi"))
    signed = pki.Authority().issue("RCCMNL83S18D969H").sign(issued)
    (tmp_path / "unsigned.pdf").write_bytes(issued)
    (tmp_path / "signed.pdf").write_bytes(signed)
    page = browser_page
    log_in_as(page, live_server, representative)

    page.goto(f"{live_server.url}/patto/firmatari/{signatory.pk}/firma/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    page.locator(f'main a[href="/patto/firmatari/{signatory.pk}/firma-digitale/"]').click()

    expect(page).to_have_url(re.compile(rf"/patto/firmatari/{signatory.pk}/firma-digitale/$"))
    expect(page.locator("#document-sha256")).to_have_text(pact.documents.get().sha256)
    assert_accessible(page)

    # An unsigned file is refused, with the reason next to the field.
    page.locator('input[name="signed_file"]').set_input_files(str(tmp_path / "unsigned.pdf"))
    page.locator('#qualified-form button[type="submit"]').click()
    expect(page.locator("#qualified-form .invalid-feedback, #qualified-form .alert-danger").first).to_be_visible()
    assert not Signature.objects.exists()
    assert_accessible(page)

    page.locator('input[name="signed_file"]').set_input_files(str(tmp_path / "signed.pdf"))
    page.locator('#qualified-form button[type="submit"]').click()

    expect(page).to_have_url(re.compile(rf"/patto/firmatari/{signatory.pk}/firma/$"))
    expect(page.locator("#signature-record")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text(signatory.organisation.name)
    assert Signature.objects.get().qualified_evidence.signed_file.read() == signed
    assert_accessible(page)
