"""One function per notification; bodies are templates under templates/partners/email/."""

from .organisations import (  # noqa: F401
    send_legal_representative_confirmed,
    send_membership_accepted,
    send_membership_refused,
    send_membership_requested,
    send_organisation_rejected,
    send_organisation_verified,
)
