"""Demo data for the charter app, loaded by seed_demo after the projects demo data.

`load_charter_demo()` is idempotent: the ambito's Carta is looked up by name, versions are made
only when the Carta has none, the pact only when the published version has none, and the demo
signatures only together with the pact; a second run changes nothing, and neither undoes what
someone did in the demo since. Rows are written directly, as fixtures (no service runs, so no
email leaves), but the PDFs are the real ones, rendered as the services render them.

The result: version 1 superseded by version 2, published (so the diff and the history have
something to show), both with their PDF; the Patto of version 1 signed and closed, its final PDF
sealed by the portal (try it on /verifica/); the Patto of version 2 open for signing, signed by
two organisations (one with a demo qualified digital signature), while "Associazione Il Melograno
ODV" — whose confirmed legal representative is legale@ in seed_demo — has not answered yet, so a
newcomer can sign as that person.

Without a seal configured (CHARTER_SEAL_CERT_PATH...), the demo documents are sealed with a
self-signed demo certificate made once in CHARTER_DEMO_SEAL_DIR; `make run` hands the same
certificate to the portal, so what it issues afterwards is sealed too.
"""

import datetime
import hashlib
from contextlib import contextmanager
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from stdnum.it import codicefiscale

from partners.models import Membership, Organisation
from projects.models import Proposal
from welfare_portal.models import User

from . import seal
from .demo_pki import Authority, make_seal
from .documents import render_charter_document, render_pact_document
from .models import (
    CharterItem,
    CharterVersion,
    CharterVersionStatusChange,
    DocumentKind,
    Pact,
    PactStatusChange,
    QualifiedSignatureEvidence,
    Signatory,
    Signature,
)
from .qualified import check_signed_pact
from .services.qualified import qualified_consent_statement
from .services.signing import consent_statement, record_fingerprint
from .services.versions import default_charter
from .snapshot import build_snapshot
from .texts import DEFAULT_INTRODUCTION, DEFAULT_PACT_TEXT, DEFAULT_PACT_TITLE, DEFAULT_PRINCIPLES

__all__ = ["load_charter_demo", "demo_seal_paths"]

DEMO_DOMAIN = "demo.welfare-legnano.it"
HOME = "Associazione Il Melograno ODV"
SECOND_VERSION_PRINCIPLES_NOTE = (
    "\n\nIl gruppo di regia verifica ogni anno, con i Soggetti firmatari del Patto, che nessun bisogno "
    "resti in una \"terra di nessuno\": i bisogni, i destinatari e i comuni che nessun progetto copre "
    "sono il primo punto della revisione della Carta."
)
# Organisations the steering group adds to the pact: (name, responsibilities).
ADDED_SIGNATORIES = [
    (HOME, "Mette a disposizione i propri volontari per accompagnare le famiglie dei ragazzi del "
           "doposcuola ai servizi del territorio.\n- Coordinamento dei volontari\n- Trasporti solidali"),
    ("Fondazione Alto Olona per la Comunità", "Sostiene con un bando dedicato i progetti della Carta e ne "
                                              "cura la valutazione d'impatto."),
]
# Confirmed legal representatives made for organisations that have none: (organisation, login, name).
# (organisation, login, full name, personal tax code without its check character)
REPRESENTATIVES = [
    ("Istituto Comprensivo Arcobaleno", "dirigente.arcobaleno", "Giovanna Martini", "MRTGNN75C41F205"),
    ("APS Famiglie in Rete", "presidente.famiglierete", "Chiara Lombardi", "LMBCHR80D50E514"),
    ("Fondazione Alto Olona per la Comunità", "presidente.fondazione", "Alberto Ferri", "FRRLRT68H12E514"),
]
SIGNED = ["Istituto Comprensivo Arcobaleno", "Fondazione Alto Olona per la Comunità"]
# The common name of the demo seal certificate, which PDF readers show.
DEMO_SEAL_NAME = "Portale welfare Ambito di Legnano - DEMO, non valido"
# Signed by uploading the Patto signed with a (demo) qualified digital signature, made at seed time.
QUALIFIED_SIGNED = "Fondazione Alto Olona per la Comunità"


def load_charter_demo(stdout=None):
    with _demo_seal() as demo_seal_dir, transaction.atomic():
        message = _Loader().load()
    if demo_seal_dir is not None:
        message += (
            f"\nDemo documents sealed with a self-signed demo certificate (not a real seal): {demo_seal_dir}"
        )
    if stdout is not None:
        stdout.write(message)


def demo_seal_paths():
    """(certificate, key) of the demo seal in CHARTER_DEMO_SEAL_DIR."""
    directory = Path(settings.CHARTER_DEMO_SEAL_DIR)
    return directory / "cert.pem", directory / "key.pem"


@contextmanager
def _demo_seal():
    """The seal the demo documents carry: the configured one if any (yields None), else the demo
    certificate, made once and kept for `make run` (yields its folder)."""
    if seal.is_configured():
        yield None
        return
    certificate, key = demo_seal_paths()
    if not (certificate.exists() and key.exists()):
        certificate.parent.mkdir(parents=True, exist_ok=True)
        make_seal(certificate.parent, common_name=DEMO_SEAL_NAME, passphrase=None, days=3650)
        key.chmod(0o600)
    with override_settings(
        CHARTER_SEAL_CERT_PATH=str(certificate), CHARTER_SEAL_KEY_PATH=str(key), CHARTER_SEAL_KEY_PASSPHRASE="",
    ):
        yield certificate.parent


class _Loader:
    def __init__(self):
        self.now = timezone.now()
        self.regia = User.objects.filter(email__iexact=f"regia@{DEMO_DOMAIN}").first()

    def ago(self, days):
        return self.now - datetime.timedelta(days=days)

    def load(self):
        charter = default_charter()
        if not charter.versions.exists():
            proposals = list(Proposal.objects.filter(status=Proposal.Status.APPROVED).order_by("theme__title", "pk"))
            if not proposals:
                return "Charter demo: no approved proposal to list, nothing loaded."
            first = self._version(charter, 1, proposals, DEFAULT_PRINCIPLES, approved=40, published=38)
            self._closed_pact(first)
            self._supersede(first, by_number=2, days=18)
            self._version(
                charter, 2, proposals, DEFAULT_PRINCIPLES + SECOND_VERSION_PRINCIPLES_NOTE, approved=20, published=18,
            )
        published = charter.versions.filter(status=CharterVersion.Status.PUBLISHED).first()
        if published is not None and not Pact.objects.filter(version=published).exists():
            self._pact(published)
        lines = [f"Charter demo: {charter.versions.count()} Carta versions."]
        for pact in Pact.objects.filter(version__charter=charter).order_by("version__number"):
            lines.append(
                f"Patto of version {pact.version.number}: {pact.status}, "
                f"{pact.signatures.count()} of {pact.signatories.count()} signatures."
            )
            final = pact.documents.filter(kind=DocumentKind.PACT_FINAL).first()
            if final is not None:
                lines.append(
                    f"Its final PDF ({'sealed' if final.sealed else 'unsealed'}) can be checked at "
                    f"/verifica/{final.verification_code}/"
                )
        return "\n".join(lines)

    # The Carta

    def _version(self, charter, number, proposals, principles, *, approved, published):
        version = CharterVersion.objects.create(
            charter=charter, number=number, introduction=DEFAULT_INTRODUCTION, principles=principles,
            created_by=self.regia, created_at=self.ago(approved + 5), updated_at=self.ago(approved),
        )
        for position, proposal in enumerate(proposals, start=1):
            CharterItem.objects.create(version=version, proposal=proposal, position=position, added_by=self.regia)
        version.snapshot = build_snapshot(version)
        version.status = CharterVersion.Status.PUBLISHED
        version.approved_at, version.approved_by = self.ago(approved), self.regia
        version.published_at, version.published_by = self.ago(published), self.regia
        version.save()
        for from_status, to_status, days in [
            ("", "draft", approved + 5), ("draft", "approved", approved), ("approved", "published", published),
        ]:
            CharterVersionStatusChange.objects.create(
                version=version, from_status=from_status, to_status=to_status, changed_by=self.regia,
                changed_at=self.ago(days),
            )
        self._dated(render_charter_document(version), version.approved_at)
        return version

    @staticmethod
    def _dated(document, moment):
        """Issued when the story says, not when seed_demo ran."""
        document.rendered_at = moment
        document.save(update_fields=["rendered_at"])

    def _supersede(self, version, *, by_number, days):
        version.status, version.superseded_at = CharterVersion.Status.SUPERSEDED, self.ago(days)
        version.save(update_fields=["status", "superseded_at"])
        CharterVersionStatusChange.objects.create(
            version=version, from_status="published", to_status="superseded", changed_by=self.regia,
            changed_at=self.ago(days), note=f"Sostituita dalla versione {by_number}.",
        )

    # The Patto

    def _closed_pact(self, version):
        """Version 1's Patto: opened, signed by every signatory with a confirmed legal
        representative, closed after its deadline with the final PDF (sealed)."""
        for row in REPRESENTATIVES:
            self._representative(*row)
        pact = self._open_pact(version, created=36, opened=35, deadline=self.ago(24).date(), added=False)
        for index, signatory in enumerate(pact.signatories.select_related("organisation").order_by("pk")):
            representative = self._confirmed_representative(signatory.organisation)
            if representative is not None:
                self._signature(pact, signatory.organisation, representative, days=33 - index % 8)
        pact.status, pact.closed_at, pact.closed_by = Pact.Status.CLOSED, self.ago(22), self.regia
        pact.save(update_fields=["status", "closed_at", "closed_by"])
        PactStatusChange.objects.create(
            pact=pact, from_status="open", to_status="closed", changed_by=self.regia, changed_at=self.ago(22),
        )
        self._dated(render_pact_document(pact, final=True), pact.closed_at)
        return pact

    def _pact(self, version):
        deadline = timezone.localdate() + datetime.timedelta(days=15)
        pact = self._open_pact(version, created=17, opened=15, deadline=deadline)
        representatives = {row[0]: self._representative(*row) for row in REPRESENTATIVES}
        for index, name in enumerate(SIGNED):
            signatory = pact.signatories.filter(organisation__name=name).select_related("organisation").first()
            if signatory is not None and representatives.get(name) is not None:
                self._signature(
                    pact, signatory.organisation, representatives[name], days=10 - 3 * index,
                    qualified=name == QUALIFIED_SIGNED,
                )
        return pact

    def _open_pact(self, version, *, created, opened, deadline, added=True):
        """A pact opened for signing with the Carta's organisations (and, with `added`, the ones
        the steering group adds) as signatories, and its text for signing."""
        pact = Pact.objects.create(
            version=version, title=DEFAULT_PACT_TITLE, text=DEFAULT_PACT_TEXT, status=Pact.Status.OPEN,
            deadline=deadline, created_by=self.regia,
            created_at=self.ago(created), opened_at=self.ago(opened), opened_by=self.regia,
        )
        for organisation in version.snapshot["organisations"]:
            Signatory.objects.create(
                pact=pact, organisation_id=organisation["id"], source=Signatory.Source.CHARTER,
                organisation_name=organisation["name"], organisation_tax_code=organisation["tax_code"],
                added_by=self.regia, added_at=self.ago(created),
            )
        for name, responsibilities in ADDED_SIGNATORIES if added else []:
            organisation = Organisation.objects.filter(name=name).first()
            if organisation is not None and not pact.signatories.filter(organisation=organisation).exists():
                Signatory.objects.create(
                    pact=pact, organisation=organisation, source=Signatory.Source.ADDED, added_by=self.regia,
                    organisation_name=organisation.name, organisation_tax_code=organisation.tax_code,
                    responsibilities=responsibilities, added_at=self.ago(created - 1),
                )
        for from_status, to_status, days in [("", "draft", created), ("draft", "open", opened)]:
            PactStatusChange.objects.create(
                pact=pact, from_status=from_status, to_status=to_status, changed_by=self.regia,
                changed_at=self.ago(days),
            )
        self._dated(render_pact_document(pact), pact.opened_at)
        return pact

    @staticmethod
    def _confirmed_representative(organisation):
        membership = (
            Membership.objects.confirmed_legal_representatives().filter(organisation=organisation)
            .select_related("user").order_by("pk").first()
        )
        return membership.user if membership is not None else None

    def _representative(self, organisation_name, login, full_name, tax_code):
        organisation = Organisation.objects.filter(name=organisation_name).first()
        if organisation is None:
            return None
        confirmed = self._confirmed_representative(organisation)
        if confirmed is not None:
            return confirmed
        email = f"{login}@{DEMO_DOMAIN}"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=full_name)
            user.set_unusable_password()  # a demo signer, not a demo login
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Membership.objects.update_or_create(
            user=user, organisation=organisation,
            defaults={
                "role": Membership.Role.LEGAL_REPRESENTATIVE, "status": Membership.Status.ACCEPTED,
                "decided_at": self.ago(60), "confirmed_at": self.ago(55),
                "representative_tax_code": tax_code + codicefiscale.calc_check_digit(tax_code),
            },
        )
        return user

    def _signature(self, pact, organisation, signer, *, days, qualified=False):
        document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
        signed_at = self.ago(days)
        signed_file, check = self._qualified_file(document, signer, organisation) if qualified else (None, None)
        with translation.override(settings.LANGUAGE_CODE):
            consent = consent_statement(pact, organisation, document)
            if check is not None:
                signed_at = check.signed_at
                consent = qualified_consent_statement(pact, organisation, document, check)
        signature = Signature(
            pact=pact, organisation=organisation, signer=signer, signer_name=signer.full_name,
            signer_email=signer.email, full_name=signer.full_name, consent_text=consent, signed_at=signed_at,
            reauthenticated_at=signed_at - datetime.timedelta(minutes=1), ip_address="192.0.2.10",
            user_agent="Mozilla/5.0 (demo)", document=document, document_sha256=document.sha256,
        )
        signature.record_sha256 = record_fingerprint(signature)
        signature.save()
        if check is not None:
            evidence = QualifiedSignatureEvidence(
                signature=signature, signed_file_sha256=hashlib.sha256(signed_file).hexdigest(),
                signed_file_size=len(signed_file), certificate_subject=check.subject,
                certificate_issuer=check.issuer, certificate_serial_number=check.serial_number,
                certificate_tax_code=check.tax_code, certificate_not_before=check.not_before,
                certificate_not_after=check.not_after, signing_time=check.signed_at, trust=check.trust,
                trust_detail=check.trust_detail, checked_at=signed_at,
            )
            evidence.signed_file.save("signed.pdf", ContentFile(signed_file), save=False)
            evidence.save()

    def _qualified_file(self, document, signer, organisation):
        """The text for signing signed by a certificate of a throw-away demo CA (so: "integrity
        verified, issuer not verified"), as the legal representative's own software would; (None,
        None) when the representative has no codice fiscale recorded (then they sign on-line)."""
        membership = Membership.objects.filter(user=signer, organisation=organisation).first()
        tax_code = membership.representative_tax_code if membership is not None else ""
        if not tax_code:
            return None, None
        with document.file.open("rb") as handle:
            issued = handle.read()
        signed = Authority("Demo Qualified CA").issue(tax_code, name=signer.full_name).sign(issued)
        check = check_signed_pact(signed, issued=issued, tax_code=tax_code, roots=[])
        return (signed, check) if check.accepted else (None, None)
