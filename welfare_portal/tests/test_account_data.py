"""Downloading one's own data (GDPR arts. 15 and 20): a JSON attachment with the account, the
addresses, memberships and everything the person did, after a fresh re-authentication; nobody
else's data, whatever is in the database; every relation to the user has its part."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from charter import services as charter_services
from charter.tests.factories import OpenPactFactory, legal_representative
from partners.models import EventRegistration
from partners.tests.event_factories import EventRegistrationFactory
from partners.tests.factories import MembershipFactory, OrganisationFactory, SteeringGroupMemberFactory
from projects.tests.factories import CommitmentFactory, EvaluationFactory, ProposalFactory, ScoreFactory
from welfare_portal.accounts.export import PARTS
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

MY_DATA = reverse("my-data")
DOWNLOAD = reverse("my-data-download")


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def reauthenticate(client, password=DEFAULT_PASSWORD):
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()


def fill_the_portal_for(user, *, marker):
    """Rows of every kind that belong to `user`, each carrying `marker` in a text."""
    organisation = OrganisationFactory(verified=True, name=f"Associazione {marker}", created_by=user)
    MembershipFactory(user=user, organisation=organisation)
    proposal = ProposalFactory(title=f"Proposta {marker}", lead_organisation=organisation, created_by=user)
    CommitmentFactory(proposal=proposal, organisation=organisation, description=f"Impegno {marker}", created_by=user)
    ScoreFactory(evaluation=EvaluationFactory(evaluator=user, comment=f"Valutazione {marker}"))
    EventRegistrationFactory(email=user.email, name=f"Iscrizione {marker}")
    pact = OpenPactFactory()
    signatory = pact.signatories.order_by("pk").first()
    legal_representative(signatory.organisation, user=user)
    charter_services.sign_pact(
        pact, by=user, organisation=signatory.organisation, full_name=user.full_name, consent=True,
        ip="198.51.100.9", user_agent=f"Browser {marker}", reauthenticated_at=timezone.now(),
    )


def download(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 200, response
    return response, json.loads(response.content.decode())


def test_anonymous_is_sent_to_log_in(client):
    for url in (MY_DATA, DOWNLOAD):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_download_asks_to_confirm_it_is_you_first(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(MY_DATA).content.decode()
    assert DOWNLOAD not in page and reverse("account_reauthenticate") in page
    response = client.get(DOWNLOAD)
    assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))
    assert "next=" + MY_DATA.replace("/", "%2F") in response.url

    reauthenticate(client)
    assert DOWNLOAD in client.get(MY_DATA).content.decode()


def test_the_file_holds_the_persons_own_data_and_nobody_elses(client):
    user = UserFactory(full_name="Giulia Bianchi", email="giulia@example.org")
    other = UserFactory(full_name="Paolo Verdi", email="paolo@example.org")
    fill_the_portal_for(user, marker="MIA")
    fill_the_portal_for(other, marker="ALTRUI")
    EventRegistrationFactory(email="GIULIA@example.org", name="Iscrizione maiuscola")
    client.force_login(user)
    reauthenticate(client)

    response, data = download(client)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="dati-personali-')
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()

    assert data["account"]["email"] == "giulia@example.org" and data["account"]["full_name"] == "Giulia Bianchi"
    assert [row["email"] for row in data["email_addresses"]] == ["giulia@example.org"]
    assert "Associazione MIA" in [row["organisation"] for row in data["memberships"]]
    assert [row["title"] for row in data["proposals_created"]] == ["Proposta MIA"]
    assert [row["description"] for row in data["commitments_stated"]] == ["Impegno MIA"]
    assert [row["comment"] for row in data["evaluations"]] == ["Valutazione MIA"]
    assert len(data["evaluation_scores"]) == 1
    [signature] = data["pact_signatures"]
    assert signature["full_name"] == "Giulia Bianchi" and signature["user_agent"] == "Browser MIA"
    assert signature["ip_address"] == "198.51.100.9"
    assert sorted(row["name"] for row in data["event_registrations"]) == ["Iscrizione MIA", "Iscrizione maiuscola"]

    for foreign in ("ALTRUI", "Paolo Verdi", "paolo@example.org"):
        assert foreign not in text


def test_only_verified_addresses_find_event_registrations(client):
    """An address added but never confirmed may be someone else's: their registrations stay theirs."""
    user = UserFactory()
    user.emailaddress_set.create(email="not-mine@example.org", verified=False, primary=False)
    EventRegistrationFactory(email="not-mine@example.org", name="Registrazione di un altro")
    client.force_login(user)
    reauthenticate(client)
    _response, data = download(client)
    assert data["event_registrations"] == []
    assert "Registrazione di un altro" not in json.dumps(data)


def test_secrets_stay_out_of_the_file(client):
    user = UserFactory(totp=True)
    registration = EventRegistrationFactory(email=user.email)
    client.force_login(user)
    reauthenticate(client)
    response, data = download(client)
    assert [row["type"] for row in data["authenticators"]] == ["totp"]
    secret = Authenticator.objects.get(user=user).data["secret"]
    assert secret not in response.content.decode()
    assert registration.cancel_token not in response.content.decode()


def test_every_relation_to_the_user_has_its_part():
    """A model that gains a link to the user must say what of it the person downloads."""
    user_model = get_user_model()
    covered = {(part.model, part.user_field) for part in PARTS}
    missing = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model is user_model:
                if (model._meta.label, field.name) not in covered:
                    missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


def test_a_steering_member_finds_their_seat_and_registrations_by_email_only(client):
    user = UserFactory()
    SteeringGroupMemberFactory(user=user)
    EventRegistrationFactory(email="someone-else@example.org")
    client.force_login(user)
    reauthenticate(client)
    _response, data = download(client)
    assert len(data["steering_group_seats"]) == 1
    assert data["event_registrations"] == [] and EventRegistration.objects.count() == 1
