"""What every partners service shares: the domain error and the actor checks."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _

from welfare_portal.refusals import RefusedAction


class PartnersError(RefusedAction):
    """A refused action in this app; `message` can be shown to the person who tried it."""


def require_active(by):
    if by is None or not by.is_authenticated or not by.is_active:
        raise PartnersError(_("You need to be logged in to do this."))


def require_verified_email(by):
    require_active(by)
    if not EmailAddress.objects.filter(user=by, email__iexact=by.email, verified=True).exists():
        raise PartnersError(_("Confirm your email address first."))


def require_perm(by, perm, obj=None):
    if not by.has_perm(perm, obj):
        raise PartnersError(_("You are not allowed to do this."))
