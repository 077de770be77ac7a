"""Notifications for people who wait on each other; one function per notification.

Services call these inside `transaction.on_commit`, so nothing is sent for a change that rolls
back. Each person gets their own message: addresses are never disclosed to each other.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string

from welfare_portal.links import absolute_url

from ..models import Membership

__all__ = [
    "send_legal_representative_confirmed", "send_membership_accepted", "send_membership_refused",
    "send_membership_requested", "send_organisation_rejected", "send_organisation_submitted",
    "send_organisation_verified",
]


def _send(template, recipients, context):
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    messages = []
    for recipient in recipients:
        if not recipient.email:
            continue
        ctx = {**context, "recipient": recipient, "portal_name": settings.PORTAL_NAME}
        subject = " ".join(render_to_string(f"partners/email/{template}_subject.txt", ctx).split())
        body = render_to_string(f"partners/email/{template}_body.txt", ctx)
        messages.append((prefix + subject, body, None, [recipient.email]))
    send_mass_mail(messages, fail_silently=False)


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
