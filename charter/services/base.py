"""What every charter service shares: the domain error and the actor checks."""

from django.utils.translation import gettext as _

from welfare_portal.refusals import RefusedAction

from ..rules import is_confirmed_legal_representative


class CharterError(RefusedAction):
    """A refused action in this app; `message` can be shown to the person who tried it."""


def require_active(by):
    if by is None or not by.is_authenticated or not by.is_active:
        raise CharterError(_("You need to be logged in to do this."))


def require_perm(by, perm, obj=None):
    if not by.has_perm(perm, obj):
        raise CharterError(_("You are not allowed to do this."))


def require_text(value, message):
    value = (value or "").strip()
    if not value:
        raise CharterError(message)
    return value


def require_legal_representative(by, organisation):
    """Asked directly, not through has_perm: a service is the last line, and only the
    organisation's confirmed legal representative may bind it (never staff, nor an emergency
    superuser, whom Django lets through every permission)."""
    if not is_confirmed_legal_representative(by, organisation):
        raise CharterError(
            _(
                "Only the confirmed legal representative of %(organisation)s can sign or decline "
                "the pact for it. If that is you, ask the portal's staff to confirm your role."
            )
            % {"organisation": organisation.name}
        )


def require_text_for_signing(pact):
    """The stored PDF legal representatives sign; refused while it is still being prepared."""
    from ..models import DocumentKind

    document = pact.documents.filter(kind=DocumentKind.PACT_DRAFT).first()
    if document is None:
        raise CharterError(text_being_prepared_message())
    return document


def text_being_prepared_message():
    return _(
        "The PDF of the text for signing is being prepared: the pact can be signed as soon as it is "
        "ready, usually within a few minutes."
    )
