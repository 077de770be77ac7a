"""Downloading a rendered PDF: the stored bytes, whose SHA-256 is the one published, served to
whoever may read what the document belongs to and to nobody else; never rendered again."""

import hashlib
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from charter import services
from charter.models import CharterVersion, Document, DocumentKind
from charter.services.versions import default_charter
from charter.tests.factories import (
    CharterVersionFactory,
    OpenPactFactory,
    PactFactory,
    PublishedVersionFactory,
    approved_proposal,
    steering_member,
)
from projects.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = CharterVersion.Status
ROLES = ["anonymous", "partner", "member", "coordinator", "staff"]
STEERING = {"member", "coordinator", "staff"}


def log_in(client, role):
    factories = {
        "partner": lambda: MembershipFactory().user,
        "member": steering_member,
        "coordinator": lambda: steering_member(coordinator=True),
        "staff": lambda: UserFactory(staff=True, totp=True),
    }
    if role != "anonymous":
        client.force_login(factories[role]())


def download_url(document):
    return reverse("charter:document-download", args=[document.pk])


def body(response):
    return b"".join(response.streaming_content)


def charter_document(version, content=b"%PDF-1.7 stand-in for the Carta"):
    document = Document(
        kind=DocumentKind.CHARTER, version=version, size=len(content), page_count=1,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("charter.pdf", ContentFile(content), save=True)
    return document


@pytest.fixture
def approved_version():
    """A version approved through the service: its PDF is the real one, rendered once."""
    draft = CharterVersionFactory(charter=default_charter(), proposals=[approved_proposal("Rete di vicinato")])
    return services.approve_version(draft, by=steering_member(coordinator=True))


def test_the_stored_pdf_is_served_inline_with_its_name_and_never_rendered_again(client, approved_version):
    services.publish_version(approved_version, by=steering_member(coordinator=True))
    document = Document.objects.get(version=approved_version)

    with mock.patch("charter.pdf.html_to_pdf") as html_to_pdf, mock.patch("charter.documents.render_pdf") as render:
        response = client.get(download_url(document))
        content = body(response)

    assert response.status_code == 200
    html_to_pdf.assert_not_called()
    render.assert_not_called()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{document.filename}"'
    assert document.filename == f"carta-della-cittadinanza-v{approved_version.number}.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert len(content) == document.size


@pytest.mark.parametrize("role", ROLES)
def test_the_pdf_of_an_approved_unpublished_version_is_for_the_steering_group(client, role):
    version = PublishedVersionFactory(
        charter=default_charter(), proposals=[approved_proposal()], freeze=Status.APPROVED,
    )
    document = charter_document(version)
    log_in(client, role)
    response = client.get(download_url(document))
    assert response.status_code == (200 if role in STEERING else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.SUPERSEDED])
def test_the_pdfs_of_public_versions_are_for_everyone(client, role, status):
    version = PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal()], freeze=status)
    document = charter_document(version)
    log_in(client, role)
    response = client.get(download_url(document))
    assert response.status_code == 200
    assert hashlib.sha256(body(response)).hexdigest() == document.sha256


@pytest.mark.parametrize("role", ROLES)
def test_a_pact_document_follows_its_pact(client, role):
    pact = OpenPactFactory()
    document = pact.documents.get()
    assert document.filename == f"patto-di-solidarieta-{pact.pk}-da-firmare.pdf"
    log_in(client, role)
    assert client.get(download_url(document)).status_code == 200
    # The same document while the pact is still being prepared: the steering group only.
    pact.__class__.objects.filter(pk=pact.pk).update(status="draft")
    assert client.get(download_url(document)).status_code == (200 if role in STEERING else 404)


def test_an_unknown_document_or_a_missing_file_is_not_found(client):
    version = PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal()])
    document = charter_document(version)
    assert client.get(reverse("charter:document-download", args=[document.pk + 1000])).status_code == 404
    document.file.delete(save=False)
    assert client.get(download_url(document)).status_code == 404


def test_download_is_get_only(client):
    version = PublishedVersionFactory(charter=default_charter(), proposals=[approved_proposal()])
    document = charter_document(version)
    assert client.post(download_url(document)).status_code == 405


def test_a_draft_pact_is_not_public_but_its_open_version_is(client):
    """The Carta's PDF stays public whatever the state of its pact."""
    pact = PactFactory()
    document = charter_document(pact.version)
    assert client.get(download_url(document)).status_code == 200
