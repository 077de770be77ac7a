"""Signing and declining the pact, by each organisation's confirmed legal representative.

Decisions, so that the pages and the tests agree:
- Full name: the typed name must equal the account's full name once both are cleaned as names
  are (welfare_portal.fields.clean_name: NFC, no invisible characters, runs of whitespace
  collapsed) and case-folded ("  luca   ROSSI " matches "Luca Rossi"); accents, apostrophes and
  titles count ("Rossi" or "Luca Rosși" do not match). The typed name is stored cleaned.
- Fresh re-authentication: the view passes the moment the person last re-entered their password
  or MFA code (`charter.reauthentication.recent_reauthentication(request)`); older than
  CHARTER_REAUTHENTICATION_MAX_AGE seconds (default 300) or missing, the signature is refused.
- Idempotent: the same person signing again for the same organisation gets the existing
  signature back, even after the pact has closed; anyone else is told it has been signed.
- Concurrency: the pact's row, then the signatory's, are locked for the whole check-and-insert;
  the unique constraint on (pact, organisation) is the last guard.
- An answer is final: an organisation that declined cannot sign the same pact, and the reverse.
- The deadline is the last day to answer, included.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from welfare_portal.fields import clean_name

from .. import emails
from ..models import Decline, DocumentKind, Signatory, Signature
from .base import (
    CharterError, require_active, require_legal_representative, require_text, require_text_for_signing,
)
from .pacts import lock_pact

__all__ = [
    "consent_statement", "decline_pact", "names_match", "reauthentication_max_age", "record_fingerprint", "sign_pact",
]

USER_AGENT_MAX_LENGTH = 500


def reauthentication_max_age():
    return settings.CHARTER_REAUTHENTICATION_MAX_AGE


def _normalise_name(name):
    return clean_name(name or "").casefold()


def names_match(typed, full_name):
    typed = _normalise_name(typed)
    return bool(typed) and typed == _normalise_name(full_name)


def consent_statement(pact, organisation, document):
    """The sentence the legal representative confirms; stored with the signature as shown."""
    return _(
        "As the legal representative of %(organisation)s, I sign “%(pact)s” on its behalf and commit it "
        "to the responsibilities and resources stated in the document whose SHA-256 fingerprint is "
        "%(sha256)s."
    ) % {"organisation": organisation.name, "pact": pact.title, "sha256": document.sha256}


def _lock_signatory(pact, organisation):
    signatory = (
        Signatory.objects.select_for_update(of=("self",)).select_related("organisation")
        .filter(pact=pact, organisation=organisation).first()
    )
    if signatory is None:
        raise CharterError(
            _("%(organisation)s is not among the signatories of this pact.") % {"organisation": organisation.name}
        )
    return signatory


def _require_can_answer(pact, organisation):
    if not pact.is_open:
        raise CharterError(
            _("The pact is “%(status)s”: it cannot be signed or declined now.") % {"status": pact.get_status_display()}
        )
    if pact.deadline_passed():
        raise CharterError(
            _("The deadline for answering was %(date)s: the pact can no longer be signed or declined.")
            % {"date": date_format(pact.deadline, "DATE_FORMAT")}
        )
    signature = Signature.objects.filter(pact=pact, organisation=organisation).first()
    if signature is not None:
        raise CharterError(
            _("%(organisation)s has already signed this pact, on %(date)s.")
            % {"organisation": organisation.name, "date": date_format(timezone.localtime(signature.signed_at))}
        )
    decline = Decline.objects.filter(pact=pact, organisation=organisation).first()
    if decline is not None:
        raise CharterError(
            _("%(organisation)s declined this pact on %(date)s; that answer is final.")
            % {"organisation": organisation.name, "date": date_format(timezone.localtime(decline.declined_at))}
        )


def _require_fresh_reauthentication(reauthenticated_at, now):
    max_age = reauthentication_max_age()
    if reauthenticated_at is None or not (
        now - datetime.timedelta(seconds=max_age) <= reauthenticated_at <= now + datetime.timedelta(seconds=60)
    ):
        raise CharterError(
            _("For your security, confirm your password (or authentication code) again, then sign within "
              "%(minutes)d minutes.") % {"minutes": max(1, max_age // 60)}
        )


def record_fingerprint(signature):
    record = {
        "pact": signature.pact_id, "organisation": signature.organisation_id, "signer": signature.signer_id,
        "signer_email": signature.signer_email, "full_name": signature.full_name,
        "consent_text": signature.consent_text, "signed_at": signature.signed_at.isoformat(),
        "reauthenticated_at": signature.reauthenticated_at.isoformat(), "ip_address": signature.ip_address,
        "user_agent": signature.user_agent, "document_sha256": signature.document_sha256,
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def sign_pact(
    pact, *, by, organisation, full_name, consent, ip, user_agent, reauthenticated_at, document_sha256=None,
):
    """Sign the open pact for `organisation`. `document_sha256`, when given, is the fingerprint
    the signer was shown: if the document differs, nothing is signed."""
    require_active(by)
    now = timezone.now()
    with transaction.atomic():
        pact = lock_pact(pact)
        _lock_signatory(pact, organisation)
        existing = Signature.objects.filter(pact=pact, organisation=organisation).first()
        if existing is not None and existing.signer_id == by.pk:
            return existing
        require_legal_representative(by, organisation)
        _require_can_answer(pact, organisation)
        document = require_text_for_signing(pact)
        if document_sha256 is not None and document_sha256 != document.sha256:
            raise CharterError(_("The document has changed since you opened it: read it again before signing."))
        if not consent:
            raise CharterError(_("Confirm the consent statement to sign."))
        if not (by.full_name or "").strip():
            raise CharterError(_("Your account has no full name: add it to your profile before signing."))
        if not names_match(full_name, by.full_name):
            raise CharterError(
                _("Type your full name exactly as it appears in your account: %(name)s.") % {"name": by.full_name}
            )
        _require_fresh_reauthentication(reauthenticated_at, now)
        signature = Signature(
            pact=pact, organisation=organisation, signer=by, signer_name=by.full_name, signer_email=by.email,
            full_name=clean_name(full_name), consent_text=consent_statement(pact, organisation, document),
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
        everyone_answered = not pact.signatories.unanswered().exists()
        transaction.on_commit(lambda: emails.send_pact_signed(signature, everyone_answered=everyone_answered))
    return signature


def decline_pact(pact, *, by, organisation, reason):
    """Refuse to sign for `organisation`, giving the reason the steering group will read."""
    require_active(by)
    reason = require_text(reason, _("Give the reason for declining: the steering group will read it."))
    with transaction.atomic():
        pact = lock_pact(pact)
        _lock_signatory(pact, organisation)
        existing = Decline.objects.filter(pact=pact, organisation=organisation).first()
        if existing is not None and existing.declined_by_id == by.pk:
            return existing
        require_legal_representative(by, organisation)
        _require_can_answer(pact, organisation)
        decline = Decline.objects.create(pact=pact, organisation=organisation, declined_by=by, reason=reason)
        everyone_answered = not pact.signatories.unanswered().exists()
        transaction.on_commit(lambda: emails.send_pact_declined(decline, everyone_answered=everyone_answered))
    return decline
