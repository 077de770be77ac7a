"""The page where the legal representative uploads the Patto signed with a qualified digital
signature: the same gate as signing on the portal; the file checked, refused with a reason that
says what to do, recorded once; the steering group sees how it was checked and downloads it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from charter.models import Decline, QualifiedSignatureEvidence, Signature
from charter.tests import pki
from charter.tests.factories import OpenPactFactory, legal_representative, steering_member
from charter.tests.test_views_signing import age_reauthentication, logged_in_fresh
from partners.models import Membership
from projects.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TAX_CODE = "RCCMNL83S18D969H"


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(scope="module")
def authority():
    return pki.Authority()


@pytest.fixture(scope="module")
def credential(authority):
    return authority.issue(TAX_CODE)


@pytest.fixture
def pact():
    return OpenPactFactory()


@pytest.fixture
def signatory(pact):
    return pact.signatories.order_by("pk").first()


@pytest.fixture
def issued(pact):
    return pki.use_real_draft(pact)


@pytest.fixture
def representative(signatory):
    return legal_representative(signatory.organisation, user=UserFactory(full_name="Mario Rossi"))


def qualified_url(signatory):
    return reverse("charter:signatory-sign-qualified", args=[signatory.pk])


def upload(data, name="patto-firmato.pdf"):
    return {"signed_file": SimpleUploadedFile(name, data, content_type="application/pdf")}


def nothing_recorded():
    return not Signature.objects.exists() and not QualifiedSignatureEvidence.objects.exists()


def test_the_signing_page_links_to_the_qualified_signature(client, signatory, representative):
    logged_in_fresh(client, representative)
    response = client.get(reverse("charter:signatory-sign", args=[signatory.pk]))
    assert qualified_url(signatory) in response.content.decode()


def test_the_page_shows_the_document_to_download_and_the_form(client, pact, signatory, representative, issued):
    logged_in_fresh(client, representative)
    response = client.get(qualified_url(signatory))
    assert response.status_code == 200
    content = response.content.decode()
    document = pact.documents.get()
    assert reverse("charter:document-download", args=[document.pk]) in content
    assert document.sha256 in content and 'name="signed_file"' in content and 'enctype="multipart/form-data"' in content


def test_the_legal_representative_signs_by_upload(
    client, settings, tmp_path, pact, signatory, representative, issued, authority, credential, mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.CHARTER_TRUSTED_ROOTS_DIR = str(tmp_path)
    pki.write_root(tmp_path, authority)
    logged_in_fresh(client, representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(qualified_url(signatory), upload(credential.sign(issued)))
    assert response.status_code == 302 and response.url == reverse("charter:signatory-sign", args=[signatory.pk])
    signature = Signature.objects.get()
    assert signature.signer == representative and signature.qualified_evidence.issuer_verified
    assert [message.to for message in mailoutbox] == [[representative.email]]
    page = client.get(response.url)
    assert "Your qualified digital signature has been checked and recorded" in page.content.decode()
    # Once answered, the upload page leads to the answer.
    again = client.post(qualified_url(signatory), upload(credential.sign(issued)))
    assert again.status_code == 302 and Signature.objects.count() == 1


def test_the_qualified_signature_records_the_client_behind_the_proxy(
    client, settings, pact, signatory, representative, issued, credential,
):
    settings.CHARTER_TRUSTED_ROOTS_DIR = ""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    logged_in_fresh(client, representative)
    client.post(
        qualified_url(signatory), upload(credential.sign(issued)),
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.99",
    )
    assert Signature.objects.get().ip_address == "203.0.113.99"


def test_the_steering_group_sees_the_status_and_downloads_the_file(
    client, settings, pact, signatory, representative, issued, credential,
):
    settings.CHARTER_TRUSTED_ROOTS_DIR = ""
    logged_in_fresh(client, representative)
    signed = credential.sign(issued)
    client.post(qualified_url(signatory), upload(signed))
    download_url = reverse("charter:signatory-signed-file", args=[signatory.pk])

    assert client.get(download_url).status_code == 403  # the signer is not the steering group

    client.force_login(steering_member())
    content = client.get(reverse("charter:pact-progress", args=[pact.pk])).content.decode()
    assert "Digital signature: integrity verified, issuer not verified" in content and download_url in content
    response = client.get(download_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("case, message", [
    ("someone_else", "The file was signed by someone else"),
    ("altered", "is not the text for signing issued by the portal"),
    ("appended", "The file was changed after it was signed"),
    ("expired", "certificate was not valid when the file was signed"),
    ("unsigned", "The PDF has no digital signature"),
    ("not_pdf", "The file is not a PDF"),
    ("missing", "Choose the signed PDF to upload."),
])
def test_bad_files_are_refused_with_a_reason_and_nothing_recorded(
    client, settings, signatory, representative, issued, authority, credential, case, message,
):
    settings.CHARTER_QUALIFIED_MAX_MB = 1
    now = datetime.datetime.now(datetime.timezone.utc)
    data = {
        "someone_else": lambda: authority.issue("BNCGVN80A01F205X").sign(issued),
        "altered": lambda: credential.sign(issued.replace(b"/Title", b"/Titlf", 1)),
        "appended": lambda: pki.append_update(credential.sign(issued)),
        "expired": lambda: authority.issue(TAX_CODE, not_before=now - datetime.timedelta(days=400),
                                           not_after=now - datetime.timedelta(days=1)).sign(issued),
        "unsigned": lambda: issued,
        "not_pdf": lambda: b"PK\x03\x04 not a pdf",
        "missing": lambda: None,
    }[case]()
    logged_in_fresh(client, representative)
    response = client.post(qualified_url(signatory), upload(data) if data is not None else {})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_recorded()


def test_an_oversized_file_is_refused_unread_and_nothing_recorded(client, settings, signatory, representative):
    """The upload handler stops reading at the limit (welfare_portal.uploads); the form and
    charter.qualified refuse a larger file too, for callers without a page (test_qualified)."""
    settings.CHARTER_QUALIFIED_MAX_MB = 1
    logged_in_fresh(client, representative)
    response = client.post(qualified_url(signatory), upload(b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1)))
    assert response.status_code == 413
    assert "This page accepts files of at most 1.0\xa0MB" in response.content.decode()
    assert nothing_recorded()


def test_anonymous_is_sent_to_log_in(client, signatory):
    response = client.get(qualified_url(signatory))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.get(reverse("charter:signatory-signed-file", args=[signatory.pk])).status_code == 302


@pytest.mark.parametrize("who", ["member", "unconfirmed", "other_representative", "staff"])
def test_only_the_confirmed_legal_representative_may_upload(client, signatory, issued, credential, who):
    organisation = signatory.organisation
    user = {
        "member": lambda: MembershipFactory(organisation=organisation).user,
        "unconfirmed": lambda: MembershipFactory(
            organisation=organisation, role=Membership.Role.LEGAL_REPRESENTATIVE,
        ).user,
        "other_representative": lambda: legal_representative(OrganisationFactory(verified=True)),
        "staff": lambda: UserFactory(staff=True, totp=True),
    }[who]()
    logged_in_fresh(client, user)
    assert client.get(qualified_url(signatory)).status_code == 403
    assert client.post(qualified_url(signatory), upload(credential.sign(issued))).status_code == 403
    assert nothing_recorded() and not Decline.objects.exists()


def test_without_a_fresh_reauthentication_the_page_asks_for_the_password(client, signatory, representative, issued,
                                                                          credential):
    logged_in_fresh(client, representative)
    age_reauthentication(client, 3600)
    response = client.post(qualified_url(signatory), upload(credential.sign(issued)))
    assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))
    assert "next=" + qualified_url(signatory).replace("/", "%2F") in response.url
    assert nothing_recorded()


def test_the_signed_file_downloads_as_a_pdf_whatever_name_it_came_with(
    client, settings, pact, signatory, representative, issued, credential,
):
    """The name offered is the portal's own and ends with .pdf: the content was checked to be
    the signed PDF."""
    settings.CHARTER_TRUSTED_ROOTS_DIR = ""
    logged_in_fresh(client, representative)
    client.post(qualified_url(signatory), upload(credential.sign(issued), name="evil.html"))
    client.force_login(steering_member())
    response = client.get(reverse("charter:signatory-signed-file", args=[signatory.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="patto-{pact.pk}-firmato-{signatory.organisation_id}.pdf"'
    )
    assert response["Content-Type"] == "application/pdf"


def test_a_web_page_dressed_as_a_pdf_is_refused(client, signatory, representative, issued):
    logged_in_fresh(client, representative)
    page = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    response = client.post(qualified_url(signatory), upload(page, name="evil.html"))
    assert response.status_code == 400
    assert "The PDF could not be read." in response.content.decode()
    assert nothing_recorded()
