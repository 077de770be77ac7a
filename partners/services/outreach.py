"""The steering group's outreach: contacts with potential partners, moved through TRANSITIONS,
invitations with signed, expiring links, and the link between a contact and the organisation it
registers.

Every write locks the contact, checks the actor's right and the move, writes a dated history row
and sends its emails once the transaction commits.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..models import OutreachContact, OutreachStatusChange, SteeringGroupMember
from .base import PartnersError, require_active, require_perm

__all__ = [
    "INVITATION_SESSION_KEY", "assign_outreach_contact", "check_outreach_assignee",
    "create_outreach_contact", "link_invited_organisation", "make_invitation_token",
    "move_outreach_contact", "read_invitation_token", "send_outreach_invitation",
    "update_outreach_contact",
]

INVITATION_SALT = "partners.outreach-invitation"
# Where the invitation waits while the invited person signs up and registers the organisation.
INVITATION_SESSION_KEY = "partners_outreach_invitation"
OUTREACH_CONTACT_FIELDS = {"name", "email", "kind", "municipality", "notes"}
# Validated by the services that set them, not by the contact's details form.
_NOT_DETAILS = ["status", "organisation", "invited_at", "created_at", "created_by", "assigned_to"]

Status = OutreachContact.Status


def make_invitation_token(contact):
    """A URL-safe token naming the contact, signed so it cannot be forged or altered. The nonce
    makes each invitation's link its own, even when two are sent within a second."""
    return signing.dumps(
        {"contact": contact.pk, "nonce": secrets.token_urlsafe(6)}, salt=INVITATION_SALT, compress=True
    )


def read_invitation_token(token):
    """The contact a token names; PartnersError if it is forged, expired or already used."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.OUTREACH_INVITATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise PartnersError(
            _("This invitation link has expired. Ask the steering group for a new one.")
        ) from None
    except signing.BadSignature:
        raise PartnersError(_("This invitation link is not valid.")) from None
    contact = OutreachContact.objects.filter(pk=data.get("contact")).first()
    if contact is None:
        raise PartnersError(_("This invitation link is not valid."))
    if contact.status == OutreachContact.Status.JOINED:
        raise PartnersError(_("This invitation has already been used to register an organisation."))
    return contact


def _record(contact, from_status, *, by, note=""):
    OutreachStatusChange.objects.create(
        contact=contact, from_status=from_status, to_status=contact.status, changed_by=by,
        changed_at=timezone.now(), note=note,
    )


def _split_contact_data(data):
    unknown = set(data) - OUTREACH_CONTACT_FIELDS
    if unknown:
        raise TypeError(f"Unexpected outreach contact fields: {', '.join(sorted(unknown))}")
    return data


def check_outreach_assignee(assignee):
    """Contacts are followed by current steering-group members only; None leaves it unassigned."""
    if assignee is None:
        return
    is_member = SteeringGroupMember.objects.current(timezone.localdate()).filter(user=assignee).exists()
    if not is_member or not assignee.is_active:
        raise PartnersError(
            _("%(person)s is not a current member of the steering group: only members can follow a contact.")
            % {"person": assignee.full_name or assignee.email}
        )


def create_outreach_contact(*, by, assigned_to=None, **data):
    """Put a potential partner on the board, to be contacted; optionally assign it at once."""
    require_active(by)
    require_perm(by, "partners.add_outreachcontact")
    data = _split_contact_data(data)
    check_outreach_assignee(assigned_to)
    contact = OutreachContact(**data, assigned_to=assigned_to, created_by=by, created_at=timezone.now())
    contact.full_clean(exclude=_NOT_DETAILS)
    with transaction.atomic():
        contact.save()
        _record(contact, "", by=by)
        if assigned_to is not None and assigned_to != by:
            transaction.on_commit(lambda: emails.send_outreach_contact_assigned(contact, by=by))
    return contact


def update_outreach_contact(contact, *, by, **data):
    """Edit the contact's details; status, assignment and invitation have their own services."""
    require_active(by)
    data = _split_contact_data(data)
    with transaction.atomic():
        contact = OutreachContact.objects.select_for_update().get(pk=contact.pk)
        require_perm(by, "partners.change_outreachcontact", contact)
        for field, value in data.items():
            setattr(contact, field, value)
        contact.full_clean(exclude=_NOT_DETAILS)
        contact.save(update_fields=list(data) or None)
    return contact


def assign_outreach_contact(contact, *, by, assignee):
    """Give the contact to a steering-group member to follow (None: nobody). The history notes
    the change; the new assignee is told by email unless they assigned it to themselves."""
    require_active(by)
    with transaction.atomic():
        contact = OutreachContact.objects.select_for_update().get(pk=contact.pk)
        require_perm(by, "partners.change_outreachcontact", contact)
        check_outreach_assignee(assignee)
        if contact.assigned_to_id == (assignee.pk if assignee else None):
            return contact
        contact.assigned_to = assignee
        contact.save(update_fields=["assigned_to"])
        if assignee is None:
            note = _("No longer assigned to anybody.")
        else:
            note = _("Assigned to %(person)s.") % {"person": assignee.full_name or assignee.email}
        _record(contact, contact.status, by=by, note=note)
        if assignee is not None and assignee != by:
            transaction.on_commit(lambda: emails.send_outreach_contact_assigned(contact, by=by))
    return contact


def _check_move(contact, to_status):
    if to_status not in Status.values:
        raise PartnersError(_("Choose a valid status."))
    if not contact.can_move_to(to_status):
        raise PartnersError(
            _("An outreach contact cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(contact.status).label, "to": Status(to_status).label}
        )


def move_outreach_contact(contact, to_status, *, by, note=""):
    """Move the contact along the board (see OutreachContact.TRANSITIONS), with a history row."""
    require_active(by)
    with transaction.atomic():
        contact = OutreachContact.objects.select_for_update().get(pk=contact.pk)
        require_perm(by, "partners.change_outreachcontact", contact)
        _check_move(contact, to_status)
        from_status = contact.status
        contact.status = to_status
        contact.save(update_fields=["status"])
        _record(contact, from_status, by=by, note=(note or "").strip())
    return contact


def send_outreach_invitation(contact, *, by):
    """Email the contact a signed, expiring link to sign up and register its organisation.

    A contact still to be contacted becomes contacted. Sending again makes a new link; the
    earlier ones keep working until they expire or the organisation joins.
    """
    require_active(by)
    with transaction.atomic():
        contact = OutreachContact.objects.select_for_update().get(pk=contact.pk)
        if contact.status == Status.JOINED:
            raise PartnersError(_("This contact has already joined: there is nobody left to invite."))
        require_perm(by, "partners.invite_outreachcontact", contact)
        if not contact.email:
            raise PartnersError(_("Add an email address to the contact before sending the invitation."))
        from_status = contact.status
        if contact.status == Status.TO_CONTACT:
            contact.status = Status.CONTACTED
        contact.invited_at = timezone.now()
        contact.save(update_fields=["status", "invited_at"])
        _record(
            contact, from_status, by=by,
            note=_("Invitation sent to %(email)s.") % {"email": contact.email},
        )
        token = make_invitation_token(contact)
        transaction.on_commit(lambda: emails.send_outreach_invitation(contact, token=token, by=by))
    return contact


def link_invited_organisation(organisation, *, token, by):
    """Mark the invited contact as joined by the organisation just registered.

    Called right after registration with the token kept in the session; a missing, expired
    or used token links nothing and returns None, since the registration itself stands.
    """
    if not token:
        return None
    try:
        contact = read_invitation_token(token)
    except PartnersError:
        return None
    with transaction.atomic():
        contact = OutreachContact.objects.select_for_update().get(pk=contact.pk)
        if not contact.can_move_to(OutreachContact.Status.JOINED) or contact.organisation_id:
            return None
        from_status = contact.status
        contact.status = OutreachContact.Status.JOINED
        contact.organisation = organisation
        contact.save(update_fields=["status", "organisation"])
        OutreachStatusChange.objects.create(
            contact=contact, from_status=from_status, to_status=contact.status, changed_by=by,
            changed_at=timezone.now(),
            note=_("Registered the organisation “%(name)s” from the invitation.") % {"name": organisation.name},
        )
    return contact
