"""Versions of the Carta: drafting, approval (which freezes the content and renders the PDF)
and publication (which supersedes the version published before).

Every move locks the charter's row first, then the version's: moves of two versions of the
same Carta never interleave, so at most one is published and at most one is a draft.

The PDF is rendered once, after approval commits, from the frozen snapshot (in the background:
charter.documents). Publication changes nothing in the content, so it serves that same file: its
SHA-256 stays the one people may already hold.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Proposal

from ..documents import owe_document
from ..models import Charter, CharterItem, CharterVersion, CharterVersionStatusChange, DocumentKind
from ..snapshot import build_snapshot
from ..texts import DEFAULT_CHARTER_TITLE, DEFAULT_INTRODUCTION, DEFAULT_PRINCIPLES
from .base import CharterError, require_active, require_perm

Status = CharterVersion.Status

__all__ = [
    "add_proposal", "approve_version", "default_charter", "discard_draft", "lock_version", "open_draft",
    "publish_version", "remove_proposal", "reorder_proposals", "update_draft",
]


def default_charter():
    """The Carta of this portal's ambito, created on first use."""
    return Charter.objects.get_or_create(
        ambito_name=settings.PORTAL_AMBITO_NAME, defaults={"title": DEFAULT_CHARTER_TITLE},
    )[0]


def _lock_charter(charter):
    return Charter.objects.select_for_update().get(pk=charter.pk)


def lock_version(version):
    """Lock the charter's row, then the version's, and return the version re-read."""
    _lock_charter(version.charter)
    return CharterVersion.objects.select_for_update(of=("self",)).select_related("charter").get(pk=version.pk)


def _record(version, from_status, *, by, note=""):
    CharterVersionStatusChange.objects.create(
        version=version, from_status=from_status, to_status=version.status, changed_by=by, note=note,
    )


def _check_move(version, to_status):
    if version.can_move_to(to_status):
        return
    raise CharterError(
        _("Version %(number)s is “%(status)s”: it cannot become “%(to)s”.")
        % {"number": version.number, "status": version.get_status_display(), "to": Status(to_status).label}
    )


def _require_draft(version):
    if not version.is_draft:
        raise CharterError(
            _("Version %(number)s is “%(status)s”: only a draft can be changed.")
            % {"number": version.number, "status": version.get_status_display()}
        )


def open_draft(*, by, charter=None, copy_latest=True):
    """A new draft, numbered after the latest version: with the latest version's texts and
    projects when `copy_latest` and there is one, otherwise with the seed's texts and no project."""
    require_active(by)
    require_perm(by, "charter.add_charterversion")
    charter = charter or default_charter()
    with transaction.atomic():
        charter = _lock_charter(charter)
        draft = charter.versions.filter(status=Status.DRAFT).first()
        if draft is not None:
            raise CharterError(
                _("Version %(number)s is already a draft: edit it, or discard it before opening another.")
                % {"number": draft.number}
            )
        latest = charter.versions.order_by("-number").first()
        source = latest if copy_latest else None
        version = CharterVersion.objects.create(
            charter=charter, number=(latest.number + 1) if latest else 1, created_by=by,
            introduction=source.introduction if source else DEFAULT_INTRODUCTION,
            principles=source.principles if source else DEFAULT_PRINCIPLES,
        )
        if source is not None:
            CharterItem.objects.bulk_create(
                CharterItem(version=version, proposal_id=item.proposal_id, position=item.position, added_by=by)
                for item in source.items.filter(proposal__status=Proposal.Status.APPROVED)
            )
        _record(version, "", by=by)
    return version


def update_draft(version, *, by, introduction=None, principles=None):
    """Change the draft's texts; a text left None stays as it is."""
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        _require_draft(version)
        require_perm(by, "charter.change_charterversion", version)
        fields = ["updated_at"]
        if introduction is not None:
            version.introduction = introduction.strip()
            fields.append("introduction")
        if principles is not None:
            version.principles = principles.strip()
            fields.append("principles")
        version.updated_at = timezone.now()
        version.save(update_fields=fields)
    return version


def _renumber(items):
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _ordered_items(version):
    return list(version.items.select_related("proposal").order_by("position", "pk"))


def add_proposal(version, *, by, proposal):
    """List an approved proposal in the draft, after the last project of the same theme (at
    the end when its theme is not there yet)."""
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        _require_draft(version)
        require_perm(by, "charter.change_charterversion", version)
        proposal = Proposal.objects.get(pk=proposal.pk)
        if proposal.status != Proposal.Status.APPROVED:
            raise CharterError(
                _("Only approved proposals can be listed in the Carta; “%(title)s” is “%(status)s”.")
                % {"title": proposal.title, "status": proposal.get_status_display()}
            )
        items = _ordered_items(version)
        if any(item.proposal_id == proposal.pk for item in items):
            raise CharterError(_("“%(title)s” is already in this version.") % {"title": proposal.title})
        same_theme = [index for index, item in enumerate(items) if item.proposal.theme_id == proposal.theme_id]
        at = same_theme[-1] + 1 if same_theme else len(items)
        item = CharterItem.objects.create(version=version, proposal=proposal, position=at + 1, added_by=by)
        items.insert(at, item)
        _renumber(items)
        version.updated_at = timezone.now()
        version.save(update_fields=["updated_at"])
    return item


def remove_proposal(version, *, by, proposal):
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        _require_draft(version)
        require_perm(by, "charter.change_charterversion", version)
        deleted, _rows = version.items.filter(proposal=proposal).delete()
        if not deleted:
            raise CharterError(_("“%(title)s” is not in this version.") % {"title": proposal.title})
        _renumber(_ordered_items(version))
        version.updated_at = timezone.now()
        version.save(update_fields=["updated_at"])
    return version


def reorder_proposals(version, *, by, proposal_ids):
    """Put the draft's projects in the given order (every listed proposal, once)."""
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        _require_draft(version)
        require_perm(by, "charter.change_charterversion", version)
        items = {item.proposal_id: item for item in _ordered_items(version)}
        proposal_ids = [int(pid) for pid in proposal_ids]
        if sorted(proposal_ids) != sorted(items):
            raise CharterError(_("The new order must list every project of the version exactly once."))
        _renumber([items[pid] for pid in proposal_ids])
        version.updated_at = timezone.now()
        version.save(update_fields=["updated_at"])
    return version


def discard_draft(version, *, by):
    """Delete a draft nobody wants to approve, so another can be opened."""
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        _require_draft(version)
        require_perm(by, "charter.delete_charterversion", version)
        version.items.all().delete()
        version.delete()


def approve_version(version, *, by, note=""):
    """Freeze the draft: its whole content goes into the snapshot, and its PDF is owed and
    rendered in the background once the approval commits."""
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        _check_move(version, Status.APPROVED)
        require_perm(by, "charter.approve_charterversion", version)
        if not version.items.exists():
            raise CharterError(_("Add at least one approved project before approving the Carta."))
        if not version.introduction.strip():
            raise CharterError(_("Write the introduction before approving the Carta."))
        not_approved = version.items.exclude(proposal__status=Proposal.Status.APPROVED)
        if not_approved.exists():
            raise CharterError(_("Remove the projects that are no longer approved before approving the Carta."))
        version.snapshot = build_snapshot(version)
        version.status = Status.APPROVED
        version.approved_at = version.updated_at = timezone.now()
        version.approved_by = by
        version.save(update_fields=["snapshot", "status", "approved_at", "approved_by", "updated_at"])
        _record(version, Status.DRAFT, by=by, note=(note or "").strip())
        owe_document(kind=DocumentKind.CHARTER, version=version)
    return version


def publish_version(version, *, by, note=""):
    """Make an approved version the public Carta. The one published before, and any approved
    version older than this one, become superseded in the same transaction."""
    require_active(by)
    with transaction.atomic():
        version = lock_version(version)
        _check_move(version, Status.PUBLISHED)
        require_perm(by, "charter.publish_charterversion", version)
        later = version.charter.versions.filter(status=Status.PUBLISHED, number__gt=version.number)
        if later.exists():
            raise CharterError(
                _("A later version (%(number)s) is already published: an older one cannot replace it.")
                % {"number": later.aggregate(Max("number"))["number__max"]}
            )
        now = timezone.now()
        older = version.charter.versions.select_for_update().filter(
            status__in=[Status.PUBLISHED, Status.APPROVED], number__lt=version.number,
        )
        for previous in older:
            from_status = previous.status
            previous.status, previous.superseded_at = Status.SUPERSEDED, now
            previous.save(update_fields=["status", "superseded_at"])
            _record(
                previous, from_status, by=by,
                note=_("Superseded by version %(number)s.") % {"number": version.number},
            )
        version.status = Status.PUBLISHED
        version.published_at, version.published_by = now, by
        version.save(update_fields=["status", "published_at", "published_by"])
        _record(version, Status.APPROVED, by=by, note=(note or "").strip())
    return version
