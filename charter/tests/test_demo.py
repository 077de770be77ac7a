"""The charter demo data: a published Carta with its PDFs and a part-signed Patto the demo legal
representative can sign, loaded twice without duplicates."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from charter import services
from charter.demo import load_charter_demo
from charter.models import (
    CharterItem,
    CharterVersion,
    CharterVersionStatusChange,
    Document,
    DocumentKind,
    Pact,
    QualifiedSignatureEvidence,
    Signatory,
    Signature,
)
from charter.demo import _demo_seal, demo_seal_paths
from charter.demo_pki import make_seal
from charter.tests.pdfs import pdf_text
from charter.tests.test_seal import validate
from partners.models import Membership
from projects.demo import load_projects_demo
from welfare_portal.models import User

pytestmark = pytest.mark.django_db

MODELS = [
    CharterVersion, CharterItem, CharterVersionStatusChange, Document, Pact, Signatory, Signature, User,
    QualifiedSignatureEvidence,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_is_complete_and_idempotent(client, settings):
    load_projects_demo()
    output = StringIO()
    load_charter_demo(stdout=output)
    counts = _counts()
    load_charter_demo()
    assert _counts() == counts
    assert "2 Carta versions" in output.getvalue()

    statuses = dict(CharterVersion.objects.values_list("number", "status"))
    assert statuses == {1: CharterVersion.Status.SUPERSEDED, 2: CharterVersion.Status.PUBLISHED}
    published = CharterVersion.objects.get(number=2)
    carta = Document.objects.get(version=published, kind=DocumentKind.CHARTER)
    assert "Doposcuola diffuso" in pdf_text(carta.read_bytes())

    pact = Pact.objects.get(version=published)
    assert pact.status == Pact.Status.OPEN and pact.documents.filter(kind=DocumentKind.PACT_DRAFT).exists()
    signed = set(pact.signatures.values_list("organisation__name", flat=True))
    assert signed == {"Istituto Comprensivo Arcobaleno", "Fondazione Alto Olona per la Comunità"}
    unanswered = set(pact.signatories.unanswered().values_list("organisation_name", flat=True))
    assert unanswered == {"Associazione Il Melograno ODV", "APS Famiglie in Rete"}
    for signature in pact.signatures.all():
        assert signature.document_sha256 == pact.documents.get(kind=DocumentKind.PACT_DRAFT).sha256
    # One organisation signed by uploading the Patto with a (demo) qualified digital signature.
    evidence = QualifiedSignatureEvidence.objects.get()
    assert evidence.signature.organisation.name == "Fondazione Alto Olona per la Comunità"
    assert evidence.trust == QualifiedSignatureEvidence.Trust.INTEGRITY_ONLY
    assert evidence.signed_file.read()[:evidence.signature.document.size] == evidence.signature.document.read_bytes()

    # Version 1's Patto is closed, its final PDF sealed (demo certificate) and verifiable.
    closed = Pact.objects.get(version__number=1)
    assert closed.status == Pact.Status.CLOSED and closed.signatures.exists()
    final = closed.documents.get(kind=DocumentKind.PACT_FINAL)
    content = final.read_bytes()
    assert final.sealed and "DEMO" in final.seal_subject
    assert f"/verifica/{final.verification_code}/" in output.getvalue()
    assert str(settings.CHARTER_DEMO_SEAL_DIR) in output.getvalue()

    # The seal validates against the demo certificate; one flipped byte breaks it.
    certificate, _ = demo_seal_paths()
    status = validate(content, certificate)
    assert status.intact and status.valid and status.trusted
    tampered = bytearray(content)
    tampered[len(content) // 3] ^= 0x01
    assert not validate(bytes(tampered), certificate).intact

    # The signatures are in the annex, and the verification page recognises the file.
    for signature in closed.signatures.select_related("organisation"):
        assert signature.full_name in pdf_text(content)
    response = client.post(
        f"/verifica/{final.verification_code}/",
        {"file": SimpleUploadedFile("patto.pdf", content, content_type="application/pdf")},
    )
    assert response.status_code == 200 and 'data-result="identical"' in response.content.decode()
    # The Carta PDFs are sealed too; the text for signing of the open Patto is not (on purpose).
    assert Document.objects.get(version__number=2, kind=DocumentKind.CHARTER).sealed
    assert not Document.objects.get(pact__status=Pact.Status.OPEN, kind=DocumentKind.PACT_DRAFT).sealed


def test_the_demo_legal_representative_can_sign(django_capture_on_commit_callbacks):
    load_projects_demo()
    load_charter_demo()
    legale = User.objects.get(email="legale@demo.welfare-legnano.it")
    pact = Pact.objects.get(status=Pact.Status.OPEN)
    signatory = pact.signatories.get(organisation__name="Associazione Il Melograno ODV")
    # seed_demo's partners data confirm legale@ as legal representative; the projects demo alone
    # makes them a referent.
    Membership.objects.filter(user=legale, organisation=signatory.organisation).update(
        role=Membership.Role.LEGAL_REPRESENTATIVE, confirmed_at=timezone.now(), representative_tax_code="X",
    )
    assert legale.has_perm("charter.sign_signatory", signatory)
    signature = services.sign_pact(
        pact, by=legale, organisation=signatory.organisation, full_name="Luca Rossi", consent=True,
        ip="127.0.0.1", user_agent="test", reauthenticated_at=timezone.now(),
    )
    assert signature.pk and pact.signatures.count() == 3


def test_demo_without_approved_proposals_loads_nothing():
    output = StringIO()
    load_charter_demo(stdout=output)
    assert "nothing loaded" in output.getvalue() and not CharterVersion.objects.exists()


def test_the_demo_certificate_is_made_once():
    load_charter_demo()
    certificate, key = demo_seal_paths()
    made = certificate.read_bytes()
    load_charter_demo()
    assert certificate.read_bytes() == made
    assert key.stat().st_mode & 0o077 == 0  # the key is readable by its owner only


def test_a_configured_seal_wins_over_the_demo_certificate(settings, tmp_path):
    configured, key, _ = make_seal(tmp_path, passphrase=None)
    settings.CHARTER_SEAL_CERT_PATH, settings.CHARTER_SEAL_KEY_PATH = str(configured), str(key)
    with _demo_seal() as demo_seal_dir:
        assert demo_seal_dir is None and settings.CHARTER_SEAL_CERT_PATH == str(configured)
    assert not settings.CHARTER_DEMO_SEAL_DIR.exists()
