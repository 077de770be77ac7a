"""Test helpers around the throw-away PKI of charter.demo_pki: stand-in PDFs, tampering, and
trusted-roots folders."""

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from charter.demo_pki import Authority, Credential, make_seal

__all__ = ["Authority", "Credential", "make_seal", "blank_pdf", "append_update", "use_real_draft", "write_root"]


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
