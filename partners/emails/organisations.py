"""Notifications about organisations and memberships, for people who wait on each other; one
function per notification (how they are sent: welfare_portal.mail)."""

from django.contrib.auth import get_user_model

from welfare_portal.links import absolute_url
from welfare_portal.mail import send_to_people

from ..models import Membership

__all__ = [
    "send_legal_representative_confirmed", "send_membership_accepted", "send_membership_refused",
    "send_membership_requested", "send_organisation_rejected", "send_organisation_submitted",
    "send_organisation_verified",
]


def _send(template, recipients, context):
    send_to_people(f"partners/email/{template}", recipients, context)


def _referents(organisation):
    memberships = Membership.objects.managing().filter(organisation=organisation).select_related("user")
    return [m.user for m in memberships if m.user.is_active]


def _organisation_link(organisation):
    return absolute_url("partners:organisation-detail", organisation.pk)


def send_organisation_submitted(organisation, *, resubmitted=False):
    """Tell every active staff member there is an organisation to verify."""
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk")
    _send("organisation_submitted", staff, {
        "organisation": organisation, "resubmitted": resubmitted,
        "link": absolute_url("partners:staff-organisation-review", organisation.pk),
    })


def send_organisation_verified(organisation):
    _send("organisation_verified", _referents(organisation), {
        "organisation": organisation, "link": _organisation_link(organisation),
    })


def send_organisation_rejected(organisation):
    _send("organisation_rejected", _referents(organisation), {
        "organisation": organisation,
        "link": absolute_url("partners:organisation-edit", organisation.pk),
    })


def send_membership_requested(membership):
    recipients = [user for user in _referents(membership.organisation) if user.pk != membership.user_id]
    _send("membership_requested", recipients, {
        "membership": membership, "link": _organisation_link(membership.organisation) + "#requests",
    })


def send_membership_accepted(membership):
    _send("membership_accepted", [membership.user], {
        "membership": membership, "link": _organisation_link(membership.organisation),
    })


def send_membership_refused(membership):
    _send("membership_refused", [membership.user], {
        "membership": membership, "link": _organisation_link(membership.organisation),
    })


def send_legal_representative_confirmed(membership):
    _send("legal_representative_confirmed", [membership.user], {
        "membership": membership, "link": _organisation_link(membership.organisation),
    })
