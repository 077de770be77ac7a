"""Steering-group appointments made from the staff pages.

The seat rules (one representation, verified organisation, no overlapping seats of one person,
dates) live in `organisations.appoint_steering_member`; this module adds what the staff pages
need on top: the appointee must be someone who can log in, and is told by email.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext as _

from .. import emails
from .base import PartnersError
from .organisations import appoint_steering_member

__all__ = ["appoint_steering_member_and_notify"]


def appoint_steering_member_and_notify(*, by, user, **seat_data):
    """Appoint as `appoint_steering_member` does, then email the appointee once committed.

    Refuses people who could not use the seat: deactivated accounts and addresses never
    confirmed (the notice would go nowhere, and they could not log in to work on outreach).
    """
    if not user.is_active:
        raise PartnersError(_("This person's account is deactivated."))
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise PartnersError(_("This person has not confirmed their email address yet."))
    with transaction.atomic():
        seat = appoint_steering_member(by=by, user=user, **seat_data)
        transaction.on_commit(lambda: emails.send_steering_member_appointed(seat))
    return seat
