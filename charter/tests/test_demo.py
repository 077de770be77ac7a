"""The charter demo data: a published Carta with its PDFs and a part-signed Patto the demo legal
representative can sign, loaded twice without duplicates."""

from io import StringIO

import pytest
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
from charter.tests.pdfs import pdf_text
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


def test_demo_is_complete_and_idempotent():
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

    pact = Pact.objects.get()
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


def test_the_demo_legal_representative_can_sign(django_capture_on_commit_callbacks):
    load_projects_demo()
    load_charter_demo()
    legale = User.objects.get(email="legale@demo.welfare-legnano.it")
    pact = Pact.objects.get()
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
