"""Writing a proposal: creation, edits while the lead may edit, attachments."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation
from partners.rules import is_organisation_member

from ..attachments import attachment_name, inspect_attachment
from ..models import Attachment, Proposal, ProposalStatusChange
from .base import ProjectsError, require_active, require_perm, set_m2m, split_fields

PROPOSAL_FIELDS = {
    "title", "summary", "theme", "focus_group", "need", "objectives", "activities",
    "estimated_beneficiaries", "start_date", "end_date", "rights", "duties", "indicators",
}
PROPOSAL_M2M_FIELDS = {"target_groups", "age_bands", "municipalities", "policy_areas"}

__all__ = [
    "add_attachment", "create_proposal", "lock_proposal", "remove_attachment", "require_editable",
    "update_proposal",
]


def lock_proposal(proposal):
    """Re-read the proposal with its row locked until the transaction ends (only its own row:
    the lead organisation and the theme stay free for others)."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("theme", "lead_organisation")
        .get(pk=proposal.pk)
    )


def require_editable(proposal):
    if not proposal.is_editable:
        raise ProjectsError(
            _(
                "A proposal can be changed only while it is a draft or when changes have been "
                "requested; this one is “%(status)s”."
            )
            % {"status": proposal.get_status_display()}
        )


def create_proposal(*, by, lead_organisation, **data):
    """A draft written by a member of its lead organisation, which must be verified."""
    require_active(by)
    if lead_organisation.status != Organisation.Status.VERIFIED:
        raise ProjectsError(_("Only a verified organisation can lead a proposal."))
    if not is_organisation_member(by, lead_organisation):
        raise ProjectsError(
            _("Only members of %(organisation)s can write a proposal it leads.")
            % {"organisation": lead_organisation}
        )
    plain, m2m = split_fields(data, PROPOSAL_FIELDS, PROPOSAL_M2M_FIELDS, "proposal")
    proposal = Proposal(lead_organisation=lead_organisation, created_by=by, **plain)
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        set_m2m(proposal, m2m)
        ProposalStatusChange.objects.create(
            proposal=proposal, from_status="", to_status=Proposal.Status.DRAFT, changed_by=by,
        )
    return proposal


def update_proposal(proposal, *, by, **data):
    """Edit the content. A submitted proposal changes only after changes have been requested."""
    require_active(by)
    plain, m2m = split_fields(data, PROPOSAL_FIELDS, PROPOSAL_M2M_FIELDS, "proposal")
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        require_editable(proposal)
        require_perm(by, "projects.change_proposal", proposal)
        for name, value in plain.items():
            setattr(proposal, name, value)
        proposal.updated_at = timezone.now()
        proposal.full_clean()
        proposal.save(update_fields=[*plain, "updated_at"])
        set_m2m(proposal, m2m)
    return proposal


def add_attachment(proposal, *, by, file):
    """Attach a document or image. Its type is read from the content; the stored name is
    random, the original name is kept for display."""
    require_active(by)
    try:
        detected = inspect_attachment(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    original_name = attachment_name(file.name, detected)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        require_editable(proposal)
        require_perm(by, "projects.add_attachment", proposal)
        attachment = Attachment(
            proposal=proposal, original_name=original_name, content_type=detected.content_type,
            size=file.size, uploaded_by=by,
        )
        attachment.file.save(original_name, file, save=False)
        try:
            attachment.save()
        except Exception:
            # The file is written before the row; do not leave it behind without one.
            attachment.file.delete(save=False)
            raise
    return attachment


def remove_attachment(attachment, *, by):
    require_active(by)
    with transaction.atomic():
        proposal = lock_proposal(attachment.proposal)
        attachment = Attachment.objects.get(pk=attachment.pk, proposal=proposal)
        require_editable(proposal)
        require_perm(by, "projects.delete_attachment", attachment)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
    return proposal
