"""The steering group's seats: appointing, checking and ending them. Being a current member is
what grants steering-group rights everywhere (partners.rules.is_steering_member)."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..models import Organisation, SteeringGroupMember
from ..rules import forget_steering_role
from .base import PartnersError, require_active, require_perm

__all__ = ["appoint_steering_member", "check_steering_seat", "end_steering_membership"]


def _require_usable_account(user):
    """A seat for someone who cannot log in would grant rights nobody can use, and the notice
    would go nowhere."""
    if not user.is_active:
        raise PartnersError(_("This person's account is deactivated."))
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise PartnersError(_("This person has not confirmed their email address yet."))


def appoint_steering_member(
    *, by, user, role=SteeringGroupMember.Role.MEMBER, organisation=None, municipality=None,
    start_date=None, end_date=None,
):
    """Give a person a seat in the steering group, representing a verified organisation or a
    municipality. Seats of one person must not overlap; the person is told by email."""
    require_active(by)
    require_perm(by, "partners.appoint_steering_member")
    _require_usable_account(user)
    seat = SteeringGroupMember(
        user=user, role=role, organisation=organisation, municipality=municipality,
        start_date=start_date or timezone.localdate(), end_date=end_date, appointed_by=by,
    )
    with transaction.atomic():
        # Lock the person's seats so two appointments cannot overlap by racing.
        list(SteeringGroupMember.objects.select_for_update().filter(user=user))
        check_steering_seat(seat)
        seat.full_clean()
        seat.save()
        forget_steering_role(user)
        transaction.on_commit(lambda: emails.send_steering_member_appointed(seat))
    return seat


def check_steering_seat(seat):
    """Refuse a seat that represents nobody or both, an unverified organisation, or that
    overlaps another seat of the same person. The appointment form on the portal asks this too."""
    if (seat.organisation_id is None) == (seat.municipality_id is None):
        raise PartnersError(
            _("A steering group member represents either an organisation or a municipality.")
        )
    if seat.organisation_id is not None and seat.organisation.status != Organisation.Status.VERIFIED:
        raise PartnersError(_("Only a verified organisation can be represented in the steering group."))
    if seat.end_date is not None and seat.end_date < seat.start_date:
        return  # the model's check constraint reports this one
    others = SteeringGroupMember.objects.filter(user=seat.user).exclude(pk=seat.pk)
    if seat.end_date is not None:
        others = others.filter(start_date__lte=seat.end_date)
    overlapping = others.exclude(end_date__lt=seat.start_date).exists()
    if overlapping:
        raise PartnersError(_("This person already has a seat in the steering group for those dates."))


def end_steering_membership(seat, *, by, end_date=None):
    """Close a seat; the last day (today by default) is included in the membership."""
    require_active(by)
    require_perm(by, "partners.end_steering_membership")
    end_date = end_date or timezone.localdate()
    holder = seat.user  # the caller's object, whose remembered role must go
    with transaction.atomic():
        seat = SteeringGroupMember.objects.select_for_update().get(pk=seat.pk)
        if seat.end_date is not None and seat.end_date < timezone.localdate():
            raise PartnersError(_("This steering group membership has already ended."))
        if end_date < seat.start_date:
            raise PartnersError(_("The end date cannot be before the start date."))
        seat.end_date = end_date
        seat.ended_by = by
        seat.save(update_fields=["end_date", "ended_by"])
        forget_steering_role(holder)
    return seat
