"""Signing and declining the Patto: only the confirmed legal representative, only while open,
with consent, the right name and a fresh re-authentication; idempotent; recorded in full."""

import datetime
import hashlib
import time

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from charter import services
from charter.models import Decline, Pact, Signatory, Signature
from charter.reauthentication import recent_reauthentication
from charter.services import CharterError
from charter.tests.factories import OpenPactFactory, legal_representative, steering_member
from partners.models import Membership
from projects.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def pact():
    return OpenPactFactory()


@pytest.fixture
def organisation(pact):
    return pact.signatories.order_by("pk").first().organisation


@pytest.fixture
def representative(organisation):
    return legal_representative(organisation, user=UserFactory(full_name="Luca Rossi"))


def sign(pact, organisation, by, **overrides):
    arguments = {
        "full_name": getattr(by, "full_name", ""), "consent": True, "ip": "203.0.113.7", "user_agent": "Firefox/140",
        "reauthenticated_at": timezone.now() - datetime.timedelta(seconds=30),
    }
    arguments.update(overrides)
    return services.sign_pact(pact, by=by, organisation=organisation, **arguments)


def test_the_confirmed_legal_representative_signs(pact, organisation, representative, on_commit):
    with on_commit():
        signature = sign(pact, organisation, representative, full_name="  luca   ROSSI ")
    signature.refresh_from_db()
    document = pact.documents.get()
    assert (signature.signer, signature.organisation) == (representative, organisation)
    assert signature.full_name == "luca ROSSI"  # as typed, spaces collapsed
    assert (signature.ip_address, signature.user_agent) == ("203.0.113.7", "Firefox/140")
    assert signature.document == document
    assert signature.document_sha256 == document.sha256 == hashlib.sha256(document.read_bytes()).hexdigest()
    assert organisation.name in signature.consent_text and document.sha256 in signature.consent_text
    assert len(signature.record_sha256) == 64 and signature.signer_email == representative.email
    assert [m.to for m in mail.outbox] == [[representative.email]]
    assert document.sha256 in mail.outbox[0].body


def test_a_second_identical_call_returns_the_existing_signature(pact, organisation, representative):
    first = sign(pact, organisation, representative)
    again = sign(pact, organisation, representative)
    assert again.pk == first.pk and Signature.objects.count() == 1


def test_signing_again_after_closing_returns_the_signature(pact, organisation, representative):
    first = sign(pact, organisation, representative)
    Pact.objects.filter(pk=pact.pk).update(status=Pact.Status.CLOSED)
    assert sign(pact, organisation, representative).pk == first.pk


def test_another_representative_is_told_it_is_already_signed(pact, organisation, representative):
    sign(pact, organisation, representative)
    other = legal_representative(organisation)
    with pytest.raises(CharterError, match="has already signed this pact"):
        sign(pact, organisation, other)
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    "who",
    ["member", "referent", "unconfirmed_representative", "pending_representative", "other_representative",
     "staff", "coordinator"],
)
def test_only_the_confirmed_legal_representative_may_sign(pact, organisation, who):
    user = {
        "member": lambda: MembershipFactory(organisation=organisation).user,
        "referent": lambda: MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT).user,
        "unconfirmed_representative": lambda: MembershipFactory(
            organisation=organisation, role=Membership.Role.LEGAL_REPRESENTATIVE
        ).user,
        "pending_representative": lambda: MembershipFactory(
            organisation=organisation, role=Membership.Role.LEGAL_REPRESENTATIVE, pending=True
        ).user,
        "other_representative": lambda: legal_representative(OrganisationFactory(verified=True)),
        "staff": lambda: UserFactory(staff=True),
        "coordinator": lambda: steering_member(coordinator=True),
    }[who]()
    with pytest.raises(CharterError, match=f"Only the confirmed legal representative of {organisation.name}"):
        sign(pact, organisation, user)
    assert not Signature.objects.exists()


def test_anonymous_cannot_sign(pact, organisation):
    with pytest.raises(CharterError, match="You need to be logged in"):
        sign(pact, organisation, AnonymousUser(), full_name="Luca Rossi")


def test_an_organisation_that_is_not_a_signatory_cannot_sign(pact):
    outsider = OrganisationFactory(verified=True)
    with pytest.raises(CharterError, match="is not among the signatories"):
        sign(pact, outsider, legal_representative(outsider))


@pytest.mark.parametrize("status", [Pact.Status.DRAFT, Pact.Status.CLOSED])
def test_signing_refused_unless_the_pact_is_open(pact, organisation, representative, status):
    Pact.objects.filter(pk=pact.pk).update(status=status)
    with pytest.raises(CharterError, match="it cannot be signed or declined now"):
        sign(pact, organisation, representative)
    assert not Signature.objects.exists()


def test_signing_refused_after_the_deadline(pact, organisation, representative):
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)
    with pytest.raises(CharterError, match="The deadline for answering was"):
        sign(pact, organisation, representative)


def test_signing_on_the_deadline_day_is_allowed(pact, organisation, representative):
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate())
    assert sign(pact, organisation, representative).pk


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"consent": False}, "Confirm the consent statement"),
        ({"full_name": "Luca"}, "Type your full name exactly as it appears in your account: Luca Rossi."),
        ({"full_name": "Luca Rossì"}, "Type your full name exactly"),
        ({"full_name": ""}, "Type your full name exactly"),
        ({"reauthenticated_at": None}, "confirm your password"),
        # Offsets from the moment the test runs (a time taken at collection goes stale in a long run).
        ({"reauthenticated_at": datetime.timedelta(minutes=-6)}, "confirm your password"),
        ({"reauthenticated_at": datetime.timedelta(minutes=5)}, "confirm your password"),
        ({"document_sha256": "0" * 64}, "The document has changed since you opened it"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_signed(pact, organisation, representative, overrides, message):
    if isinstance(overrides.get("reauthenticated_at"), datetime.timedelta):
        overrides = {"reauthenticated_at": timezone.now() + overrides["reauthenticated_at"]}
    with pytest.raises(CharterError, match=message):
        sign(pact, organisation, representative, **overrides)
    assert not Signature.objects.exists()


def test_the_shown_fingerprint_is_accepted_when_it_matches(pact, organisation, representative):
    document = pact.documents.get()
    assert sign(pact, organisation, representative, document_sha256=document.sha256).pk


def test_reauthentication_age_follows_the_setting(pact, organisation, representative, settings):
    settings.CHARTER_REAUTHENTICATION_MAX_AGE = 20
    with pytest.raises(CharterError, match="within 1 minutes"):
        sign(pact, organisation, representative)


def test_a_long_user_agent_is_cut(pact, organisation, representative):
    signature = sign(pact, organisation, representative, user_agent="x" * 2000, ip="")
    assert len(signature.user_agent) == 500 and signature.ip_address is None


def test_the_steering_group_hears_when_the_last_signatory_answers(organisation, representative, on_commit):
    pact = Pact.objects.get(signatories__organisation=organisation)
    member = steering_member()
    others = pact.signatories.exclude(organisation=organisation)
    for signatory in others:
        Decline.objects.create(
            pact=pact, organisation=signatory.organisation, reason="No.",
            declined_by=legal_representative(signatory.organisation),
        )
    with on_commit():
        sign(pact, organisation, representative)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "Every signatory has answered" in subjects[member.email]


# Declining


def test_decline_with_a_reason(pact, organisation, representative, on_commit):
    member = steering_member()
    with on_commit():
        decline = services.decline_pact(pact, by=representative, organisation=organisation, reason=" Niente fondi. ")
    assert (decline.reason, decline.declined_by) == ("Niente fondi.", representative)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Niente fondi." in mail.outbox[0].body
    assert services.decline_pact(pact, by=representative, organisation=organisation, reason="x").pk == decline.pk


def test_decline_needs_a_reason_and_the_representative(pact, organisation, representative):
    with pytest.raises(CharterError, match="Give the reason"):
        services.decline_pact(pact, by=representative, organisation=organisation, reason="  ")
    with pytest.raises(CharterError, match="Only the confirmed legal representative"):
        services.decline_pact(pact, by=UserFactory(staff=True), organisation=organisation, reason="No")
    assert not Decline.objects.exists()


def test_an_answer_is_final(pact, organisation, representative):
    services.decline_pact(pact, by=representative, organisation=organisation, reason="No")
    with pytest.raises(CharterError, match="declined this pact on .*; that answer is final"):
        sign(pact, organisation, representative)
    other = pact.signatories.exclude(organisation=organisation).first().organisation
    other_representative = legal_representative(other)
    sign(pact, other, other_representative)
    with pytest.raises(CharterError, match="has already signed this pact"):
        services.decline_pact(pact, by=legal_representative(other), organisation=other, reason="No")


# The re-authentication helper the view uses


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    request.session = SessionStore()
    return request


def test_recent_reauthentication_reads_allauths_records():
    user = UserFactory()
    request = _request(user)
    assert recent_reauthentication(request) is None
    record_authentication(request, user, method="password")  # the login itself does not count
    assert recent_reauthentication(request) is None
    before = time.time()
    record_authentication(request, user, method="password", reauthenticated=True)
    moment = recent_reauthentication(request)
    assert moment.tzinfo is not None and abs(moment.timestamp() - before) < 5
    record_authentication(request, user, method="mfa", type="totp", reauthenticated=True)
    assert recent_reauthentication(request) >= moment


def test_recent_reauthentication_ignores_another_users_records():
    user = UserFactory()
    request = _request(user)
    record_authentication(request, user, method="password", reauthenticated=True)
    request.user = UserFactory()
    assert recent_reauthentication(request) is None
    request.user = AnonymousUser()
    assert recent_reauthentication(request) is None


# What the pages read


def test_awaiting_lists_what_the_representative_may_still_answer(pact, organisation, representative):
    signatory = pact.signatories.get(organisation=organisation)
    assert list(Signatory.objects.awaiting(representative)) == [signatory]
    assert not Signatory.objects.awaiting(UserFactory()).exists()
    commitments = signatory.commitments()
    project = pact.version.snapshot["themes"][0]["projects"][0]
    assert commitments and {title for title, _c in commitments} == {project["title"]}
    assert {c["organisation_id"] for _title, c in commitments} == {organisation.pk}
    sign(pact, organisation, representative)
    assert not Signatory.objects.awaiting(representative).exists()


def test_awaiting_leaves_out_pacts_past_their_deadline(pact, organisation, representative):
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)
    assert not Signatory.objects.awaiting(representative).exists()
