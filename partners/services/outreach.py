"""The steering group's outreach: invitations with signed, expiring links, and the link between
a contact and the organisation it registers."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import OutreachContact, OutreachStatusChange
from .base import PartnersError

__all__ = [
    "INVITATION_SESSION_KEY", "link_invited_organisation", "make_invitation_token",
    "read_invitation_token",
]

INVITATION_SALT = "partners.outreach-invitation"
# Where the invitation waits while the invited person signs up and registers the organisation.
INVITATION_SESSION_KEY = "partners_outreach_invitation"


def make_invitation_token(contact):
    """A URL-safe token naming the contact, signed so it cannot be forged or altered."""
    return signing.dumps({"contact": contact.pk}, salt=INVITATION_SALT, compress=True)


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
