"""The platform seal: a PAdES signature pyHanko applies once, at the end of rendering.

Configured with CHARTER_SEAL_CERT_PATH, CHARTER_SEAL_KEY_PATH (PEM) and
CHARTER_SEAL_KEY_PASSPHRASE. Without them documents stay unsealed and the portal says so.
Sealed: the Carta (at approval) and the signed Patto (at closing), the final documents. The
Patto's text for signing is not: legal representatives sign it with their own qualified
signature, which must be the only signature in the file they upload (charter.qualified). The
portal never adds a second seal: a change makes a new document.

The seal is an incremental update, which PDF/A allows: the documents stay PDF/A-2 level A
(charter.pdf) once sealed; `_producer_as_pyhanko_writes_it` keeps their metadata consistent.
"""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD_NAME = "SigilloPortale"


@dataclass
class Sealed:
    content: bytes
    subject: str


def is_configured():
    return bool(getattr(settings, "CHARTER_SEAL_CERT_PATH", "") and getattr(settings, "CHARTER_SEAL_KEY_PATH", ""))


def load_signer():
    from pyhanko.sign import signers

    passphrase = getattr(settings, "CHARTER_SEAL_KEY_PASSPHRASE", "") or None
    signer = signers.SimpleSigner.load(
        settings.CHARTER_SEAL_KEY_PATH, settings.CHARTER_SEAL_CERT_PATH,
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if signer is None:
        raise ImproperlyConfigured("The platform seal's certificate or key cannot be read.")
    return signer


def seal_pdf(content, signer=None):
    """`content` with one PAdES seal; `signer` defaults to the configured one."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signer or load_signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    if any(name == SEAL_FIELD_NAME for name, *_ in fields.enumerate_sig_fields(writer)):
        raise ValueError("This PDF already carries the platform seal.")
    _producer_as_pyhanko_writes_it(writer)
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason="Documento emesso dal portale", name=settings.PORTAL_NAME,
    )
    output = _outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=signer))
    return Sealed(content=output.getvalue(), subject=signer.signing_cert.subject.human_friendly)


def _producer_as_pyhanko_writes_it(writer):
    """The documents are PDF/A, whose info dictionary must say what their XMP metadata says.
    pyHanko's update sets the XMP producer to its own name but appends that name to the info
    dictionary's ("WeasyPrint 70.0; pyHanko 0.38.0"): the info entry is set to pyHanko's name
    first, in the same incremental update, so that both agree (a valid, invisible-printing seal
    is otherwise PDF/A-friendly: the update appends, and the widget carries the print flag)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    try:
        info_ref = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info_ref)


def _outside_event_loop(function):
    """pyHanko's synchronous API starts an event loop of its own, which fails in a thread that
    already runs one (an async caller, Playwright in tests): there it runs in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function).result()


def seal_if_configured(content):
    """(bytes, seal subject or "") — the bytes unchanged when no seal is configured."""
    if not is_configured():
        return content, ""
    sealed = seal_pdf(content)
    return sealed.content, sealed.subject
