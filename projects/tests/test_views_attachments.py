"""Attachments on the proposal pages: the lead uploads while it may edit (type read from the
content, size limited, the validator's message next to the field); whoever sees the proposal
downloads through a view that checks the permission and streams the file; the lead removes."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.models import Attachment, Proposal, ProposalPartner
from projects.tests.factories import (
    MembershipFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    UserFactory,
    lead_member,
    steering_member,
)
from projects.tests.proposal_pages import assert_login_redirect, login, messages_of, snapshot, url
from projects.tests.test_attachments import tiny_pdf

pytestmark = pytest.mark.django_db

Status = Proposal.Status


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def pdf_upload(name="Piano economico.pdf"):
    return SimpleUploadedFile(name, tiny_pdf(), content_type="application/pdf")


def attached(proposal, name="Piano economico.pdf"):
    return services.add_attachment(proposal, by=lead_member(proposal), file=pdf_upload(name))


# --- Uploading ---------------------------------------------------------------------------------


def test_upload_form_tells_the_accepted_types_and_the_size_limit(client, settings):
    settings.PROJECTS_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    content = client.get(url("attachment-upload", proposal.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'accept=".pdf,.odt,.docx,.png,.jpg,.jpeg,application/pdf' in content
    assert "up to 5.0\xa0MB" in content


def test_lead_uploads_a_pdf(client):
    proposal = ProposalFactory()
    user = login(client, lead_member(proposal))
    response = client.post(url("attachment-upload", proposal.pk), {"file": pdf_upload()})
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal.pk) + "#attachments"
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.uploaded_by) == (
        "Piano economico.pdf", "application/pdf", user,
    )
    assert default_storage.exists(attachment.file.name)
    assert "Piano economico" not in attachment.file.name
    content = client.get(url("proposal-detail", proposal.pk)).content.decode()
    assert url("attachment-download", attachment.pk) in content and "/media/" not in content


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("finto.pdf", b"just some text, not a PDF", content_type="application/pdf"),
     "This file is not an accepted type"),
    (SimpleUploadedFile("vuoto.pdf", b"", content_type="application/pdf"), "The submitted file is empty."),
])
def test_upload_refuses_what_is_not_an_accepted_file_next_to_the_field(client, upload, message):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    response = client.post(url("attachment-upload", proposal.pk), {"file": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors)
    assert not Attachment.objects.exists()


def test_upload_refuses_a_file_over_the_limit_unread(client, settings):
    """The upload handler stops reading at the limit (welfare_portal.uploads); the service's
    own size check answers callers without a page (test_attachments)."""
    settings.PROJECTS_ATTACHMENT_MAX_BYTES = 100
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    response = client.post(url("attachment-upload", proposal.pk), {"file": pdf_upload()})
    assert response.status_code == 413
    assert "This page accepts files of at most 100\xa0bytes" in response.content.decode()
    assert not Attachment.objects.exists()


def test_upload_refused_to_others(client):
    proposal = ProposalFactory()
    upload = url("attachment-upload", proposal.pk)
    assert_login_redirect(client.post(upload, {"file": pdf_upload()}))
    accepted = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    cases = [
        (MembershipFactory(organisation=accepted.organisation).user, 403),
        (MembershipFactory().user, 404),
        (steering_member(), 404),
        (UserFactory(), 404),
    ]
    for user, expected in cases:
        login(client, user)
        assert client.post(upload, {"file": pdf_upload()}).status_code == expected
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.WITHDRAWN])
def test_upload_after_submission_is_refused_with_a_message(client, status):
    proposal = ProposalFactory(status=status)
    login(client, lead_member(proposal))
    response = client.post(url("attachment-upload", proposal.pk), {"file": pdf_upload()})
    assert response.status_code == 302
    assert messages_of(response)
    assert not Attachment.objects.exists()


# --- Downloading -------------------------------------------------------------------------------


def _download(client, attachment):
    return client.get(url("attachment-download", attachment.pk))


def test_partners_download_the_bytes_with_the_original_name(client):
    proposal = ProposalFactory()
    attachment = attached(proposal)
    invited = ProposalPartnerFactory(proposal=proposal)
    for user in (lead_member(proposal), MembershipFactory(organisation=invited.organisation).user):
        login(client, user)
        response = _download(client, attachment)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == tiny_pdf()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Piano economico.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]


def test_a_pdf_named_html_downloads_as_pdf(client):
    """`%PDF-…` sent as evil.html is a PDF: it is kept, shown and offered as evil.pdf, so the
    reader's system never opens it as a web page."""
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    upload = SimpleUploadedFile("evil.html", tiny_pdf() + b"<script>alert(1)</script>", content_type="text/html")
    client.post(url("attachment-upload", proposal.pk), {"file": upload})
    attachment = Attachment.objects.get()
    assert attachment.original_name == "evil.pdf"
    response = _download(client, attachment)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'


def test_an_html_file_named_pdf_is_refused(client):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    upload = SimpleUploadedFile("piano.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(url("attachment-upload", proposal.pk), {"file": upload})
    assert "not an accepted type" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()


def test_a_name_stored_before_the_rule_still_downloads_with_the_types_extension(client):
    proposal = ProposalFactory()
    attachment = attached(proposal)
    Attachment.objects.filter(pk=attachment.pk).update(original_name="Piano.html")
    login(client, lead_member(proposal))
    assert _download(client, attachment)["Content-Disposition"] == 'attachment; filename="Piano.pdf"'


def test_the_download_header_is_built_safely_from_any_name(client):
    """Quotes are escaped, line breaks and bidirectional controls never reach the header,
    other characters are percent-encoded (RFC 6266)."""
    proposal = ProposalFactory()
    attachment = attached(proposal, name='Bilancio "2026"\r\nX-Evil: 1\u202eFDP.exe')
    assert attachment.original_name == 'Bilancio "2026" X-Evil: 1FDP.pdf'
    login(client, lead_member(proposal))
    header = _download(client, attachment)["Content-Disposition"]
    assert header == 'attachment; filename="Bilancio \\"2026\\" X-Evil: 1FDP.pdf"'
    attachment.original_name = "Relazione \u00e8 pronta.pdf"
    attachment.save()
    header = _download(client, attachment)["Content-Disposition"]
    assert header == "attachment; filename*=utf-8''Relazione%20%C3%A8%20pronta.pdf"


def test_download_of_another_organisations_draft_attachment_is_404(client):
    attachment = attached(ProposalFactory())
    for user in (MembershipFactory().user, UserFactory(), steering_member()):
        login(client, user)
        assert _download(client, attachment).status_code == 404


def test_download_requires_login(client):
    assert_login_redirect(_download(client, attached(ProposalFactory())))


def test_steering_group_downloads_once_submitted(client):
    proposal = ProposalFactory()
    attachment = attached(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.SUBMITTED, submitted_at=proposal.created_at)
    login(client, steering_member())
    assert _download(client, attachment).status_code == 200


def test_download_of_a_file_missing_from_storage_is_404(client):
    proposal = ProposalFactory()
    attachment = attached(proposal)
    default_storage.delete(attachment.file.name)
    login(client, lead_member(proposal))
    assert _download(client, attachment).status_code == 404


# --- Removing ----------------------------------------------------------------------------------


def test_lead_removes_an_attachment_after_confirming(client, django_capture_on_commit_callbacks):
    proposal = ProposalFactory()
    attachment = attached(proposal)
    login(client, lead_member(proposal))
    assert "Piano economico.pdf" in client.get(url("attachment-delete", attachment.pk)).content.decode()
    assert Attachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("attachment-delete", attachment.pk))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not default_storage.exists(attachment.file.name)


def test_remove_refused_to_others_and_after_submission(client):
    proposal = ProposalFactory()
    attachment = attached(proposal)
    remove = url("attachment-delete", attachment.pk)
    assert_login_redirect(client.post(remove))
    accepted = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    cases = [(MembershipFactory(organisation=accepted.organisation).user, 403), (MembershipFactory().user, 404)]
    before = snapshot()
    for user, expected in cases:
        login(client, user)
        assert client.post(remove).status_code == expected
    assert snapshot() == before

    submitted = ProposalFactory()
    kept = attached(submitted)
    Proposal.objects.filter(pk=submitted.pk).update(status=Status.SUBMITTED, submitted_at=submitted.created_at)
    login(client, lead_member(submitted))
    before = snapshot()
    response = client.post(url("attachment-delete", kept.pk))
    assert response.status_code == 302
    assert "with the steering group" in messages_of(response)[0]
    assert snapshot() == before
    assert default_storage.exists(kept.file.name)
