"""Maximum lengths and clean names in the charter pages: the Carta's texts, the Patto's text and
a decline's reason are bounded (Django's message, nothing changes; a 2.4 MB introduction is
refused before it is read), and the name a signer types is stored clean."""

import re

import pytest
from django.urls import reverse

from charter.models import Decline, Pact, Signature
from charter.services.versions import default_charter
from charter.tests.factories import CharterVersionFactory, OpenPactFactory, PactFactory, legal_representative
from charter.tests.test_views_signing import decline_url, logged_in_fresh, sign_data, sign_url
from charter.tests.test_views_versions import log_in, state
from projects.tests.factories import UserFactory
from welfare_portal.fields import INTRODUCTION_LENGTH, LONG_TEXT_LENGTH, TEXT_LENGTH
from welfare_portal.tests.texts import RLO, too_long

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def version_update(draft):
    return reverse("charter:version-update", args=[draft.pk])


def test_the_texts_say_their_maximum(client):
    draft = CharterVersionFactory(charter=default_charter())
    log_in(client, "member")
    html = client.get(version_update(draft)).content.decode()
    assert re.search(r'<textarea name="introduction"[^>]*maxlength="6000"', html)
    assert re.search(r'<textarea name="principles"[^>]*maxlength="6000"', html)


def test_an_over_long_introduction_is_refused_and_changes_nothing(client):
    draft = CharterVersionFactory(charter=default_charter())
    before = state(draft)
    log_in(client, "member")
    response = client.post(version_update(draft), {
        "introduction": "x" * (INTRODUCTION_LENGTH + 1), "principles": "- Uno",
    })
    assert response.status_code == 200
    assert too_long(INTRODUCTION_LENGTH) in response.content.decode()
    assert state(draft) == before


def test_a_2_4_mb_introduction_is_refused_before_it_is_read(client):
    """The text that made approval take 88 s: over the form fields' allowance, the request is
    answered 413 and its body never parsed."""
    draft = CharterVersionFactory(charter=default_charter())
    before = state(draft)
    log_in(client, "member")
    response = client.post(version_update(draft), {"introduction": "x" * 2_400_000, "principles": ""})
    assert response.status_code == 413
    assert "This page accepts no files and at most 1.0\xa0MB of text" in response.content.decode()
    assert state(draft) == before


def test_an_over_long_pact_text_is_refused(client):
    pact = PactFactory(title="Patto")
    log_in(client, "member")
    response = client.post(reverse("charter:pact-update", args=[pact.pk]), {
        "title": "Patto", "text": "x" * (LONG_TEXT_LENGTH + 1), "deadline": pact.deadline.isoformat(),
    })
    assert too_long(LONG_TEXT_LENGTH) in response.content.decode()
    assert Pact.objects.get().text == "Testo del patto."


def test_an_over_long_reason_for_declining_is_refused(client):
    signatory = OpenPactFactory().signatories.order_by("pk").first()
    client.force_login(legal_representative(signatory.organisation))
    response = client.post(decline_url(signatory), {"reason": "x" * (TEXT_LENGTH + 1)})
    assert too_long(TEXT_LENGTH) in response.content.decode()
    assert not Decline.objects.exists()


def test_the_name_a_signer_types_is_compared_and_stored_clean(client):
    pact = OpenPactFactory()
    signatory = pact.signatories.order_by("pk").first()
    logged_in_fresh(client, legal_representative(signatory.organisation, user=UserFactory(full_name="Luca Rossi")))
    client.post(sign_url(signatory), sign_data(pact, full_name=f"Luca{RLO}\u200b Rossi"))
    assert Signature.objects.get().full_name == "Luca Rossi"
