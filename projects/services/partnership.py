"""Co-partners (the lead invites, the invited organisation's referent answers) and the
commitments each partner states."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation
from partners.rules import is_organisation_member

from .. import emails
from ..models import Commitment, ProposalPartner
from .base import ProjectsError, require_active, require_perm, split_fields
from .proposals import lock_proposal, require_editable

COMMITMENT_FIELDS = {"kind", "quantity", "unit", "estimated_value_eur", "description"}
PartnerStatus = ProposalPartner.Status

__all__ = [
    "accept_co_partnership", "add_commitment", "decline_co_partnership", "delete_commitment",
    "invite_co_partner", "update_commitment",
]


def _existing_partner_message(partner):
    params = {"organisation": partner.organisation}
    if partner.status == PartnerStatus.ACCEPTED:
        return _("%(organisation)s is already a co-partner of this proposal.") % params
    return _("%(organisation)s has already been invited; its referents will answer.") % params


def invite_co_partner(proposal, *, by, organisation):
    """The lead invites a verified organisation, while it may edit the proposal. A declined
    invitation can be sent again."""
    require_active(by)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        require_editable(proposal)
        require_perm(by, "projects.invite_co_partner_proposal", proposal)
        if organisation.pk == proposal.lead_organisation_id:
            raise ProjectsError(_("The lead partner cannot be its own co-partner."))
        if organisation.status != Organisation.Status.VERIFIED:
            raise ProjectsError(_("Only a verified organisation can be invited as co-partner."))
        partner = (
            ProposalPartner.objects.select_for_update()
            .filter(proposal=proposal, organisation=organisation).first()
        )
        if partner is None:
            try:
                with transaction.atomic():
                    partner = ProposalPartner.objects.create(
                        proposal=proposal, organisation=organisation, invited_by=by,
                    )
            except IntegrityError:
                raise ProjectsError(_("This organisation is already invited to this proposal.")) from None
        elif partner.can_move_to(PartnerStatus.INVITED):
            partner.status = PartnerStatus.INVITED
            partner.invited_at = timezone.now()
            partner.invited_by = by
            partner.decided_at = None
            partner.decided_by = None
            partner.save(update_fields=["status", "invited_at", "invited_by", "decided_at", "decided_by"])
        else:
            raise ProjectsError(_existing_partner_message(partner))
        transaction.on_commit(lambda: emails.send_co_partner_invitation(partner))
    return partner


def _answer(partner, to_status, *, by):
    require_active(by)
    with transaction.atomic():
        partner = (
            ProposalPartner.objects.select_for_update()
            .select_related("proposal", "organisation").get(pk=partner.pk)
        )
        if not partner.can_move_to(to_status):
            raise ProjectsError(
                _("This invitation has already been answered (%(status)s).") % {"status": partner.get_status_display()}
            )
        if partner.proposal.is_final:
            raise ProjectsError(
                _("The proposal is “%(status)s”: the invitation no longer applies.")
                % {"status": partner.proposal.get_status_display()}
            )
        require_perm(by, "projects.decide_proposalpartner", partner)
        partner.status = to_status
        partner.decided_at = timezone.now()
        partner.decided_by = by
        partner.save(update_fields=["status", "decided_at", "decided_by"])
        transaction.on_commit(lambda: emails.send_co_partner_answered(partner))
    return partner


def accept_co_partnership(partner, *, by):
    """A referent of the invited organisation accepts: it becomes a co-partner."""
    return _answer(partner, PartnerStatus.ACCEPTED, by=by)


def decline_co_partnership(partner, *, by):
    return _answer(partner, PartnerStatus.DECLINED, by=by)


def _is_partner(proposal, organisation):
    if organisation.pk == proposal.lead_organisation_id:
        return True
    return ProposalPartner.objects.filter(
        proposal=proposal, organisation=organisation, status=PartnerStatus.ACCEPTED
    ).exists()


def add_commitment(proposal, *, by, organisation, **data):
    """A member of the lead or of an accepted co-partner states what the organisation puts in."""
    require_active(by)
    plain, _m2m = split_fields(data, COMMITMENT_FIELDS, (), "commitment")
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        require_editable(proposal)
        require_perm(by, "projects.add_commitment", proposal)
        if not _is_partner(proposal, organisation):
            raise ProjectsError(
                _("Commitments are stated by the lead partner or by a co-partner that has accepted.")
            )
        if not is_organisation_member(by, organisation):
            raise ProjectsError(
                _("Only members of %(organisation)s can state its commitments.") % {"organisation": organisation}
            )
        commitment = Commitment(proposal=proposal, organisation=organisation, created_by=by, **plain)
        commitment.full_clean()
        commitment.save()
    return commitment


def update_commitment(commitment, *, by, **data):
    require_active(by)
    plain, _m2m = split_fields(data, COMMITMENT_FIELDS, (), "commitment")
    with transaction.atomic():
        proposal = lock_proposal(commitment.proposal)
        commitment = Commitment.objects.select_related("organisation").get(pk=commitment.pk, proposal=proposal)
        commitment.proposal = proposal
        require_editable(proposal)
        require_perm(by, "projects.change_commitment", commitment)
        for name, value in plain.items():
            setattr(commitment, name, value)
        commitment.full_clean()
        commitment.save(update_fields=list(plain) or None)
    return commitment


def delete_commitment(commitment, *, by):
    require_active(by)
    with transaction.atomic():
        proposal = lock_proposal(commitment.proposal)
        commitment = Commitment.objects.select_related("organisation").get(pk=commitment.pk, proposal=proposal)
        commitment.proposal = proposal
        require_editable(proposal)
        require_perm(by, "projects.delete_commitment", commitment)
        commitment.delete()
    return proposal
