"""The platform seal: with a certificate configured every rendered document carries exactly one
PAdES seal, applied before the SHA-256 is taken; pyHanko validates it, and one flipped byte
makes it fail. Without a certificate documents are issued unsealed, as before."""

import hashlib
import io

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from charter import services
from charter.models import Document, DocumentKind
from charter.pdf import html_to_pdf
from charter.seal import SEAL_FIELD_NAME, _outside_event_loop
from charter.services.versions import default_charter
from charter.tests.factories import CharterVersionFactory, PactFactory, approved_proposal, steering_member
from charter.demo_pki import make_seal
from charter.tests.pdfs import catalog, info_xmp_mismatches, pdfa_identification, pikepdf_open

HTML = "<html><body><h1>Documento di prova</h1><p>Testo.</p></body></html>"
TAGGED_HTML = (
    '<html lang="it"><head><title>Documento di prova</title></head>'
    "<body><h1>Documento</h1><p>Testo.</p></body></html>"
)


def validate(content, cert_path):
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))])
    signatures = PdfFileReader(io.BytesIO(content)).embedded_signatures
    assert len(signatures) == 1
    # Like sealing, pyHanko's synchronous validation needs a thread without a running loop.
    return _outside_event_loop(lambda: validate_pdf_signature(signatures[0], context))


def test_a_sealed_pdf_validates_and_a_flipped_byte_breaks_it(seal):
    rendered = html_to_pdf(HTML)
    assert rendered.sealed and "Portale di prova" in rendered.seal_subject

    status = validate(rendered.content, seal)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line

    reader = PdfFileReader(io.BytesIO(rendered.content))
    start, length, _, _ = reader.embedded_signatures[0].sig_object["/ByteRange"]
    tampered = bytearray(rendered.content)
    position = start + length // 2  # inside the first signed range
    tampered[position] ^= 0x01
    assert not validate(bytes(tampered), seal).intact


def test_a_seal_from_an_untrusted_certificate_is_intact_but_not_trusted(seal, tmp_path):
    rendered = html_to_pdf(HTML)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_cert, _, _ = make_seal(other_dir, common_name="Altro")
    status = validate(rendered.content, other_cert)
    assert status.intact and not status.trusted


@pytest.mark.django_db
def test_the_carta_is_sealed_once_before_it_is_hashed(seal):
    draft = CharterVersionFactory(charter=default_charter(), proposals=[approved_proposal("Rete di vicinato")])
    version = services.approve_version(draft, by=steering_member(coordinator=True))
    document = Document.objects.get(version=version, kind=DocumentKind.CHARTER)
    content = document.read_bytes()

    assert document.sealed and "Portale di prova" in document.seal_subject
    assert document.sha256 == hashlib.sha256(content).hexdigest()  # the hash is of the sealed bytes
    reader = PdfFileReader(io.BytesIO(content))
    assert [s.field_name for s in reader.embedded_signatures] == [SEAL_FIELD_NAME]
    assert validate(content, seal).bottom_line


@pytest.mark.django_db
def test_the_signed_pact_is_sealed_and_its_text_for_signing_is_not(seal):
    """The text for signing takes the representatives' own qualified signatures, alone."""
    import datetime

    from django.utils import timezone

    coordinator = steering_member(coordinator=True)
    pact = PactFactory()
    services.open_pact(pact, by=coordinator)
    draft = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    assert not draft.sealed and draft.seal_subject == ""
    assert PdfFileReader(io.BytesIO(draft.read_bytes())).embedded_signatures == []

    pact.__class__.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    services.close_pact(pact, by=coordinator)
    final = pact.documents.get(kind=DocumentKind.PACT_FINAL)
    content = final.read_bytes()
    assert final.sealed and final.sha256 == hashlib.sha256(content).hexdigest()
    assert [s.field_name for s in PdfFileReader(io.BytesIO(content)).embedded_signatures] == [SEAL_FIELD_NAME]
    assert validate(content, seal).bottom_line


def test_the_seal_keeps_the_document_pdfa(seal):
    """PDF/A allows an incremental update: pyHanko appends the seal after the issued bytes,
    updates the XMP packet it finds (its modification date) so that the info dictionary still
    agrees with it, and prints its invisible widget (PDF/A bans hidden annotations)."""
    from charter.seal import seal_pdf

    issued = html_to_pdf(TAGGED_HTML, seal=False).content
    sealed = seal_pdf(issued).content

    assert sealed[: len(issued)] == issued
    assert pdfa_identification(issued) == pdfa_identification(sealed) == ("2", "A")
    assert info_xmp_mismatches(sealed) == []
    assert catalog(sealed)["tagged"] and catalog(sealed)["lang"] == "it"
    with pikepdf_open(sealed) as pdf:
        (field,) = pdf.Root.AcroForm.Fields
        assert field.T == SEAL_FIELD_NAME and int(field.F) & 4 and not int(field.F) & 2  # print, not hidden
    assert validate(sealed, seal).bottom_line


def test_a_pdf_is_never_sealed_twice(seal):
    from charter.seal import seal_pdf

    rendered = html_to_pdf(HTML)
    with pytest.raises(ValueError):
        seal_pdf(rendered.content)


def test_without_a_certificate_documents_are_unsealed(settings):
    settings.CHARTER_SEAL_CERT_PATH = settings.CHARTER_SEAL_KEY_PATH = ""
    rendered = html_to_pdf(HTML)
    assert not rendered.sealed and rendered.seal_subject == ""
    assert PdfFileReader(io.BytesIO(rendered.content)).embedded_signatures == []


def test_sealing_works_where_an_event_loop_is_running(seal):
    """An async caller (or Playwright in the browser tests) already runs a loop in the thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def render():
        return html_to_pdf(HTML)

    def with_a_loop():
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(render())
        finally:
            loop.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        rendered = executor.submit(with_a_loop).result()
    assert validate(rendered.content, seal).bottom_line
