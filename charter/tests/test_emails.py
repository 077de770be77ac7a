"""The pact's emails link to the planned pages once they exist, and leave the link out before."""

import pytest
from django.core import mail

from charter import emails
from charter.tests.factories import OpenPactFactory, legal_representative

pytestmark = pytest.mark.django_db


def test_sign_request_links_to_the_signing_page_once_it_exists(settings):
    pact = OpenPactFactory()
    signatory = pact.signatories.first()
    legal_representative(signatory.organisation)
    settings.PORTAL_BASE_URL = "https://welfare.example.org"
    emails.send_pact_opened(pact)  # the real signing page (charter/urls/pacts.py)
    assert f"https://welfare.example.org/patto/firmatari/{signatory.pk}/firma/" in mail.outbox[0].body
    settings.ROOT_URLCONF = "charter.tests.urls_planned"
    emails.send_pact_opened(pact)
    assert f"https://welfare.example.org/patto/firmatari/{signatory.pk}/firma/" in mail.outbox[1].body
    assert "Sign “Patto di solidarietà” for" in mail.outbox[1].subject
