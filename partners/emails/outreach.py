"""Notifications of the outreach board: the invitation to a potential partner, and the notice
to the steering-group member a contact is assigned to.

Services call these inside `transaction.on_commit`; links are absolute (PORTAL_BASE_URL), since
no request is at hand.
"""

from django.conf import settings

from welfare_portal.links import absolute_url
from welfare_portal.mail import send_to_address

__all__ = ["send_outreach_contact_assigned", "send_outreach_invitation"]


def _send(template, to, context, *, reply_to=None):
    send_to_address(f"partners/email/{template}", to, context, reply_to=reply_to)


def send_outreach_invitation(contact, *, token, by):
    """The invitation with its signed link: it leads to sign-up and to the organisation's
    registration, which then joins the contact. Replies go to the member who sent it."""
    if not contact.email:
        return
    _send("outreach_invitation", contact.email, {
        "contact": contact,
        "sender": by,
        "link": absolute_url("partners:outreach-invitation", token),
        "valid_days": settings.OUTREACH_INVITATION_MAX_AGE // (24 * 3600),
    }, reply_to=by.email if by is not None else None)


def send_outreach_contact_assigned(contact, *, by):
    assignee = contact.assigned_to
    if assignee is None or not assignee.email or not assignee.is_active:
        return
    _send("outreach_contact_assigned", assignee.email, {
        "contact": contact,
        "recipient": assignee,
        "assigned_by": by,
        "link": absolute_url("partners:outreach-detail", contact.pk),
    })
