"""Signing and declining the Patto on the portal: only the organisation's confirmed legal
representative, after a fresh re-authentication through allauth's own page, with the typed
name, the consent statement and the fingerprint the page showed; once, whatever is posted
again. And the "to sign" list and menu entry that lead there."""

import datetime
import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from charter import services
from charter.models import Decline, DocumentKind, Pact, Signature
from charter.services.signing import consent_statement
from charter.tests.factories import OpenPactFactory, PactFactory, legal_representative, steering_member
from partners.models import Membership
from projects.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from welfare_portal.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def pact():
    return OpenPactFactory()


@pytest.fixture
def signatory(pact):
    return pact.signatories.order_by("pk").first()


@pytest.fixture
def representative(signatory):
    return legal_representative(signatory.organisation, user=UserFactory(full_name="Luca Rossi"))


def sign_url(signatory):
    return reverse("charter:signatory-sign", args=[signatory.pk])


def decline_url(signatory):
    return reverse("charter:signatory-decline", args=[signatory.pk])


def reauthenticate(client, password=DEFAULT_PASSWORD):
    """Through allauth's page, as the person does."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()


def age_reauthentication(client, seconds):
    """Move the session's authentication records back in time, as allauth stores them."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= seconds
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


def logged_in_fresh(client, user):
    client.force_login(user)
    reauthenticate(client)
    return user


def sign_data(pact, **overrides):
    data = {
        "full_name": "Luca Rossi", "consent": "on",
        "document_sha256": pact.documents.get(kind=DocumentKind.PACT_DRAFT).sha256,
    }
    data.update(overrides)
    return data


def reauthentication_redirect(response, signatory):
    expected = f"{reverse('account_reauthenticate')}?next={sign_url(signatory).replace('/', '%2F')}"
    return response.status_code == 302 and response.url == expected


# --- Who may reach the signing page ----------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, signatory):
    for page in (sign_url(signatory), decline_url(signatory)):
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who, reason, explanation", [
    ("member", "member", "You are a member of"),
    ("unconfirmed", "unconfirmed", "staff have not confirmed your role yet"),
    ("other_representative", "other", "You are not the confirmed legal representative of"),
    ("staff", "staff", "Staff manage the pact but cannot sign or decline it"),
    ("coordinator", "other", "You are not the confirmed legal representative of"),
])
def test_only_the_confirmed_legal_representative_reaches_the_forms(client, pact, signatory, who, reason, explanation):
    organisation = signatory.organisation
    user = {
        "member": lambda: MembershipFactory(organisation=organisation).user,
        "unconfirmed": lambda: MembershipFactory(
            organisation=organisation, role=Membership.Role.LEGAL_REPRESENTATIVE,
        ).user,
        "other_representative": lambda: legal_representative(OrganisationFactory(verified=True)),
        "staff": lambda: UserFactory(staff=True, totp=True),
        "coordinator": lambda: steering_member(coordinator=True),
    }[who]()
    logged_in_fresh(client, user)

    response = client.get(sign_url(signatory))
    assert response.status_code == 403
    assert response.context["reason"] == reason and explanation in response.content.decode()
    assert client.get(decline_url(signatory)).status_code == 403
    response = client.post(sign_url(signatory), sign_data(pact, full_name=user.full_name))
    assert response.status_code == 403
    assert client.post(decline_url(signatory), {"reason": "No."}).status_code == 403
    assert not Signature.objects.exists() and not Decline.objects.exists()


def test_staff_never_sign_and_the_service_refuses_them_too(pact, signatory):
    """The rule says no to staff, and the service, the last line, asks the role itself."""
    staff = UserFactory(staff=True)
    assert not staff.has_perm("charter.sign_signatory", signatory)
    assert not staff.has_perm("charter.decline_signatory", signatory)
    with pytest.raises(services.CharterError, match="Only the confirmed legal representative"):
        services.sign_pact(
            pact, by=staff, organisation=signatory.organisation, full_name=staff.full_name, consent=True,
            ip="198.51.100.1", user_agent="", reauthenticated_at=timezone.now(),
        )
    assert not Signature.objects.exists()


def test_the_signatory_of_a_draft_pact_is_not_found(client):
    pact = PactFactory()
    signatory = pact.signatories.first()
    logged_in_fresh(client, legal_representative(signatory.organisation))
    assert client.get(sign_url(signatory)).status_code == 404
    assert client.get(decline_url(signatory)).status_code == 404


# --- Re-authentication -----------------------------------------------------------------------


def test_without_a_fresh_reauthentication_the_page_asks_for_the_password(client, signatory, representative):
    client.force_login(representative)
    response = client.get(sign_url(signatory))
    assert reauthentication_redirect(response, signatory)
    response = client.get(response.url)
    assert response.resolver_match.url_name == "account_reauthenticate"
    assert "To sign for" in response.content.decode()  # the reason, as a message on allauth's page


def test_a_stale_reauthentication_signs_nothing(client, pact, signatory, representative, settings):
    logged_in_fresh(client, representative)
    age_reauthentication(client, settings.CHARTER_REAUTHENTICATION_MAX_AGE + 1)
    response = client.post(sign_url(signatory), sign_data(pact))
    assert reauthentication_redirect(response, signatory)
    assert not Signature.objects.exists()


def test_logging_in_is_not_a_reauthentication(client, signatory, representative):
    client.post(reverse("account_login"), {"login": representative.email, "password": DEFAULT_PASSWORD})
    assert reauthentication_redirect(client.get(sign_url(signatory)), signatory)


def test_allauths_password_page_leads_back_to_the_signing_page(client, signatory, representative):
    client.force_login(representative)
    reauthentication_page = client.get(sign_url(signatory)).url
    response = client.post(reauthentication_page, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.url == sign_url(signatory)
    assert client.get(sign_url(signatory)).status_code == 200


def test_a_wrong_password_does_not_open_the_page(client, signatory, representative):
    client.force_login(representative)
    response = client.post(client.get(sign_url(signatory)).url, {"password": "not-the-password"})
    assert response.status_code == 200  # allauth shows its form again
    assert reauthentication_redirect(client.get(sign_url(signatory)), signatory)


def current_code(secret):
    remaining = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if remaining < 2:
        time.sleep(remaining)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def test_a_representative_with_an_authenticator_app_can_confirm_with_the_code(client, signatory, representative):
    secret = generate_totp_secret()
    TOTP.activate(representative, secret)
    client.force_login(representative)
    reauthentication_page = client.get(sign_url(signatory)).url
    page = client.get(reauthentication_page).content.decode()
    mfa_page = f"{reverse('mfa_reauthenticate')}?next={sign_url(signatory).replace('/', '%2F')}"
    assert escape(mfa_page) in page  # allauth offers the code instead of the password
    response = client.post(mfa_page, {"code": current_code(secret)})
    assert response.status_code == 302 and response.url == sign_url(signatory)
    assert client.get(sign_url(signatory)).status_code == 200


# --- Signing ---------------------------------------------------------------------------------


def test_the_signing_page_shows_the_pact_the_commitments_the_document_and_the_consent(
    client, pact, signatory, representative,
):
    logged_in_fresh(client, representative)
    response = client.get(sign_url(signatory))

    assert response.status_code == 200
    content = response.content.decode()
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    assert "Testo del patto." in content
    assert document.sha256 in content
    assert f'name="document_sha256" value="{document.sha256}"' in content
    assert escape(consent_statement(pact, signatory.organisation, document)) in content
    [(project_title, commitment)] = signatory.commitments()
    assert project_title in content and commitment["description"] in content
    assert f'href="{decline_url(signatory)}"' in content


def test_the_legal_representative_signs(client, pact, signatory, representative, on_commit):
    logged_in_fresh(client, representative)
    before = timezone.now()
    with on_commit():
        response = client.post(
            sign_url(signatory), sign_data(pact, full_name="  luca  ROSSI "),
            REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="Firefox/140", HTTP_X_FORWARDED_FOR="203.0.113.99",
        )

    assert response.status_code == 302 and response.url == sign_url(signatory)
    signature = Signature.objects.get()
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    assert (signature.signer, signature.organisation) == (representative, signatory.organisation)
    assert (signature.ip_address, signature.user_agent) == ("198.51.100.20", "Firefox/140")  # X-Forwarded-For ignored
    assert signature.document_sha256 == document.sha256
    assert before - datetime.timedelta(seconds=60) < signature.reauthenticated_at <= signature.signed_at
    assert [m.to for m in mail.outbox] == [[representative.email]]

    page = client.get(sign_url(signatory))
    content = page.content.decode()
    assert "has signed the pact" in content and signature.record_sha256 in content
    assert "Signed on" in content and signatory.organisation.name in content
    assert "sign-form" not in content


def test_the_client_address_from_a_trusted_proxy(client, pact, signatory, representative, settings):
    """Behind one proxy the evidence records the client, not the proxy, and not the leftmost
    entry of X-Forwarded-For, which the client itself may have written."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    logged_in_fresh(client, representative)
    client.post(
        sign_url(signatory), sign_data(pact),
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.99", HTTP_USER_AGENT="Firefox/140",
    )
    assert (Signature.objects.get().ip_address, Signature.objects.get().user_agent) == ("203.0.113.99", "Firefox/140")


def test_a_second_post_shows_the_existing_signature_and_signs_nothing_more(client, pact, signatory, representative):
    logged_in_fresh(client, representative)
    client.post(sign_url(signatory), sign_data(pact))
    first = Signature.objects.get()
    response = client.post(sign_url(signatory), sign_data(pact), follow=True)
    assert Signature.objects.get() == first
    content = response.content.decode()
    assert "has already signed this pact" in content and first.record_sha256 in content


@pytest.mark.parametrize("overrides, message", [
    ({"full_name": "Rossi"}, "Type your full name exactly as it appears in your account: Luca Rossi."),
    ({"consent": ""}, "Confirm the consent statement to sign."),
    ({"document_sha256": "0" * 64}, "The document has changed since you opened it"),
    ({"full_name": ""}, "This field is required."),
])
def test_bad_input_is_shown_and_nothing_is_signed(client, pact, signatory, representative, overrides, message):
    logged_in_fresh(client, representative)
    response = client.post(sign_url(signatory), sign_data(pact, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_another_representative_of_the_same_organisation_sees_the_signature(client, pact, signatory, representative):
    logged_in_fresh(client, representative)
    client.post(sign_url(signatory), sign_data(pact))
    client.logout()
    logged_in_fresh(client, legal_representative(signatory.organisation))
    response = client.post(sign_url(signatory), sign_data(pact), follow=True)
    assert "has signed the pact" in response.content.decode()
    assert Signature.objects.count() == 1


@pytest.mark.parametrize("change, reason", [
    ({"status": Pact.Status.CLOSED}, "it cannot be signed or declined now"),
    ({"deadline": datetime.date(2020, 1, 1)}, "The deadline for answering was"),
])
def test_a_pact_that_takes_no_answers_shows_why(client, pact, signatory, representative, change, reason):
    if "deadline" in change:
        change = {"deadline": timezone.localdate() - DAY}
    Pact.objects.filter(pk=pact.pk).update(**change)
    logged_in_fresh(client, representative)
    response = client.get(sign_url(signatory))
    assert response.status_code == 200 and reason in response.content.decode()
    assert "sign-form" not in response.content.decode()
    client.post(sign_url(signatory), sign_data(pact))
    assert not Signature.objects.exists()


# --- Declining -------------------------------------------------------------------------------


def test_the_legal_representative_declines_with_a_reason(client, signatory, representative, on_commit):
    member = steering_member()
    client.force_login(representative)  # declining binds nobody: no re-authentication asked
    page = client.get(decline_url(signatory))
    assert page.status_code == 200 and "Declining is final" in page.content.decode()

    with on_commit():
        response = client.post(decline_url(signatory), {"reason": "Non abbiamo le risorse quest'anno."})

    assert response.status_code == 302 and response.url == sign_url(signatory)
    decline = Decline.objects.get()
    assert (decline.organisation, decline.declined_by) == (signatory.organisation, representative)
    assert [m.to for m in mail.outbox] == [[member.email]]
    content = client.get(sign_url(signatory)).content.decode()
    assert "has declined the pact" in content and escape("Non abbiamo le risorse quest'anno.") in content


def test_declining_needs_a_reason(client, signatory, representative):
    client.force_login(representative)
    response = client.post(decline_url(signatory), {"reason": "  "})
    assert response.status_code == 200
    assert "Give the reason for declining" in response.content.decode()
    assert not Decline.objects.exists()


def test_after_signing_the_decline_page_leads_to_the_signature(client, pact, signatory, representative):
    logged_in_fresh(client, representative)
    client.post(sign_url(signatory), sign_data(pact))
    response = client.post(decline_url(signatory), {"reason": "Ci ho ripensato."})
    assert response.status_code == 302 and response.url == sign_url(signatory)
    assert not Decline.objects.exists() and Signature.objects.count() == 1


# --- What to sign ----------------------------------------------------------------------------


def test_the_to_sign_page_lists_what_the_person_can_still_answer(client, pact, signatory, representative):
    other_pact = OpenPactFactory()
    other = other_pact.signatories.first()
    legal_representative(other.organisation, user=representative)
    Decline.objects.create(pact=other_pact, organisation=other.organisation, declined_by=representative, reason="No")
    client.force_login(representative)
    response = client.get(reverse("charter:pacts-to-sign"))
    assert [s.pk for s in response.context["page"].object_list] == [signatory.pk]
    assert f'href="{sign_url(signatory)}"' in response.content.decode()


def test_the_to_sign_page_empty_and_for_anonymous(client):
    assert client.get(reverse("charter:pacts-to-sign")).status_code == 302
    client.force_login(UserFactory())
    assert "Nothing to sign" in client.get(reverse("charter:pacts-to-sign")).content.decode()


def test_the_personal_area_counts_what_waits_for_an_answer(client, pact, signatory, representative):
    link = f'href="{reverse("charter:pacts-to-sign")}"'
    client.force_login(representative)
    page = client.get(reverse("personal-area")).content.decode()
    assert link in page and 'id="pacts-to-sign-count">1<' in page
    client.post(decline_url(signatory), {"reason": "No."})
    assert 'id="pacts-to-sign-count"' not in client.get(reverse("personal-area")).content.decode()


def test_the_count_appears_as_soon_as_the_pact_opens(client):
    pact = PactFactory()
    signatory = pact.signatories.first()
    representative = legal_representative(signatory.organisation)
    client.force_login(representative)
    assert 'id="pacts-to-sign-count"' not in client.get(reverse("personal-area")).content.decode()
    coordinator = Client(HTTP_ACCEPT_LANGUAGE="en")
    coordinator.force_login(steering_member(coordinator=True))
    coordinator.post(reverse("charter:pact-open", args=[pact.pk]))
    assert 'id="pacts-to-sign-count">1<' in client.get(reverse("personal-area")).content.decode()
