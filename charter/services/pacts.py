"""The Patto di solidarietà: preparation, opening for signature, reminders and closing.

A pact is prepared as a draft for a published version: the signatories are the partners (leads
and accepted co-partners) of the version's frozen projects, plus the organisations the steering
group adds. Opening owes the PDF that legal representatives sign, so from then on neither its
text nor its signatories change; it is rendered in the background once the opening commits, and
nobody can sign until it is stored. Closing owes the signed document with its annex.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Organisation

from .. import emails
from ..documents import owe_document
from ..models import CharterVersion, DocumentKind, Pact, PactStatusChange, Signatory
from ..texts import DEFAULT_PACT_TEXT, DEFAULT_PACT_TITLE
from .base import CharterError, require_active, require_perm, require_text
from .versions import lock_version

Status = Pact.Status

__all__ = [
    "add_signatory", "close_pact", "create_pact", "lock_pact", "open_pact", "remove_signatory",
    "send_reminders", "update_pact", "update_signatory",
]


def lock_pact(pact):
    return Pact.objects.select_for_update(of=("self",)).select_related("version__charter").get(pk=pact.pk)


def _record(pact, from_status, *, by, note=""):
    PactStatusChange.objects.create(
        pact=pact, from_status=from_status, to_status=pact.status, changed_by=by, note=note,
    )


def _check_move(pact, to_status):
    if pact.can_move_to(to_status):
        return
    raise CharterError(
        _("The pact is “%(status)s”: it cannot become “%(to)s”.")
        % {"status": pact.get_status_display(), "to": Status(to_status).label}
    )


def _require_draft(pact):
    if pact.status != Status.DRAFT:
        raise CharterError(
            _("The pact is “%(status)s”: its text and signatories can change only while it is being prepared.")
            % {"status": pact.get_status_display()}
        )


def _require_future_deadline(deadline):
    if deadline is None or deadline < timezone.localdate():
        raise CharterError(_("Choose a deadline from today onwards."))


def create_pact(version, *, by, deadline, title=None, text=None):
    """The draft pact of a published version, with the seed's text unless one is given."""
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        if version.status != CharterVersion.Status.PUBLISHED:
            raise CharterError(_("A pact can be prepared only for the published version of the Carta."))
        if Pact.objects.filter(version=version).exists():
            raise CharterError(_("This version of the Carta already has its pact."))
        require_perm(by, "charter.add_pact", version)
        _require_future_deadline(deadline)
        pact = Pact.objects.create(
            version=version, deadline=deadline, created_by=by,
            title=(title or "").strip() or DEFAULT_PACT_TITLE, text=(text or "").strip() or DEFAULT_PACT_TEXT,
        )
        Signatory.objects.bulk_create(
            Signatory(
                pact=pact, organisation_id=organisation["id"], source=Signatory.Source.CHARTER,
                organisation_name=organisation["name"], organisation_tax_code=organisation["tax_code"],
                added_by=by,
            )
            for organisation in version.snapshot["organisations"]
        )
        _record(pact, "", by=by)
    return pact


def update_pact(pact, *, by, title=None, text=None, deadline=None):
    """Change the draft's title, text or deadline; what is left None stays as it is."""
    require_active(by)
    with transaction.atomic():
        pact = lock_pact(pact)
        _require_draft(pact)
        require_perm(by, "charter.change_pact", pact)
        fields = []
        if title is not None:
            pact.title = require_text(title, _("The pact needs a title."))
            fields.append("title")
        if text is not None:
            pact.text = require_text(text, _("The pact needs a text."))
            fields.append("text")
        if deadline is not None:
            _require_future_deadline(deadline)
            pact.deadline = deadline
            fields.append("deadline")
        if fields:
            pact.save(update_fields=fields)
    return pact


def add_signatory(pact, *, by, organisation, responsibilities=""):
    """An organisation that puts responsibilities or resources into the network without being
    a partner in the Carta's projects (a municipality, a foundation...)."""
    require_active(by)
    with transaction.atomic():
        pact = lock_pact(pact)
        _require_draft(pact)
        require_perm(by, "charter.add_signatory", pact)
        organisation = Organisation.objects.get(pk=organisation.pk)
        if organisation.status != Organisation.Status.VERIFIED:
            raise CharterError(
                _("%(organisation)s is not a verified organisation: only verified ones can sign the pact.")
                % {"organisation": organisation.name}
            )
        if pact.signatories.filter(organisation=organisation).exists():
            raise CharterError(
                _("%(organisation)s is already a signatory of this pact.") % {"organisation": organisation.name}
            )
        return Signatory.objects.create(
            pact=pact, organisation=organisation, source=Signatory.Source.ADDED, added_by=by,
            organisation_name=organisation.name, organisation_tax_code=organisation.tax_code,
            responsibilities=(responsibilities or "").strip(),
        )


def update_signatory(signatory, *, by, responsibilities):
    require_active(by)
    with transaction.atomic():
        pact = lock_pact(signatory.pact)
        _require_draft(pact)
        signatory = Signatory.objects.select_related("pact").get(pk=signatory.pk)
        require_perm(by, "charter.change_signatory", signatory)
        signatory.responsibilities = (responsibilities or "").strip()
        signatory.save(update_fields=["responsibilities"])
    return signatory


def remove_signatory(signatory, *, by):
    """Only an added signatory can be removed: partners in the Carta's projects sign it."""
    require_active(by)
    with transaction.atomic():
        pact = lock_pact(signatory.pact)
        _require_draft(pact)
        signatory = Signatory.objects.select_related("pact").get(pk=signatory.pk)
        if signatory.source != Signatory.Source.ADDED:
            raise CharterError(
                _("%(organisation)s is a partner in the Carta's projects: it cannot be removed from the pact.")
                % {"organisation": signatory.organisation_name}
            )
        require_perm(by, "charter.delete_signatory", signatory)
        signatory.delete()


def open_pact(pact, *, by, note=""):
    """Open the pact for signing: owe the PDF the signatures will refer to and ask every
    signatory's legal representative to sign."""
    require_active(by)
    with transaction.atomic():
        pact = lock_pact(pact)
        _check_move(pact, Status.OPEN)
        require_perm(by, "charter.open_pact", pact)
        _require_future_deadline(pact.deadline)
        if not pact.signatories.exists():
            raise CharterError(_("The pact has no signatories."))
        for signatory in pact.signatories.filter(source=Signatory.Source.ADDED).select_related("organisation"):
            signatory.organisation_name = signatory.organisation.name
            signatory.organisation_tax_code = signatory.organisation.tax_code
            signatory.save(update_fields=["organisation_name", "organisation_tax_code"])
        pact.status = Status.OPEN
        pact.opened_at, pact.opened_by = timezone.now(), by
        pact.save(update_fields=["status", "opened_at", "opened_by"])
        _record(pact, Status.DRAFT, by=by, note=(note or "").strip())
        owe_document(kind=DocumentKind.PACT_DRAFT, pact=pact)
        transaction.on_commit(lambda: emails.send_pact_opened(pact))
    return pact


def send_reminders(pact, *, by):
    """Email the legal representatives of the signatories that have not answered yet; returns
    those signatories."""
    require_active(by)
    with transaction.atomic():
        pact = lock_pact(pact)
        if not pact.is_open:
            raise CharterError(_("Reminders can be sent only while the pact is open for signing."))
        require_perm(by, "charter.remind_pact", pact)
        pending = list(pact.signatories.unanswered().select_related("organisation"))
        if not pending:
            raise CharterError(_("Every signatory has already answered: there is nobody to remind."))
        now = timezone.now()
        for signatory in pending:
            signatory.reminded_at = now
            signatory.reminder_count += 1
            signatory.save(update_fields=["reminded_at", "reminder_count"])
        transaction.on_commit(lambda: emails.send_pact_reminders(pact, pending))
    return pending


def close_pact(pact, *, by, note=""):
    """Close the signing, once every signatory has answered or the deadline has passed; the
    signed document with the annex of signatures is owed and follows in the background."""
    require_active(by)
    with transaction.atomic():
        pact = lock_pact(pact)
        _check_move(pact, Status.CLOSED)
        if not pact.deadline_passed() and pact.signatories.unanswered().exists():
            raise CharterError(
                _("Some signatories have not answered yet: the pact can be closed when all have, or after %(date)s.")
                % {"date": date_format(pact.deadline, "DATE_FORMAT")}
            )
        require_perm(by, "charter.close_pact", pact)
        if not pact.documents.filter(kind=DocumentKind.PACT_DRAFT).exists():
            raise CharterError(
                _("The text for signing is still being prepared: the pact can be closed once it is ready.")
            )
        pact.status = Status.CLOSED
        pact.closed_at, pact.closed_by = timezone.now(), by
        pact.save(update_fields=["status", "closed_at", "closed_by"])
        _record(pact, Status.OPEN, by=by, note=(note or "").strip())
        # The email saying the signed document is available leaves when it is stored.
        owe_document(kind=DocumentKind.PACT_FINAL, pact=pact)
    return pact
