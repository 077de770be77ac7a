"""What every projects service shares: the domain error, the actor checks and small helpers."""

from django.utils.translation import gettext as _

from partners.rules import is_steering_member
from welfare_portal.refusals import RefusedAction


class ProjectsError(RefusedAction):
    """A refused action in this app; `message` can be shown to the person who tried it."""


def require_active(by):
    if by is None or not by.is_authenticated or not by.is_active:
        raise ProjectsError(_("You need to be logged in to do this."))


def require_perm(by, perm, obj=None):
    if not by.has_perm(perm, obj):
        raise ProjectsError(_("You are not allowed to do this."))


def require_steering_member(by):
    """Asked directly, not through has_perm: a service is the last line, and no permission
    (not even an emergency superuser's) makes someone outside the steering group score."""
    if not is_steering_member(by):
        raise ProjectsError(_("Only current members of the steering group can do this."))


def require_text(value, message):
    value = (value or "").strip()
    if not value:
        raise ProjectsError(message)
    return value


def split_fields(data, plain_fields, m2m_fields, what):
    """Separate plain and many-to-many values; unknown names are a programming error."""
    unknown = set(data) - set(plain_fields) - set(m2m_fields)
    if unknown:
        raise TypeError(f"Unexpected {what} fields: {', '.join(sorted(unknown))}")
    plain = {k: v for k, v in data.items() if k in plain_fields}
    m2m = {k: v for k, v in data.items() if k in m2m_fields}
    return plain, m2m


def set_m2m(instance, m2m):
    for name, values in m2m.items():
        getattr(instance, name).set(values)
