"""A throw-away PKI for the demo and the tests, never for production: a root CA, signer
certificates whose subject carries `serialNumber=TINIT-<codice fiscale>` as Italian qualified
certificates do, signing a PDF as a legal representative's own software would (an incremental
update after the issued bytes), and a self-signed certificate for the platform seal.

seed_demo uses it so a newcomer sees a sealed Patto and an uploaded qualified signature without
owning a real certificate; the tests use it to build every good and bad case."""

import datetime
import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

__all__ = ["Authority", "Credential", "make_seal"]

DAY = datetime.timedelta(days=1)


class Authority:
    """A root CA with its key; `pem` is what an operator drops into CHARTER_TRUSTED_ROOTS_DIR."""

    def __init__(self, name="Test Qualified CA"):
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Trust Service"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.certificate = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - 30 * DAY).not_valid_after(now + 3650 * DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    @property
    def pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue(self, tax_code, *, name="Mario Rossi", not_before=None, not_after=None, key_usage=None):
        """A signer certificate for the person with that codice fiscale."""
        now = datetime.datetime.now(datetime.timezone.utc)
        key = ec.generate_private_key(ec.SECP256R1())
        given, _, family = name.partition(" ")
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.GIVEN_NAME, given),
            x509.NameAttribute(NameOID.SURNAME, family or given),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"TINIT-{tax_code}"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ])
        certificate = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(self.certificate.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - DAY).not_valid_after(not_after or now + 365 * DAY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage or _key_usage(ca=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return Credential(key, certificate, self)


class Credential:
    """A signer's key and certificate, as on their smart card."""

    def __init__(self, key, certificate, authority):
        self.key, self.certificate, self.authority = key, certificate, authority

    def signer(self):
        der_key = self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption(),
        )
        return signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(self.certificate.public_bytes(serialization.Encoding.DER)),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs([
                asn1_x509.Certificate.load(self.authority.certificate.public_bytes(serialization.Encoding.DER)),
            ]),
        )

    def sign(self, pdf_bytes, field_name="Firma"):
        """The PAdES-signed file: `pdf_bytes` untouched, then the signature's revision. pyHanko
        runs its own event loop: in a worker thread when one already runs (Playwright's)."""
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._sign(pdf_bytes, field_name)
        with ThreadPoolExecutor(max_workers=1) as executor:
            return executor.submit(self._sign, pdf_bytes, field_name).result()

    def _sign(self, pdf_bytes, field_name):
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        output = signers.sign_pdf(
            writer, signers.PdfSignatureMetadata(field_name=field_name, subfilter=SigSeedSubFilter.PADES),
            signer=self.signer(), in_place=False,
        )
        return output.getvalue()


def _key_usage(*, ca):
    return x509.KeyUsage(
        digital_signature=not ca, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )


def make_seal(directory, *, common_name="Portale di prova", passphrase=b"segreto", days=30):
    """A self-signed seal certificate valid for `days`: writes cert.pem and key.pem (encrypted
    with `passphrase`, if any) into `directory`; returns (cert_path, key_path, cert_pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ambito di prova"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert_pem)
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    return cert_path, key_path, cert_pem
