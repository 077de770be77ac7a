"""Attachments: the type is read from the content (PDF, ODT, DOCX, PNG, JPEG), never from the
name; the size is limited by a setting; the stored name cannot be guessed. The files are real,
tiny documents built here."""

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from projects import services
from projects.attachments import inspect_attachment
from projects.models import Attachment, Proposal
from projects.services import ProjectsError
from projects.tests.factories import ProposalFactory, ProposalPartnerFactory, MembershipFactory, lead_member

pytestmark = pytest.mark.django_db


def tiny_pdf():
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Piano delle attività</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def tiny_odt():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content/>')
    return out.getvalue()


def tiny_png():
    """A real 1×1 PNG: signature, IHDR, IDAT, IEND with their CRCs."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def tiny_jpeg():
    image = pytest.importorskip("PIL.Image").new("RGB", (2, 2), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_test_files_are_real_documents():
    assert len(PdfReader(io.BytesIO(tiny_pdf())).pages) == 1
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(tiny_docx())).namelist()
    assert zipfile.ZipFile(io.BytesIO(tiny_odt())).namelist()[0] == "mimetype"


@pytest.mark.parametrize(
    "builder, name, content_type, extension, stored_name",
    [
        (tiny_pdf, "Progetto.pdf", "application/pdf", ".pdf", "Progetto.pdf"),
        (tiny_docx, "Piano attività.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Piano attività.docx"),
        (tiny_odt, "bilancio.odt", "application/vnd.oasis.opendocument.text", ".odt", "bilancio.odt"),
        (tiny_png, "logo.png", "image/png", ".png", "logo.png"),
        (tiny_jpeg, "foto.jpeg", "image/jpeg", ".jpg", "foto.jpeg"),
        (tiny_jpeg, "foto.JPG", "image/jpeg", ".jpg", "foto.JPG"),
        # The name ends with the extension of the type read from the content.
        (tiny_pdf, "senza-estensione", "application/pdf", ".pdf", "senza-estensione.pdf"),
        (tiny_pdf, "evil.html", "application/pdf", ".pdf", "evil.pdf"),
        (tiny_png, "logo.pdf", "image/png", ".png", "logo.png"),
    ],
)
def test_accepted_types_are_stored_under_a_random_name(builder, name, content_type, extension, stored_name):
    proposal = ProposalFactory()
    user = lead_member(proposal)
    content = builder()
    attachment = services.add_attachment(proposal, by=user, file=upload(name, content))
    attachment.refresh_from_db()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        stored_name, content_type, len(content),
    )
    assert attachment.uploaded_by == user
    # 24 random bytes, URL-safe: neither the original name nor the proposal can be read from it.
    assert re.fullmatch(rf"projects/attachments/[A-Za-z0-9_-]{{32}}{re.escape(extension)}", attachment.file.name)
    again = services.add_attachment(proposal, by=user, file=upload(name, content))
    assert again.file.name != attachment.file.name
    with attachment.file.open("rb") as stored_file:
        assert stored_file.read() == content


@pytest.mark.parametrize(
    "name, content",
    [
        ("relazione.pdf", b"Questo e' solo testo, non un PDF.\n"),
        ("programma.docx", b"PK\x03\x04 not really a zip archive"),
        ("archivio.docx", None),  # a real zip, but not a Word document
        ("script.png", b"#!/bin/sh\necho hi\n"),
        ("pagina.pdf", b"<html><body>%PDF-</body></html>"),
    ],
)
def test_content_that_is_not_an_accepted_type_is_refused_whatever_the_name(name, content):
    if content is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("notes.txt", "ciao")
        content = out.getvalue()
    proposal = ProposalFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.add_attachment(proposal, by=lead_member(proposal), file=upload(name, content))
    assert excinfo.value.message_dict["file"] == [
        "This file is not an accepted type: upload a PDF, ODT or DOCX document, or a PNG or JPEG "
        "image. The type is read from the content, not from the name."
    ]
    assert not Attachment.objects.exists()


def test_file_over_the_size_limit_is_refused(settings):
    settings.PROJECTS_ATTACHMENT_MAX_BYTES = 1024
    proposal = ProposalFactory()
    content = tiny_pdf() + b"%" + b"x" * 2000 + b"\n"
    with pytest.raises(ValidationError) as excinfo:
        services.add_attachment(proposal, by=lead_member(proposal), file=upload("grande.pdf", content))
    assert excinfo.value.message_dict["file"][0].startswith("The file is too large (2.")
    assert "the limit is 1.0\xa0KB" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_default_limit_is_ten_megabytes():
    big = SimpleUploadedFile("grande.pdf", b"%PDF-1.4\n")
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="the limit is 10.0"):
        inspect_attachment(big)


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="The file is empty"):
        inspect_attachment(upload("vuoto.pdf", b""))


def test_attachments_only_while_editable_and_only_by_the_lead():
    submitted = ProposalFactory(status=Proposal.Status.SUBMITTED)
    with pytest.raises(ProjectsError, match="can be changed only while"):
        services.add_attachment(submitted, by=lead_member(submitted), file=upload("a.pdf", tiny_pdf()))
    draft = ProposalFactory()
    partner = ProposalPartnerFactory(proposal=draft, status="accepted")
    with pytest.raises(ProjectsError, match="not allowed"):
        services.add_attachment(draft, by=MembershipFactory(organisation=partner.organisation).user,
                                file=upload("a.pdf", tiny_pdf()))
    assert not Attachment.objects.exists()


def test_remove_attachment_deletes_the_file_after_commit(on_commit):
    proposal = ProposalFactory()
    user = lead_member(proposal)
    attachment = services.add_attachment(proposal, by=user, file=upload("a.pdf", tiny_pdf()))
    stored = attachment.file.name
    assert default_storage.exists(stored)
    with on_commit():
        services.remove_attachment(attachment, by=user)
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)


def test_attachment_visibility_follows_the_proposal():
    proposal = ProposalFactory()
    user = lead_member(proposal)
    attachment = services.add_attachment(proposal, by=user, file=upload("a.pdf", tiny_pdf()))
    assert user.has_perm("projects.view_attachment", attachment)
    assert user.has_perm("projects.delete_attachment", attachment)
    outsider = MembershipFactory().user
    assert not outsider.has_perm("projects.view_attachment", attachment)
    assert not outsider.has_perm("projects.delete_attachment", attachment)
