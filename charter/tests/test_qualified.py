"""Checking a Patto signed with a qualified digital signature (charter.qualified) and recording
it (services.sign_pact_qualified): only the issued text, signed once by the confirmed legal
representative's own certificate, valid when used; trust recorded, not required."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from charter import services
from charter.models import QualifiedSignatureEvidence, Signature
from charter.qualified import TRUST_INTEGRITY_ONLY, TRUST_ISSUER_VERIFIED, check_signed_pact, trusted_roots
from charter.tests import pki
from charter.tests.factories import OpenPactFactory, legal_representative
from projects.tests.factories import UserFactory

TAX_CODE = "RCCMNL83S18D969H"  # the factories' confirmed legal representative's
OTHER_TAX_CODE = "BNCGVN80A01F205X"
DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def authority():
    return pki.Authority()


@pytest.fixture(scope="module")
def issued():
    return pki.blank_pdf()


@pytest.fixture(scope="module")
def credential(authority):
    return authority.issue(TAX_CODE)


def check(data, issued, *, roots=(), tax_code=TAX_CODE, **kwargs):
    return check_signed_pact(data, issued=issued, tax_code=tax_code, roots=list(roots), **kwargs)


class TestCheck:
    def test_valid_signature_with_trusted_root_is_issuer_verified(self, authority, issued, credential):
        result = check(credential.sign(issued), issued, roots=trusted_roots_of(authority))
        assert result.accepted, result.reason
        assert result.trust == TRUST_ISSUER_VERIFIED
        assert result.tax_code == TAX_CODE
        assert "Mario Rossi" in result.subject and "Test Qualified CA" in result.issuer
        assert result.not_before < result.signed_at < result.not_after

    def test_valid_signature_without_roots_is_integrity_only(self, issued, credential):
        result = check(credential.sign(issued), issued)
        assert result.accepted, result.reason
        assert result.trust == TRUST_INTEGRITY_ONLY
        assert result.trust_detail == "No trusted certification authorities are configured."

    def test_root_of_another_authority_is_not_trusted(self, issued, credential):
        result = check(credential.sign(issued), issued, roots=trusted_roots_of(pki.Authority("Other CA")))
        assert result.accepted and result.trust == TRUST_INTEGRITY_ONLY

    def test_tax_code_matches_case_insensitively(self, issued, credential):
        assert check(credential.sign(issued), issued, tax_code=TAX_CODE.lower()).accepted

    def test_someone_else_is_refused(self, authority, issued):
        result = check(authority.issue(OTHER_TAX_CODE).sign(issued), issued)
        assert not result.accepted
        assert "signed by someone else (codice fiscale BNCGVN80A01F205X)" in result.reason

    def test_certificate_without_codice_fiscale_is_refused(self, authority, issued):
        result = check(authority.issue("").sign(issued), issued)
        assert not result.accepted and "no Italian codice fiscale" in result.reason

    def test_non_repudiation_only_certificate_is_accepted(self, authority, issued):
        """Italian qualified certificates usually allow non-repudiation only."""
        credential = authority.issue(TAX_CODE, key_usage=key_usage(content_commitment=True))
        result = check(credential.sign(issued), issued, roots=trusted_roots_of(authority))
        assert result.accepted and result.issuer_verified

    def test_certificate_not_meant_for_signing_is_refused(self, authority, issued):
        credential = authority.issue(TAX_CODE, key_usage=key_usage(key_encipherment=True))
        result = check(credential.sign(issued), issued)
        assert not result.accepted and "not a signing certificate" in result.reason

    def test_document_differing_by_one_byte_is_refused(self, issued, credential):
        altered = issued.replace(b"/Title", b"/Titlf", 1)
        assert altered != issued and len(altered) == len(issued)
        result = check(credential.sign(altered), issued)
        assert not result.accepted and "not the text for signing issued by the portal" in result.reason

    def test_other_document_is_refused(self, issued, credential):
        result = check(credential.sign(pki.blank_pdf("Another text")), issued)
        assert not result.accepted and "not the text for signing" in result.reason

    def test_update_appended_after_signing_is_refused(self, issued, credential):
        result = check(pki.append_update(credential.sign(issued)), issued)
        assert not result.accepted and "changed after it was signed" in result.reason

    def test_update_between_issue_and_signature_is_refused(self, issued, credential):
        result = check(credential.sign(pki.append_update(issued)), issued)
        assert not result.accepted and "changed between the text for signing and your signature" in result.reason

    def test_tampered_signed_bytes_are_refused(self, issued, credential):
        signed = bytearray(credential.sign(issued))
        position = signed.index(b"/Lang") if b"/Lang" in signed else len(issued) + 20
        signed[position + 1] ^= 0x01
        result = check(bytes(signed), issued)
        assert not result.accepted

    def test_expired_certificate_is_refused(self, authority, issued):
        now = datetime.datetime.now(datetime.timezone.utc)
        expired = authority.issue(TAX_CODE, not_before=now - 400 * DAY, not_after=now - DAY)
        result = check(expired.sign(issued), issued, roots=trusted_roots_of(authority))
        assert not result.accepted and "certificate was not valid when the file was signed" in result.reason

    def test_not_yet_valid_certificate_is_refused(self, authority, issued):
        now = datetime.datetime.now(datetime.timezone.utc)
        future = authority.issue(TAX_CODE, not_before=now + DAY, not_after=now + 400 * DAY)
        result = check(future.sign(issued), issued)
        assert not result.accepted and "certificate was not valid" in result.reason

    def test_signing_time_before_issue_is_refused(self, issued, credential):
        result = check(credential.sign(issued), issued, issued_at=timezone.now() + DAY)
        assert not result.accepted and "signing time in the file" in result.reason

    def test_unsigned_pdf_is_refused(self, issued):
        result = check(issued, issued)
        assert not result.accepted and "has no digital signature" in result.reason

    def test_two_signatures_are_refused(self, authority, issued, credential):
        twice = authority.issue(OTHER_TAX_CODE).sign(credential.sign(issued), field_name="Firma2")
        result = check(twice, issued)
        assert not result.accepted and "carries 2 signatures" in result.reason

    def test_non_pdf_is_refused(self, issued):
        result = check(b"PK\x03\x04 a zip file, or a .p7m", issued)
        assert not result.accepted and "The file is not a PDF" in result.reason

    def test_broken_pdf_is_refused(self, issued):
        result = check(b"%PDF-1.7\n garbage", issued)
        assert not result.accepted and "could not be read" in result.reason

    def test_oversized_is_refused(self, settings, issued, credential):
        settings.CHARTER_QUALIFIED_MAX_MB = 0
        result = check(credential.sign(issued), issued)
        assert not result.accepted and "larger than 0 MB" in result.reason


def key_usage(**flags):
    from cryptography import x509

    names = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"]
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


def trusted_roots_of(authority):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return [asn1_x509.Certificate.load(authority.certificate.public_bytes(serialization.Encoding.DER))]


def test_trusted_roots_reads_the_configured_folder(settings, tmp_path, authority):
    pki.write_root(tmp_path, authority)
    (tmp_path / "README.txt").write_text("not a certificate")
    (tmp_path / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    settings.CHARTER_TRUSTED_ROOTS_DIR = str(tmp_path)
    roots = trusted_roots()
    assert [root.subject.native["common_name"] for root in roots] == ["Test Qualified CA"]
    settings.CHARTER_TRUSTED_ROOTS_DIR = ""
    assert trusted_roots() == []


@pytest.mark.django_db
class TestService:
    @pytest.fixture
    def pact(self):
        return OpenPactFactory()

    @pytest.fixture
    def signatory(self, pact):
        return pact.signatories.order_by("pk").first()

    @pytest.fixture
    def representative(self, signatory):
        return legal_representative(signatory.organisation, user=UserFactory(full_name="Mario Rossi"))

    @pytest.fixture
    def issued_draft(self, pact):
        return pki.use_real_draft(pact)

    def sign(self, pact, signatory, user, data, **kwargs):
        return services.sign_pact_qualified(
            pact, by=user, organisation=signatory.organisation, signed_file=data, ip="127.0.0.1",
            user_agent="test", reauthenticated_at=kwargs.pop("reauthenticated_at", timezone.now()), **kwargs,
        )

    def test_records_signature_and_evidence(
        self, settings, tmp_path, on_commit, mailoutbox, authority, credential, pact, signatory, representative,
        issued_draft,
    ):
        settings.CHARTER_TRUSTED_ROOTS_DIR = str(tmp_path)
        pki.write_root(tmp_path, authority)
        signed = credential.sign(issued_draft)
        with on_commit():
            signature = self.sign(pact, signatory, representative, signed)
        assert signature.signer == representative and signature.organisation == signatory.organisation
        assert signature.document_sha256 == hashlib.sha256(issued_draft).hexdigest()
        assert "qualified digital signature (PAdES" in signature.consent_text
        evidence = signature.qualified_evidence
        assert evidence.trust == QualifiedSignatureEvidence.Trust.ISSUER_VERIFIED
        assert evidence.certificate_tax_code == TAX_CODE
        assert evidence.signed_file.read() == signed
        assert evidence.signed_file_sha256 == hashlib.sha256(signed).hexdigest()
        assert settings.MEDIA_ROOT and evidence.signed_file.name.startswith("charter/signed/")
        assert [message.to for message in mailoutbox] == [[representative.email]]

    def test_integrity_only_without_roots(self, settings, credential, pact, signatory, representative, issued_draft):
        settings.CHARTER_TRUSTED_ROOTS_DIR = ""
        signature = self.sign(pact, signatory, representative, credential.sign(issued_draft))
        assert signature.qualified_evidence.trust == QualifiedSignatureEvidence.Trust.INTEGRITY_ONLY

    @pytest.mark.parametrize("case", ["someone_else", "altered", "unsigned", "not_pdf"])
    def test_refusals_record_nothing(self, case, authority, credential, pact, signatory, representative, issued_draft):
        data = {
            "someone_else": lambda: authority.issue(OTHER_TAX_CODE).sign(issued_draft),
            "altered": lambda: credential.sign(issued_draft.replace(b"/Title", b"/Titlf", 1)),
            "unsigned": lambda: issued_draft,
            "not_pdf": lambda: b"hello",
        }[case]()
        with pytest.raises(services.CharterError):
            self.sign(pact, signatory, representative, data)
        assert not Signature.objects.exists() and not QualifiedSignatureEvidence.objects.exists()

    def test_stale_reauthentication_is_refused(self, credential, pact, signatory, representative, issued_draft):
        with pytest.raises(services.CharterError, match="confirm your password"):
            self.sign(pact, signatory, representative, credential.sign(issued_draft),
                      reauthenticated_at=timezone.now() - datetime.timedelta(hours=1))
        assert not Signature.objects.exists()

    def test_only_the_confirmed_legal_representative(self, credential, pact, signatory, issued_draft):
        staff = UserFactory(staff=True)
        with pytest.raises(services.CharterError, match="Only the confirmed legal representative"):
            self.sign(pact, signatory, staff, credential.sign(issued_draft))
        assert not Signature.objects.exists()

    def test_once_per_organisation(self, credential, pact, signatory, representative, issued_draft):
        first = self.sign(pact, signatory, representative, credential.sign(issued_draft))
        assert self.sign(pact, signatory, representative, credential.sign(issued_draft)) == first
        other = legal_representative(signatory.organisation)
        with pytest.raises(services.CharterError, match="has already signed"):
            self.sign(pact, signatory, other, credential.sign(issued_draft))
        assert Signature.objects.count() == 1 and QualifiedSignatureEvidence.objects.count() == 1


def test_works_inside_a_running_event_loop(issued, credential):
    """pyHanko runs its own loop; an ASGI server's thread may already run one."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        return check(credential.sign(issued), issued)

    with ThreadPoolExecutor(max_workers=1) as executor:  # a thread of its own: Playwright's may run one
        assert executor.submit(asyncio.run, inside()).result().accepted
