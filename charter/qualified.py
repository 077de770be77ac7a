"""Checking a Patto signed with a qualified digital signature (firma digitale, PAdES).

The legal representative downloads the text for signing, signs it with their own software and
uploads the result. `check_signed_pact` is a pure function: bytes in, a `QualifiedCheck` out,
nothing written. It accepts the file only when all of these hold:

- it is a PDF (magic bytes) no larger than CHARTER_QUALIFIED_MAX_MB;
- it carries exactly one signature (one organisation, one signer: a co-signed file is refused);
- the signature is cryptographically intact and covers the whole file but its own contents
  (pyHanko's ENTIRE_FILE), and its revision is the last one (nothing was appended after signing);
- the bytes before the signature's revision are exactly the issued document (its SHA-256 is the
  stored one) and the signature's revision is the only one added to it;
- the signer certificate's subject serialNumber is `TINIT-<codice fiscale>` and the codice
  fiscale is the confirmed legal representative's (case-insensitive); a certificate whose key
  usage allows neither non-repudiation nor digital signatures is refused;
- the certificate was valid when the file was signed, and the signing time the software reports
  lies between the document's issue and now (a few minutes of clock drift allowed).

Trust is recorded, not required: when the chain validates up to one of the roots the operator put
in CHARTER_TRUSTED_ROOTS_DIR (PEM files) the signature is "qualified, issuer verified";
otherwise (or with no roots configured) it is "integrity verified, issuer not verified", and the
steering group's progress page says so. Revocation is not checked online (no fetching).
"""

import asyncio
import dataclasses
import datetime
import hashlib
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = ["QualifiedCheck", "TRUST_INTEGRITY_ONLY", "TRUST_ISSUER_VERIFIED", "check_signed_pact", "trusted_roots"]

logger = logging.getLogger(__name__)

TRUST_ISSUER_VERIFIED = "issuer_verified"
TRUST_INTEGRITY_ONLY = "integrity_only"
TAX_CODE_PREFIX = "TINIT-"
CLOCK_DRIFT = datetime.timedelta(minutes=5)


@dataclasses.dataclass
class QualifiedCheck:
    """The outcome: `accepted`, or `reason` says why not, in words the signer can act on."""

    accepted: bool
    reason: str = ""
    subject: str = ""
    holder: str = ""
    issuer: str = ""
    serial_number: str = ""
    tax_code: str = ""
    not_before: datetime.datetime | None = None
    not_after: datetime.datetime | None = None
    signed_at: datetime.datetime | None = None
    trust: str = ""
    trust_detail: str = ""

    @property
    def issuer_verified(self):
        return self.trust == TRUST_ISSUER_VERIFIED


def refuse(reason, **kwargs):
    return QualifiedCheck(accepted=False, reason=reason, **kwargs)


def max_bytes():
    """The one limit of an uploaded signed Patto: the upload handler stops reading past it, a
    request declaring more is refused unread, the form and this check refuse a larger file."""
    return settings.CHARTER_QUALIFIED_MAX_MB * 1024 * 1024


def trusted_roots(directory=None):
    """The CA certificates (PEM or DER, one or more per file) in CHARTER_TRUSTED_ROOTS_DIR."""
    directory = directory if directory is not None else settings.CHARTER_TRUSTED_ROOTS_DIR
    if not directory:
        return []
    roots = []
    for path in sorted(Path(directory).glob("*")):
        if not path.is_file() or path.suffix.lower() not in {".pem", ".crt", ".cer", ".der"}:
            continue
        data = path.read_bytes()
        try:
            if pem.detect(data):
                roots.extend(
                    asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)
                )
            else:
                roots.append(asn1_x509.Certificate.load(data))
        except ValueError:
            logger.warning("Skipping %s: not a certificate", path)
    return roots


def _revisions(data):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data), strict=False).xrefs.total_revisions


def _outside_event_loop(function, *args):
    """pyHanko runs its own event loop (asyncio.run): in a worker thread when the caller's
    thread already runs one (an ASGI server, a browser test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function, *args).result()


def _aware(moment):
    return moment if moment is None or timezone.is_aware(moment) else moment.replace(tzinfo=datetime.timezone.utc)


def _holder(subject):
    """The certificate holder's name, without the serialNumber that carries their codice fiscale:
    what a record others read may say about the certificate's subject."""
    name = subject.get("common_name") or " ".join(
        part for part in (subject.get("given_name"), subject.get("surname")) if part
    )
    return str(name or "")


def check_signed_pact(data, *, issued, tax_code, issued_at=None, roots=None, now=None):
    """Check `data` (the uploaded bytes) against `issued` (the bytes of the text for signing)
    and the legal representative's `tax_code`. `roots`: trusted CA certificates (defaults to
    those in CHARTER_TRUSTED_ROOTS_DIR)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    now = now or timezone.now()
    if len(data) > max_bytes():
        return refuse(_("The file is larger than %(size)d MB: upload the signed PDF only.")
                      % {"size": settings.CHARTER_QUALIFIED_MAX_MB})
    if not data.startswith(b"%PDF-"):
        return refuse(_("The file is not a PDF. Upload the text for signing signed in PAdES format (a .pdf file, "
                        "not .p7m)."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any parsing failure means the same to the signer
        logger.info("Unreadable signed PDF", exc_info=True)
        return refuse(_("The PDF could not be read. Upload the file your signing software produced, unchanged."))
    if not signatures:
        return refuse(_("The PDF has no digital signature. Sign it with your signing software (PAdES format) and "
                        "upload the signed file."))
    if len(signatures) > 1:
        return refuse(_("The PDF carries %(count)d signatures: upload the text for signing with your signature "
                        "only.") % {"count": len(signatures)})
    signature = signatures[0]

    # Exactly the issued document, then the signature's revision and nothing else.
    if hashlib.sha256(data[:len(issued)]).digest() != hashlib.sha256(issued).digest():
        return refuse(_("The signed file is not the text for signing issued by the portal (or it was changed "
                        "before signing). Download the text for signing again, sign it without editing it, and "
                        "upload the result."))
    try:
        issued_revisions = _revisions(issued)
        total_revisions = reader.xrefs.total_revisions
    except Exception:  # noqa: BLE001
        logger.info("Unreadable revisions", exc_info=True)
        return refuse(_("The PDF could not be read. Upload the file your signing software produced, unchanged."))
    if signature.signed_revision != total_revisions - 1:
        return refuse(_("The file was changed after it was signed. Upload the file exactly as your signing "
                        "software produced it."))
    if total_revisions != issued_revisions + 1 or signature.signed_revision != issued_revisions:
        return refuse(_("The file was changed between the text for signing and your signature. Sign the text for "
                        "signing as downloaded."))

    # The certificate: who signed, and whether it was valid.
    certificate = signature.signer_cert
    subject = certificate.subject.native
    serial = str(subject.get("serial_number") or "")
    details = {
        "subject": certificate.subject.human_friendly, "holder": _holder(subject),
        "issuer": certificate.issuer.human_friendly,
        "serial_number": format(certificate.serial_number, "x"),
        "tax_code": serial[len(TAX_CODE_PREFIX):].upper() if serial.upper().startswith(TAX_CODE_PREFIX) else "",
        "not_before": _aware(certificate.not_valid_before), "not_after": _aware(certificate.not_valid_after),
    }
    if not details["tax_code"]:
        return refuse(_("The signer's certificate carries no Italian codice fiscale (serialNumber TINIT-…): use "
                        "your qualified signature certificate."), **details)
    key_usage = certificate.key_usage_value
    if key_usage is not None and not {"non_repudiation", "digital_signature"} & set(key_usage.native):
        return refuse(_("The signer's certificate is not a signing certificate: use your qualified signature "
                        "certificate."), **details)
    if details["tax_code"] != (tax_code or "").strip().upper():
        return refuse(_("The file was signed by someone else (codice fiscale %(signer)s), not by the organisation's "
                        "confirmed legal representative.") % {"signer": details["tax_code"]}, **details)

    try:
        roots = list(roots if roots is not None else trusted_roots())
        vc = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = _outside_event_loop(validate_pdf_signature, signature, vc)
    except Exception:  # noqa: BLE001
        logger.info("Signature validation failed", exc_info=True)
        return refuse(_("The signature could not be checked. Upload the file your signing software produced, "
                        "unchanged."), **details)
    if not (status.intact and status.valid):
        return refuse(_("The signature does not match the file: the file was changed after signing, or the signature "
                        "is damaged."), **details)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return refuse(_("The signature does not cover the whole file: something was added after signing. Upload "
                        "the file exactly as your signing software produced it."), **details)

    signed_at = _aware(status.signer_reported_dt) or now
    if signed_at > now + CLOCK_DRIFT or (issued_at is not None and signed_at < issued_at - CLOCK_DRIFT):
        return refuse(_("The signing time in the file (%(moment)s) is not plausible: it must fall between the issue "
                        "of the text for signing and now.") % {"moment": timezone.localtime(signed_at)}, **details)
    if not (details["not_before"] <= signed_at <= details["not_after"]):
        return refuse(_("The signer's certificate was not valid when the file was signed (valid from %(start)s to "
                        "%(end)s).") % {"start": timezone.localtime(details["not_before"]).date(),
                                        "end": timezone.localtime(details["not_after"]).date()}, **details)

    if status.trusted:
        trust, trust_detail = TRUST_ISSUER_VERIFIED, ""
    else:
        trust = TRUST_INTEGRITY_ONLY
        trust_detail = (_("The issuer's chain does not lead to a configured trusted root.") if roots
                        else _("No trusted certification authorities are configured."))
    return QualifiedCheck(accepted=True, signed_at=signed_at, trust=trust, trust_detail=trust_detail, **details)
