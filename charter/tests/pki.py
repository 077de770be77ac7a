"""A throw-away PKI and a PAdES signer, for tests and the demo: a root CA, signer certificates
whose subject carries `serialNumber=TINIT-<codice fiscale>` as Italian qualified certificates
do, and signing a PDF as the legal representative's own software would (an incremental update
after the issued bytes)."""

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


def blank_pdf(text="Patto di solidarietà"):
    """A small real PDF (one page), standing in for the issued text for signing."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({NameObject("/Title"): TextStringObject(text)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def append_update(pdf_bytes):
    """An incremental update after the signature (a changed title), as a tampering editor adds."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("it")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def use_real_draft(pact, text="Patto di solidarietà"):
    """Replace the pact's stand-in text for signing with a real PDF; its bytes."""
    import hashlib

    from django.core.files.base import ContentFile

    from charter.models import DocumentKind

    content = blank_pdf(text)
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    document.file.save("pact.pdf", ContentFile(content), save=False)
    document.sha256, document.size = hashlib.sha256(content).hexdigest(), len(content)
    document.save()
    return content


def write_root(directory, authority, name="root.pem"):
    """Drop the authority's certificate into a CHARTER_TRUSTED_ROOTS_DIR."""
    path = directory / name
    path.write_bytes(authority.pem)
    return path
