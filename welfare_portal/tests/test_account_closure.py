"""Closing one's account (GDPR art. 17): the page says what is erased and what is kept and why;
after a fresh re-authentication and a deliberate tick, the account can no longer log in, the
personal data not needed as a record are gone, and the kept signature still names its signer.
Staff, steering members, an organisation's only referent and a legal representative with a
Patto to answer alone are told what to do first, and nothing changes."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from charter import services as charter_services
from charter.models import Signature
from charter.services.signing import record_fingerprint
from charter.tests.factories import OpenPactFactory, legal_representative
from partners.models import EventRegistration, Membership, MembershipStatusChange
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import MembershipFactory, OrganisationFactory, SteeringGroupMemberFactory
from projects.tests.factories import EvaluationFactory, FocusGroupFactory
from welfare_portal.accounts.closure import AccountError, close_account
from welfare_portal.models import User
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory, give_authenticator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

CLOSE = reverse("account-close")
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def reauthenticate(client, password=DEFAULT_PASSWORD):
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()


def logged_in_fresh(client, user):
    client.force_login(user)
    reauthenticate(client)
    return client


@pytest.fixture
def signer():
    """A legal representative who signed an open Patto for their organisation (so nothing awaits
    their answer), with a second, plain membership, an authenticator, two registrations (one to
    come, with someone waiting for a seat; one past), a focus group they facilitate and an
    evaluation."""
    user = UserFactory(full_name="Mario Rossi", email="mario.rossi@example.org", totp=True)
    pact = OpenPactFactory()
    signatory = pact.signatories.order_by("pk").first()
    legal_representative(signatory.organisation, user=user, representative_tax_code="RSSMRA80A01F205X")
    MembershipFactory(organisation=signatory.organisation, role=Membership.Role.REFERENT)  # someone else manages it
    charter_services.sign_pact(
        pact, by=user, organisation=signatory.organisation, full_name="Mario Rossi", consent=True,
        ip="198.51.100.4", user_agent="test", reauthenticated_at=timezone.now(),
    )
    plain = MembershipFactory(user=user, organisation=OrganisationFactory(verified=True, name="Banco di Solidarietà"))
    upcoming = EventFactory(title="Assemblea dei partner", capacity=1)
    EventRegistrationFactory(event=upcoming, email=user.email)
    EventRegistrationFactory(event=upcoming, waiting=True, email="waiting@example.org")
    EventRegistrationFactory(event=EventFactory(past=True), email=user.email)
    FocusGroupFactory(title="Abitare insieme", facilitators=[user])
    EvaluationFactory(evaluator=user, comment="Fattibile.")
    user.test_pact, user.test_plain = pact, plain
    return user


def test_anonymous_is_sent_to_log_in(client):
    for method in (client.get, client.post):
        response = method(CLOSE)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_page_says_what_is_erased_and_what_is_kept(client, signer):
    client.force_login(signer)
    response = client.get(CLOSE)
    content = response.content.decode()
    assert response.status_code == 200
    erased = content[content.index('id="closure-erased"'):content.index('id="closure-kept"')]
    kept = content[content.index('id="closure-kept"'):]
    assert "mario.rossi@example.org" in erased and "Banco di Solidarietà" in erased
    assert "Assemblea dei partner" in erased and "Abitare insieme" in erased
    assert "Patto di solidarietà" in kept and "signed on" in kept and "Mario Rossi" in kept
    assert "art. 17(3)(b) and (e)" in kept
    # Not re-authenticated yet: the page leads there instead of showing the form.
    assert 'id="account-close-form"' not in content and 'id="account-close-confirm"' in content


def test_closing_needs_a_fresh_reauthentication_and_a_tick(client, signer):
    client.force_login(signer)
    response = client.post(CLOSE, {"confirm": "on"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))
    assert "next=" + CLOSE.replace("/", "%2F") in response.url

    reauthenticate(client)
    response = client.post(CLOSE, {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    signer.refresh_from_db()
    assert signer.is_active and signer.closed_at is None and mail.outbox == []


def test_closing_erases_what_is_not_a_record_and_keeps_the_signature(client, signer, django_capture_on_commit_callbacks):
    other_session = Client()
    other_session.force_login(signer)
    signature = Signature.objects.get(signer=signer)
    pact, plain = signer.test_pact, signer.test_plain
    logged_in_fresh(client, signer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CLOSE, {"confirm": "on"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert "Your account has been closed" in client.get(response.url).content.decode()

    user = User.objects.get(pk=signer.pk)
    assert not user.is_active and user.closed_at is not None and not user.has_usable_password()
    assert "mario" not in user.email.lower() and "Mario" not in user.full_name
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not user.facilitated_focus_groups.exists()
    assert not EventRegistration.objects.filter(email__iexact="mario.rossi@example.org").exists()
    assert EventRegistration.objects.get(email="waiting@example.org").status == EventRegistration.Status.CONFIRMED

    # Memberships end and say so; the codice fiscale stays only where the kept signature needs it.
    memberships = {m.organisation_id: m for m in Membership.objects.filter(user=user)}
    assert {m.status for m in memberships.values()} == {Membership.Status.ENDED}
    assert memberships[signature.organisation_id].representative_tax_code == "RSSMRA80A01F205X"
    assert memberships[plain.organisation_id].representative_tax_code == ""
    assert MembershipStatusChange.objects.filter(
        membership__user=user, to_status=Membership.Status.ENDED, changed_by=user,
    ).count() == 2
    assert not Membership.objects.confirmed_legal_representatives().filter(user=user).exists()

    # The signature is untouched, its fingerprint still holds, and the public page names the signer.
    kept = Signature.objects.get(pk=signature.pk)
    assert (kept.full_name, kept.signer_email) == ("Mario Rossi", "mario.rossi@example.org")
    assert record_fingerprint(kept) == kept.record_sha256 == signature.record_sha256
    assert "Mario Rossi" in client.get(reverse("charter:pact-detail", args=[pact.pk])).content.decode()

    # Nobody can log in or stay logged in; the person was told by email.
    assert not Client().login(email="mario.rossi@example.org", password=DEFAULT_PASSWORD)
    login = Client().post(reverse("account_login"), {"login": "mario.rossi@example.org", "password": DEFAULT_PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session
    assert other_session.get(reverse("personal-area")).status_code == 302
    assert client.get(reverse("personal-area")).status_code == 302
    closed = [m for m in mail.outbox if m.to == ["mario.rossi@example.org"] and "closed" in m.subject]
    assert len(closed) == 1 and "signature of the Patto" in closed[0].body


@pytest.mark.parametrize("case, message", [
    ("staff", "ask another member of staff to remove your staff role first"),
    ("steering", "You have a seat in the steering group"),
    ("future_steering", "You have a seat in the steering group"),
    ("only_referent", "You are the only referent of Associazione Sola"),
    ("only_representative", "you are its only legal representative"),
])
def test_who_must_hand_over_first_is_told_and_nothing_changes(client, case, message):
    user = UserFactory()
    if case == "staff":
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.refresh_from_db()
        give_authenticator(user)  # staff reach no page without one
    elif case == "steering":
        SteeringGroupMemberFactory(user=user)
    elif case == "future_steering":
        SteeringGroupMemberFactory(user=user, start_date=timezone.localdate() + 10 * DAY)
    elif case == "only_referent":
        OrganisationFactory(verified=True, name="Associazione Sola", referent=user)
    else:
        pact = OpenPactFactory()
        organisation = pact.signatories.order_by("pk").first().organisation
        legal_representative(organisation, user=user)
        MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT)
    logged_in_fresh(client, user)

    page = client.get(CLOSE).content.decode()
    assert message in page and 'id="account-close-form"' not in page
    response = client.post(CLOSE, {"confirm": "on"})
    assert response.status_code == 400 and message in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.closed_at is None and EmailAddress.objects.filter(user=user).exists()


def test_another_legal_representative_can_answer_so_closing_is_allowed_with_a_warning(client):
    user = UserFactory()
    pact = OpenPactFactory()
    organisation = pact.signatories.order_by("pk").first().organisation
    legal_representative(organisation, user=user)
    legal_representative(organisation)
    logged_in_fresh(client, user)
    page = client.get(CLOSE).content.decode()
    assert "another legal representative of the organisation can sign it" in page
    assert 'id="account-close-form"' in page
    assert client.post(CLOSE, {"confirm": "on"}).status_code == 302
    assert not User.objects.get(pk=user.pk).is_active


def test_a_past_steering_seat_and_an_ended_one_do_not_block(client):
    user = UserFactory()
    SteeringGroupMemberFactory(user=user, ended=True)
    logged_in_fresh(client, user)
    assert client.post(CLOSE, {"confirm": "on"}).status_code == 302
    assert User.objects.get(pk=user.pk).closed_at is not None


def test_only_the_person_closes_their_own_account():
    user, other = UserFactory(), UserFactory()
    with pytest.raises(AccountError, match="Only the person who owns an account"):
        close_account(user, by=other)
    close_account(user, by=user)
    with pytest.raises(AccountError, match="already closed"):
        close_account(User.objects.get(pk=user.pk), by=user)
