"""The admin is usable by staff, read-only for what the services write, and its actions go
through the services (which render the documents and send the emails)."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.utils import timezone

from charter.models import CharterVersion, Document, DocumentKind, Pact, Signature
from charter.tests.factories import (
    CharterVersionFactory,
    OpenPactFactory,
    PactFactory,
    approved_proposal,
    legal_representative,
)
from projects.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(staff=True)  # with an authenticator app, as staff need
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _action(client, model, action, objects, **extra):
    return client.post(
        f"/admin/charter/{model}/",
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0, **extra},
        follow=True,
    )


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_approve_and_publish_actions(admin_client):
    version = CharterVersionFactory(proposals=[approved_proposal()])
    response = _action(admin_client, "charterversion", "approve_selected", [version])
    assert _messages(response) == ["1 version approved."]
    assert Document.objects.filter(version=version, kind=DocumentKind.CHARTER).exists()
    response = _action(admin_client, "charterversion", "approve_selected", [version])
    assert "cannot become" in _messages(response)[0]
    _action(admin_client, "charterversion", "publish_selected", [version])
    assert CharterVersion.objects.get(pk=version.pk).status == CharterVersion.Status.PUBLISHED


def test_open_remind_and_close_actions(admin_client, django_capture_on_commit_callbacks):
    pact = PactFactory()
    representative = legal_representative(pact.signatories.first().organisation)
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(admin_client, "pact", "open_selected", [pact])
    assert _messages(response) == ["1 pact opened."]
    assert [m.to for m in mail.outbox] == [[representative.email]]
    with django_capture_on_commit_callbacks(execute=True):
        _action(admin_client, "pact", "remind_selected", [pact])
    assert len(mail.outbox) == 2
    response = _action(admin_client, "pact", "close_selected", [pact])
    assert "Some signatories have not answered yet" in _messages(response)[0]
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    _action(admin_client, "pact", "close_selected", [pact])
    assert Pact.objects.get(pk=pact.pk).status == Pact.Status.CLOSED
    assert Document.objects.filter(pact=pact, kind=DocumentKind.PACT_FINAL).exists()


@pytest.mark.parametrize("model", ["charter", "charterversion", "pact", "document", "signature", "decline"])
def test_lists_and_change_pages_open(admin_client, model):
    pact = OpenPactFactory()
    organisation = pact.signatories.first().organisation
    Signature.objects.create(
        pact=pact, organisation=organisation, signer=legal_representative(organisation), signer_name="X",
        signer_email="x@example.org", full_name="X", consent_text="Sì", reauthenticated_at=timezone.now(),
        document=pact.documents.get(), document_sha256="0" * 64, record_sha256="1" * 64,
    )
    pact.declines.create(organisation=pact.signatories.last().organisation, reason="No",
                         declined_by=UserFactory())
    response = admin_client.get(f"/admin/charter/{model}/")
    assert response.status_code == 200
    obj = response.context["cl"].result_list[0]
    assert admin_client.get(f"/admin/charter/{model}/{obj.pk}/change/").status_code == 200


@pytest.mark.parametrize("model", ["charterversion", "pact", "document", "signature", "decline"])
def test_records_written_by_the_services_cannot_be_added_in_the_admin(admin_client, model):
    assert admin_client.get(f"/admin/charter/{model}/add/").status_code == 403
