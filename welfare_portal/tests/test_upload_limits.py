"""Limits before reading: a 60 MB upload to each page that takes files is refused having read
less than 1 MB of it, with a page that names the limit, and nothing is stored; a body just over
the limit is cut by the upload handler where the limit falls; a file within the limit still
goes through the CSRF check and is kept; a page that takes no files refuses one unread."""

import os

import pytest
from django.urls import reverse

from charter.models import QualifiedSignatureEvidence, Signature
from charter.tests.factories import OpenPactFactory, legal_representative
from charter.tests.test_views_signing import logged_in_fresh
from charter.tests.test_views_verification import charter_document
from projects.models import Attachment
from projects.tests.factories import ProposalFactory, UserFactory, lead_member
from welfare_portal.tests.uploads import MB, StreamedUpload, csrf_client, post_streamed

pytestmark = pytest.mark.django_db

ENDPOINTS = ["attachment", "qualified", "verification"]


def attachment_page(client):
    proposal = ProposalFactory()
    client.force_login(lead_member(proposal))
    return reverse("projects:attachment-upload", args=[proposal.pk]), "file"


def qualified_page(client):
    signatory = OpenPactFactory().signatories.order_by("pk").first()
    logged_in_fresh(client, legal_representative(signatory.organisation, user=UserFactory(full_name="Mario Rossi")))
    return reverse("charter:signatory-sign-qualified", args=[signatory.pk]), "signed_file"


def verification_page(client):
    return reverse("charter:verification-detail", args=[charter_document().verification_code]), "file"


PAGES = {"attachment": attachment_page, "qualified": qualified_page, "verification": verification_page}


def set_limit(settings, endpoint, megabytes):
    if endpoint == "attachment":
        settings.PROJECTS_ATTACHMENT_MAX_BYTES = megabytes * MB
    elif endpoint == "qualified":
        settings.CHARTER_QUALIFIED_MAX_MB = megabytes
    else:
        settings.CHARTER_VERIFY_MAX_UPLOAD_BYTES = megabytes * MB


def stored_files(settings):
    return [os.path.join(d, f) for d, _, files in os.walk(settings.MEDIA_ROOT) for f in files]


def nothing_stored(settings, before):
    return (
        not Attachment.objects.exists() and not Signature.objects.exists()
        and not QualifiedSignatureEvidence.objects.exists() and sorted(stored_files(settings)) == before
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_60_mb_upload_is_refused_before_it_is_read(client, settings, endpoint):
    set_limit(settings, endpoint, 20)
    path, field = PAGES[endpoint](client)
    before = sorted(stored_files(settings))
    checked = csrf_client(client)
    body = StreamedUpload(field, 60 * MB, fields={"csrfmiddlewaretoken": checked.csrf_token})

    response = post_streamed(checked, path, body)

    assert body.read_bytes < 1 * MB
    assert response.status_code == 413
    content = response.content.decode()
    assert "File troppo grande" in content
    assert "Questa pagina accetta file fino a 20,0\xa0MB" in content
    assert f'href="{path}"' in content
    assert nothing_stored(settings, before)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_60_mb_upload_without_a_declared_length_is_not_read(client, settings, endpoint):
    """A chunked body (no Content-Length): Django under WSGI reads none of it, and the page
    answers that no file arrived."""
    path, field = PAGES[endpoint](client)
    before = sorted(stored_files(settings))
    checked = csrf_client(client)
    body = StreamedUpload(field, 60 * MB, fields={"csrfmiddlewaretoken": checked.csrf_token})

    response = post_streamed(checked, path, body, declare_length=False)

    assert body.read_bytes < 1 * MB
    assert response.status_code in (400, 403)
    assert nothing_stored(settings, before)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_over_the_limit_is_cut_where_the_limit_falls(client, settings, endpoint):
    """Within the declared allowance (the file limit plus the form's fields), a file larger than
    the limit is read only up to the limit: the upload handler stops there."""
    set_limit(settings, endpoint, 1)
    path, field = PAGES[endpoint](client)
    before = sorted(stored_files(settings))
    checked = csrf_client(client)
    body = StreamedUpload(field, int(1.9 * MB), fields={"csrfmiddlewaretoken": checked.csrf_token})

    response = post_streamed(checked, path, body)

    assert body.read_bytes < 1.25 * MB < body.size
    assert response.status_code == 413
    assert "Questa pagina accetta file fino a 1,0\xa0MB" in response.content.decode()
    assert nothing_stored(settings, before)


@pytest.mark.parametrize("endpoint", ["attachment", "verification"])
def test_a_file_within_the_limit_passes_the_csrf_check_and_is_handled(client, settings, endpoint):
    set_limit(settings, endpoint, 1)
    path, field = PAGES[endpoint](client)
    checked = csrf_client(client)
    body = StreamedUpload(field, MB - 1000, fields={"csrfmiddlewaretoken": checked.csrf_token})

    response = post_streamed(checked, path, body)

    assert body.read_bytes == body.size
    if endpoint == "attachment":
        assert response.status_code == 302
        assert Attachment.objects.get().size == MB - 1000
    else:
        assert response.status_code == 200
        assert "data-result" in response.content.decode()


def test_a_page_that_takes_no_files_refuses_a_large_body_unread(client):
    checked = csrf_client(client)
    body = StreamedUpload("avatar", 60 * MB, fields={"csrfmiddlewaretoken": checked.csrf_token})

    response = post_streamed(checked, reverse("account_signup"), body)

    assert body.read_bytes == 0
    assert response.status_code == 413
    assert "Questa pagina non accetta file" in response.content.decode()


def test_a_page_that_takes_no_files_does_not_keep_a_small_one(client, settings):
    """Under the form fields' allowance, a file sent to a page without files is cut at its first
    byte: nothing is written out."""
    checked = csrf_client(client)
    body = StreamedUpload("avatar", 200 * 1024, fields={"csrfmiddlewaretoken": checked.csrf_token})

    response = post_streamed(checked, reverse("account_signup"), body)

    assert response.status_code == 413
    assert body.read_bytes < body.size
