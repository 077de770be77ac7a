"""Every write with business meaning on organisations, memberships and the steering group.

Each function locks the row it changes, checks the move against the model's TRANSITIONS and
the actor's right, writes a history row and sends its emails once the transaction commits.
Refusals raise PartnersError with a message a person can read; invalid data raises Django's
ValidationError keyed by field, as a form would.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare_portal.fields import NOTE_LENGTH, require_max_length

from .. import emails
from ..models import (
    Membership,
    MembershipStatusChange,
    Organisation,
    OrganisationStatusChange,
)
from ..validators import normalise_tax_code, validate_personal_tax_code
from .base import PartnersError, require_active, require_perm, require_verified_email

ORGANISATION_FIELDS = {
    "name", "kind", "legal_form", "tax_code", "seat_municipality", "description", "website",
    "email", "phone",
}
ORGANISATION_M2M_FIELDS = {"municipalities_served", "policy_areas"}

__all__ = [
    "PartnersError", "accept_membership",
    "confirm_legal_representative", "end_memberships", "refuse_membership",
    "register_organisation", "reject_organisation", "request_membership", "resubmit_organisation",
    "update_organisation", "verify_organisation",
]


def _organisation_status_label(status):
    return Organisation.Status(status).label


def _check_organisation_move(organisation, to_status):
    if not organisation.can_move_to(to_status):
        raise PartnersError(
            _("An organisation cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": _organisation_status_label(organisation.status),
                "to": _organisation_status_label(to_status),
            }
        )


def _move_organisation(organisation, to_status, *, by, note="", extra_fields=()):
    from_status = organisation.status
    organisation.status = to_status
    organisation.save(update_fields=["status", *extra_fields])
    OrganisationStatusChange.objects.create(
        organisation=organisation, from_status=from_status, to_status=to_status,
        changed_by=by, note=note,
    )


def _split_organisation_data(data):
    unknown = set(data) - ORGANISATION_FIELDS - ORGANISATION_M2M_FIELDS
    if unknown:
        raise TypeError(f"Unexpected organisation fields: {', '.join(sorted(unknown))}")
    plain = {k: v for k, v in data.items() if k in ORGANISATION_FIELDS}
    m2m = {k: v for k, v in data.items() if k in ORGANISATION_M2M_FIELDS}
    return plain, m2m


def _save_organisation(organisation, m2m, *, update_fields=None):
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save(update_fields=update_fields)
    except IntegrityError:
        # Another registration with the same tax code committed between the check and the save.
        raise ValidationError(
            {"tax_code": _("An organisation with this tax code is already registered.")}
        ) from None
    for field, values in m2m.items():
        getattr(organisation, field).set(values)


def register_organisation(*, by, **data):
    """Create an organisation awaiting verification; its creator becomes its referent and
    staff are told there is an organisation to verify."""
    require_verified_email(by)
    plain, m2m = _split_organisation_data(data)
    with transaction.atomic():
        organisation = Organisation(**plain, created_by=by)
        _save_organisation(organisation, m2m)
        OrganisationStatusChange.objects.create(
            organisation=organisation, from_status="", to_status=Organisation.Status.PENDING,
            changed_by=by,
        )
        membership = Membership.objects.create(
            user=by, organisation=organisation, role=Membership.Role.REFERENT,
            status=Membership.Status.ACCEPTED, decided_at=timezone.now(), decided_by=by,
        )
        MembershipStatusChange.objects.create(
            membership=membership, from_status="", to_status=Membership.Status.ACCEPTED,
            changed_by=by, note=_("Registered the organisation."),
        )
        transaction.on_commit(lambda: emails.send_organisation_submitted(organisation))
    return organisation


def update_organisation(organisation, *, by, **data):
    """Edit the profile. The status does not change: a rejected organisation is resubmitted
    separately, once its referents have made their corrections.

    The tax code of a VERIFIED organisation is refused to everyone but staff, rather than
    sending the organisation back to review: the code names the legal body staff checked, and
    a verified partner may already hold members, steering-group seats and (later) signatures
    that a return to "pending" would hide from the directory; TRANSITIONS has no move back
    from "verified" either. Staff correct it themselves once they have checked the new code.
    """
    require_active(by)
    plain, m2m = _split_organisation_data(data)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        require_perm(by, "partners.change_organisation", organisation)
        if (
            "tax_code" in plain
            and normalise_tax_code(plain["tax_code"]) != organisation.tax_code
            and not by.has_perm("partners.change_organisation_tax_code", organisation)
        ):
            raise ValidationError({"tax_code": _(
                "The tax code of a verified organisation can be changed only by the district "
                "plan office: write to them with the new code."
            )})
        for field, value in plain.items():
            setattr(organisation, field, value)
        _save_organisation(organisation, m2m, update_fields=list(plain) or None)
    return organisation


def verify_organisation(organisation, *, by, note=""):
    require_active(by)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _check_organisation_move(organisation, Organisation.Status.VERIFIED)
        require_perm(by, "partners.verify_organisation", organisation)
        organisation.verified_at = timezone.now()
        organisation.verified_by = by
        organisation.rejection_reason = ""
        _move_organisation(
            organisation, Organisation.Status.VERIFIED, by=by, note=note,
            extra_fields=["verified_at", "verified_by", "rejection_reason"],
        )
        transaction.on_commit(lambda: emails.send_organisation_verified(organisation))
    return organisation


def reject_organisation(organisation, *, by, reason):
    """Refuse verification; the referents read the reason, correct and resubmit."""
    require_active(by)
    reason = (reason or "").strip()
    if not reason:
        raise PartnersError(_("Give the reason for the rejection: the organisation will read it."))
    require_max_length(reason, NOTE_LENGTH, PartnersError)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _check_organisation_move(organisation, Organisation.Status.REJECTED)
        require_perm(by, "partners.reject_organisation", organisation)
        organisation.rejection_reason = reason
        _move_organisation(
            organisation, Organisation.Status.REJECTED, by=by, note=reason,
            extra_fields=["rejection_reason"],
        )
        transaction.on_commit(lambda: emails.send_organisation_rejected(organisation))
    return organisation


def resubmit_organisation(organisation, *, by, note=""):
    """Send a rejected organisation back for verification (staff are told). The rejection
    reason stays in the history rows; it is cleared from the profile because it no longer
    applies."""
    require_active(by)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _check_organisation_move(organisation, Organisation.Status.PENDING)
        require_perm(by, "partners.resubmit_organisation", organisation)
        organisation.rejection_reason = ""
        _move_organisation(
            organisation, Organisation.Status.PENDING, by=by, note=note,
            extra_fields=["rejection_reason"],
        )
        transaction.on_commit(lambda: emails.send_organisation_submitted(organisation, resubmitted=True))
    return organisation


def request_membership(organisation, *, by, role=Membership.Role.MEMBER, note=""):
    """Ask to join a verified organisation; its referents decide."""
    require_verified_email(by)
    if role not in Membership.Role.values:
        raise PartnersError(_("Choose a valid role."))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.status != Organisation.Status.VERIFIED:
            raise PartnersError(_("You can ask to join an organisation only once it is verified."))
        existing = Membership.objects.filter(user=by, organisation=organisation).first()
        if existing is not None:
            raise PartnersError(_already_member_message(existing))
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=by, organisation=organisation, role=role)
        except IntegrityError:
            raise PartnersError(
                _("You have already asked to join %(organisation)s.") % {"organisation": organisation}
            ) from None
        MembershipStatusChange.objects.create(
            membership=membership, from_status="", to_status=Membership.Status.PENDING,
            changed_by=by, note=note,
        )
        transaction.on_commit(lambda: emails.send_membership_requested(membership))
    return membership


def _already_member_message(membership):
    params = {"organisation": membership.organisation}
    if membership.status == Membership.Status.ACCEPTED:
        return _("You are already a member of %(organisation)s.") % params
    if membership.status == Membership.Status.PENDING:
        return _("You have already asked to join %(organisation)s; its referents will decide.") % params
    return _("Your request to join %(organisation)s was refused; contact its referents.") % params


def _decide_membership(membership, to_status, *, by):
    """Lock, check and set the decision; the caller saves and writes the history row."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    if not membership.can_move_to(to_status):
        raise PartnersError(
            _("This request has already been decided (%(status)s).")
            % {"status": membership.get_status_display()}
        )
    require_perm(by, "partners.decide_membership", membership)
    from_status = membership.status
    membership.status = to_status
    membership.decided_at = timezone.now()
    membership.decided_by = by
    return membership, from_status


def accept_membership(membership, *, by):
    require_active(by)
    with transaction.atomic():
        membership, from_status = _decide_membership(membership, Membership.Status.ACCEPTED, by=by)
        membership.save(update_fields=["status", "decided_at", "decided_by"])
        MembershipStatusChange.objects.create(
            membership=membership, from_status=from_status, to_status=membership.status, changed_by=by,
        )
        transaction.on_commit(lambda: emails.send_membership_accepted(membership))
    return membership


def refuse_membership(membership, *, by, reason=""):
    require_active(by)
    reason = require_max_length((reason or "").strip(), NOTE_LENGTH, PartnersError)
    with transaction.atomic():
        membership, from_status = _decide_membership(membership, Membership.Status.REFUSED, by=by)
        membership.refusal_reason = reason
        membership.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
        MembershipStatusChange.objects.create(
            membership=membership, from_status=from_status, to_status=membership.status,
            changed_by=by, note=reason,
        )
        transaction.on_commit(lambda: emails.send_membership_refused(membership))
    return membership


def confirm_legal_representative(membership, *, by, tax_code):
    """Staff confirm that this member is the organisation's legal representative, recording
    the person's own codice fiscale: only a confirmed legal representative signs the Patto."""
    require_active(by)
    try:
        validate_personal_tax_code(tax_code)
    except ValidationError as error:
        raise ValidationError({"tax_code": error.messages}) from None
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
        if membership.status != Membership.Status.ACCEPTED:
            raise PartnersError(_("Only an accepted member can be confirmed as legal representative."))
        if membership.is_confirmed_legal_representative:
            raise PartnersError(_("This person is already confirmed as legal representative."))
        require_perm(by, "partners.confirm_legal_representative", membership)
        membership.role = Membership.Role.LEGAL_REPRESENTATIVE
        membership.representative_tax_code = normalise_tax_code(tax_code)
        membership.confirmed_at = timezone.now()
        membership.confirmed_by = by
        membership.save(update_fields=["role", "representative_tax_code", "confirmed_at", "confirmed_by"])
        transaction.on_commit(lambda: emails.send_legal_representative_confirmed(membership))
    return membership


def end_memberships(user, *, note="", keep_tax_code_for=()):
    """End every open membership (requested or accepted) of a person who closes their account:
    from now on they grant nothing, and the rows stay as the record of who belonged where. The
    codice fiscale recorded for a legal representative is erased, except in the organisations
    of `keep_tax_code_for` (ids), where it identifies the signer of a kept signature. Only the
    account closure (welfare_portal.accounts) calls this, for the person themself."""
    require_active(user)
    ended = []
    with transaction.atomic():
        memberships = Membership.objects.select_for_update().filter(user=user).order_by("pk")
        for membership in memberships:
            fields = []
            if membership.representative_tax_code and membership.organisation_id not in keep_tax_code_for:
                membership.representative_tax_code = ""
                fields.append("representative_tax_code")
            from_status = membership.status
            if membership.can_move_to(Membership.Status.ENDED):
                membership.status = Membership.Status.ENDED
                fields.append("status")
                ended.append(membership)
            if fields:
                membership.save(update_fields=fields)
            if from_status != membership.status:
                MembershipStatusChange.objects.create(
                    membership=membership, from_status=from_status, to_status=membership.status,
                    changed_by=user, note=note,
                )
    return ended
