"""Signing the Patto by uploading it signed with a qualified digital signature (PAdES).

The same rules as signing on the portal (charter.services.signing): only the organisation's
confirmed legal representative, after a fresh re-authentication, while the pact takes answers,
once per organisation, under the same locks. The file is checked (charter.qualified) before the
locks are taken, since that is the slow part, against the text for signing and the codice
fiscale staff recorded when they confirmed the role; a refusal records nothing. On success the
Signature row is the answer, as for on-line signing, and a QualifiedSignatureEvidence row keeps
the signed file (private storage) and what its certificate said.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Membership
from partners.validators import without_personal_tax_codes

from .. import emails
from ..models import DocumentKind, QualifiedSignatureEvidence, Signature
from ..qualified import check_signed_pact
from .base import CharterError, require_active, require_legal_representative, require_text_for_signing
from .pacts import lock_pact
from .signing import (
    USER_AGENT_MAX_LENGTH,
    _lock_signatory,
    _require_can_answer,
    _require_fresh_reauthentication,
    record_fingerprint,
)

__all__ = ["qualified_consent_statement", "representative_tax_code", "sign_pact_qualified"]


def qualified_consent_statement(pact, organisation, document, check):
    """What the record says was signed, in place of the on-line consent statement. It names the
    certificate by holder, issuer and serial number: never by its subject's serialNumber, which
    carries the holder's codice fiscale and would reach the public annex of the Patto (nor by a
    holder's name that quotes one, as some certificates' common names do)."""
    return _(
        "The legal representative of %(organisation)s signed “%(pact)s” on its behalf with a qualified "
        "digital signature (PAdES; certificate of %(holder)s issued by %(issuer)s, serial number %(serial)s) "
        "over the document whose SHA-256 fingerprint is %(sha256)s."
    ) % {
        "organisation": organisation.name, "pact": pact.title,
        "holder": without_personal_tax_codes(check.holder), "issuer": without_personal_tax_codes(check.issuer),
        "serial": check.serial_number, "sha256": document.sha256,
    }


def representative_tax_code(user, organisation):
    """The codice fiscale staff recorded when they confirmed the person's role, or ''."""
    membership = Membership.objects.confirmed_legal_representatives().filter(
        user=user, organisation=organisation,
    ).first()
    return membership.representative_tax_code if membership is not None else ""


def sign_pact_qualified(pact, *, by, organisation, signed_file, ip, user_agent, reauthenticated_at):
    """Sign the open pact for `organisation` with the uploaded PAdES file (`signed_file`: bytes)."""
    require_active(by)
    require_legal_representative(by, organisation)
    now = timezone.now()
    _require_fresh_reauthentication(reauthenticated_at, now)
    document = require_text_for_signing(pact)
    tax_code = representative_tax_code(by, organisation)
    if not tax_code:
        raise CharterError(_("Your codice fiscale is not recorded with your role: ask the portal's staff to add it, "
                             "then upload the signed file again."))
    with document.file.open("rb") as handle:
        issued = handle.read()
    check = check_signed_pact(signed_file, issued=issued, tax_code=tax_code, issued_at=document.rendered_at, now=now)
    if not check.accepted:
        raise CharterError(check.reason)
    with transaction.atomic():
        pact = lock_pact(pact)
        _lock_signatory(pact, organisation)
        existing = Signature.objects.filter(pact=pact, organisation=organisation).first()
        if existing is not None and existing.signer_id == by.pk:
            return existing
        require_legal_representative(by, organisation)
        _require_can_answer(pact, organisation)
        current = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
        if current.sha256 != document.sha256:
            raise CharterError(_("The document has changed since you opened it: read it again before signing."))
        signature = Signature(
            pact=pact, organisation=organisation, signer=by, signer_name=by.full_name, signer_email=by.email,
            full_name=by.full_name or without_personal_tax_codes(check.holder)[:200],
            consent_text=qualified_consent_statement(pact, organisation, document, check),
            signed_at=now, reauthenticated_at=reauthenticated_at, ip_address=ip or None,
            user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH], document=document,
            document_sha256=document.sha256,
        )
        signature.record_sha256 = record_fingerprint(signature)
        try:
            with transaction.atomic():
                signature.save()
        except IntegrityError:
            # Only reachable without row locks (SQLite): another request signed first.
            existing = Signature.objects.get(pact=pact, organisation=organisation)
            if existing.signer_id == by.pk:
                return existing
            raise CharterError(
                _("%(organisation)s has already signed this pact.") % {"organisation": organisation.name}
            )
        evidence = QualifiedSignatureEvidence(
            signature=signature, signed_file_sha256=hashlib.sha256(signed_file).hexdigest(),
            signed_file_size=len(signed_file), certificate_subject=check.subject[:500],
            certificate_issuer=check.issuer[:500], certificate_serial_number=check.serial_number[:100],
            certificate_tax_code=check.tax_code[:16], certificate_not_before=check.not_before,
            certificate_not_after=check.not_after, signing_time=check.signed_at, trust=check.trust,
            trust_detail=check.trust_detail[:300], checked_at=now,
        )
        evidence.signed_file.save("signed.pdf", ContentFile(signed_file), save=False)
        evidence.save()
        everyone_answered = not pact.signatories.unanswered().exists()
        transaction.on_commit(lambda: emails.send_pact_signed(signature, everyone_answered=everyone_answered))
    return signature
