"""The public verification pages: anyone reaches a document by its code and compares a file
with it; an unknown code, a different file, a non-PDF or an oversized one get a clear answer,
and nothing uploaded is ever stored."""

import hashlib
import os

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from charter import services
from charter.forms.verification import VerificationUploadForm
from charter.models import Document, DocumentKind
from charter.services.versions import default_charter
from charter.tests.factories import (
    OpenPactFactory,
    PublishedVersionFactory,
    approved_proposal,
    legal_representative,
    steering_member,
)
from projects.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7 stand-in for the Carta\n%%EOF\n"
ROLES = ["anonymous", "partner", "member", "staff"]


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    cache.clear()


def log_in(client, role):
    users = {
        "partner": lambda: MembershipFactory().user,
        "member": steering_member,
        "staff": lambda: UserFactory(staff=True, totp=True),
    }
    if role != "anonymous":
        client.force_login(users[role]())


def charter_document(status="published", content=CONTENT):
    version = PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal()], freeze=status)
    document = Document(
        kind=DocumentKind.CHARTER, version=version, size=len(content), page_count=1,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("charter.pdf", ContentFile(content), save=True)
    return document


def detail_url(document_or_code):
    code = getattr(document_or_code, "verification_code", document_or_code)
    return reverse("charter:verification-detail", args=[code])


def upload(client, document, content, name="copia.pdf"):
    return client.post(detail_url(document), {"file": SimpleUploadedFile(name, content, "application/pdf")})


def stored_files(settings):
    root = str(settings.MEDIA_ROOT)
    return sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_what_was_issued_under_a_code(client, role):
    document = charter_document()
    log_in(client, role)
    response = client.get(detail_url(document))
    assert response.status_code == 200
    page = response.content.decode()
    assert document.sha256 in page and document.verification_code in page
    assert document.version.charter.title in page and "Carta della cittadinanza" in page
    assert f"{document.size} bytes" in page
    assert "Not sealed" in page
    assert reverse("charter:document-download", args=[document.pk]) in page


@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_document_shows_its_details_but_no_download_outside_the_steering_group(client, role):
    document = charter_document(status="approved")
    log_in(client, role)
    page = client.get(detail_url(document)).content.decode()
    assert document.sha256 in page
    has_link = reverse("charter:document-download", args=[document.pk]) in page
    assert has_link == (role in {"member", "staff"})


def test_the_code_form_leads_to_the_document_and_accepts_how_people_type_it(client):
    document = charter_document()
    assert client.get(reverse("charter:verification-start")).status_code == 200
    typed = document.verification_code.lower().replace("-", " ")
    response = client.get(reverse("charter:verification-start"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == detail_url(document)
    lowered = client.get(detail_url(document.verification_code.lower()))
    assert lowered.status_code == 302 and lowered["Location"] == detail_url(document)


def test_a_malformed_code_is_a_form_error(client):
    response = client.get(reverse("charter:verification-start"), {"code": "12345"})
    assert response.status_code == 200
    assert "A verification code has ten letters and digits" in response.content.decode()


@pytest.mark.parametrize("code", ["ABCDE-23456", "not-a-code"])
def test_an_unknown_code_gets_a_clear_page_with_404(client, code):
    charter_document()
    response = client.get(detail_url(code))
    assert response.status_code == 404
    page = response.content.decode()
    assert "No document with this code" in page and 'id="verification-unknown"' in page
    assert 'id="verification-code-form"' in page


def test_the_identical_file_is_recognised_and_not_stored(client, settings):
    document = charter_document()
    before = stored_files(settings)
    response = upload(client, document, CONTENT)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-result="identical"' in page and "The file is identical to the issued document." in page
    assert stored_files(settings) == before


def test_a_modified_copy_is_not_the_issued_document(client, settings):
    document = charter_document()
    before = stored_files(settings)
    modified = CONTENT.replace(b"Carta", b"Carte")
    response = upload(client, document, modified)
    page = response.content.decode()
    assert 'data-result="different"' in page and "This file is NOT the issued document." in page
    assert hashlib.sha256(modified).hexdigest() in page
    assert stored_files(settings) == before


def test_a_non_pdf_is_a_form_error_and_an_oversized_file_is_refused_unread(client, settings):
    document = charter_document()
    before = stored_files(settings)
    response = upload(client, document, b"just some text", name="nota.txt")
    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()
    assert 'data-result' not in response.content.decode()

    # Past the limit the upload handler stops reading (welfare_portal.uploads).
    settings.CHARTER_VERIFY_MAX_UPLOAD_BYTES = 20
    response = upload(client, document, CONTENT)
    assert response.status_code == 413
    assert "This page accepts files of at most 20\xa0bytes" in response.content.decode()
    assert 'data-result' not in response.content.decode()
    assert stored_files(settings) == before


def test_the_form_refuses_a_file_over_the_limit(settings):
    """What the form says to a caller whose file reached it (the page's own requests are cut
    before, by the upload handler)."""
    settings.CHARTER_VERIFY_MAX_UPLOAD_BYTES = 20
    form = VerificationUploadForm({}, {"file": SimpleUploadedFile("copia.pdf", CONTENT, "application/pdf")})
    assert not form.is_valid()
    assert "it cannot be the issued document" in form.errors["file"][0]


def test_uploads_are_limited_per_address(client, settings):
    settings.CHARTER_VERIFY_UPLOADS_PER_HOUR = 2
    document = charter_document()
    assert upload(client, document, CONTENT).status_code == 200
    assert upload(client, document, CONTENT).status_code == 200
    response = upload(client, document, CONTENT)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many files checked from this address: please try again in about" in response.content.decode()
    assert 'data-result' not in response.content.decode()
    # Another address still may.
    other = client.post(
        detail_url(document), {"file": SimpleUploadedFile("c.pdf", CONTENT)}, REMOTE_ADDR="198.51.100.9",
    )
    assert other.status_code == 200


def test_behind_the_proxy_uploads_are_limited_per_real_client(client, settings):
    settings.CHARTER_VERIFY_UPLOADS_PER_HOUR = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    document = charter_document()

    def upload_from(forwarded):
        return client.post(
            detail_url(document), {"file": SimpleUploadedFile("c.pdf", CONTENT)},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    assert upload_from("203.0.113.5") == 200
    assert upload_from("192.0.2.1, 203.0.113.5") == 429  # a spoofed leftmost entry changes nothing
    assert upload_from("203.0.113.6") == 200  # someone else behind the same proxy


def test_an_unknown_code_takes_no_upload(client, settings):
    before = stored_files(settings)
    response = client.post(detail_url("ABCDE-23456"), {"file": SimpleUploadedFile("c.pdf", CONTENT)})
    assert response.status_code == 404
    assert stored_files(settings) == before


def test_a_signed_pact_lists_its_signatures_and_a_real_pdf_verifies(client):
    pact = OpenPactFactory()
    signatory = pact.signatories.select_related("organisation").first()
    representative = legal_representative(signatory.organisation, user__full_name="Giulia Bianchi")
    coordinator = steering_member(coordinator=True)
    services.sign_pact(
        pact, by=representative, organisation=signatory.organisation, full_name="Giulia Bianchi",
        consent=True, ip="198.51.100.4", user_agent="UA", reauthenticated_at=timezone.now(),
    )
    pact.__class__.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - timezone.timedelta(days=1))
    services.close_pact(pact, by=coordinator)
    final = pact.documents.get(kind=DocumentKind.PACT_FINAL)

    page = client.get(detail_url(final)).content.decode()
    assert 'id="verification-signatures"' in page
    assert signatory.organisation.name in page and "Giulia Bianchi" in page
    assert "198.51.100.4" not in page
    pact_page = client.get(reverse("charter:pact-detail", args=[pact.pk])).content.decode()
    assert detail_url(final) in pact_page

    assert 'data-result="identical"' in upload(client, final, final.read_bytes()).content.decode()
    draft = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    assert 'data-result="different"' in upload(client, final, draft.read_bytes()).content.decode()


def test_the_verification_page_is_linked_from_the_document_box(client):
    document = charter_document()
    page = client.get(reverse("charter:version-detail", args=[document.version.pk])).content.decode()
    assert detail_url(document) in page


def test_the_page_says_whether_the_document_is_sealed(client):
    document = charter_document()
    Document.objects.filter(pk=document.pk).update(sealed=True, seal_subject="Common Name: Portale di prova")
    page = client.get(detail_url(document)).content.decode()
    assert "Sealed by the portal (PAdES)" in page and "Portale di prova" in page and "Not sealed" not in page

    draft = OpenPactFactory().documents.get()
    page = client.get(detail_url(draft)).content.decode()
    assert "Not sealed: the text for signing carries no seal" in page
