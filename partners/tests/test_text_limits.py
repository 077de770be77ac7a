"""Maximum lengths and clean names in the partners pages: an over-long text gets Django's
message next to its field and changes nothing (the textarea says its maximum), on the pages and
in the admin's actions; names are stored NFC, without invisible characters or line breaks."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from partners.models import EventRegistration, Organisation
from partners.tests.event_factories import EventFactory
from partners.tests.factories import OrganisationFactory
from partners.tests.test_views_organisations import (
    REGISTER_URL,
    edit_data,
    login,
    registration_data,
    snapshot,
    url,
)
from welfare_portal.fields import NOTE_LENGTH, TEXT_LENGTH
from welfare_portal.tests.factories import UserFactory
from welfare_portal.tests.texts import RLO, too_long

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_description_textarea_says_its_maximum(client):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(referent=referent)
    html = client.get(url("organisation-edit", organisation.pk)).content.decode()
    assert re.search(r'<textarea name="description"[^>]*maxlength="4000"', html)


def test_an_over_long_description_is_refused_and_changes_nothing(client):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(referent=referent, description="Servizi per l'abitare.")
    before = snapshot()
    response = client.post(
        url("organisation-edit", organisation.pk), edit_data(organisation, description="x" * (TEXT_LENGTH + 1)),
    )
    assert response.status_code == 200
    assert too_long(TEXT_LENGTH) in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.description == "Servizi per l'abitare."
    assert snapshot() == before


def test_staff_rejection_with_an_over_long_reason_is_refused(client):
    organisation = OrganisationFactory()
    login(client, UserFactory(staff=True, totp=True))
    before = snapshot()
    response = client.post(url("staff-organisation-reject", organisation.pk), {"reason": "x" * (NOTE_LENGTH + 1)})
    assert response.status_code == 200
    assert too_long(NOTE_LENGTH) in response.content.decode()
    assert snapshot() == before


def test_the_admin_reject_action_says_the_reason_is_too_long(client):
    """The action bar has no form of its own: the service answers with the form's message."""
    organisation = OrganisationFactory()
    login(client, UserFactory(staff=True))
    before = snapshot()
    response = client.post("/admin/partners/organisation/", {
        "action": "reject_selected", ACTION_CHECKBOX_NAME: [organisation.pk], "index": 0,
        "reason": "x" * (NOTE_LENGTH + 1),
    }, follow=True)
    assert too_long(NOTE_LENGTH) in response.content.decode()
    assert snapshot() == before


def test_an_organisation_name_is_stored_without_bidi_controls_and_nfc(client):
    login(client, UserFactory())
    response = client.post(REGISTER_URL, registration_data(name=f"Cooperativa{RLO} Il Ponte Societa\u0300"))
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == "Cooperativa Il Ponte Società"
    page = client.get(url("organisation-detail", organisation.pk)).content.decode()
    assert RLO not in page and "Cooperativa Il Ponte Società" in page


def test_an_event_registration_name_is_cleaned_and_bounded(client):
    event = EventFactory()
    register = url("event-detail", event.pk)
    data = {"email": "anna@example.org", "privacy_consent": "on", "organisation_name": "Auser\u200b Legnano"}
    response = client.post(register, {**data, "name": "A" * 201})
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
    assert not EventRegistration.objects.exists()

    client.post(register, {**data, "name": f"Anna{RLO}\r\nBianchi"})
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.organisation_name) == ("Anna Bianchi", "Auser Legnano")
