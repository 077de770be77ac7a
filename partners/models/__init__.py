"""The partners app's models, one module per area."""

from .events import Event, EventRegistration  # noqa: F401
from .organisations import (  # noqa: F401
    Membership,
    MembershipQuerySet,
    MembershipStatusChange,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    OrganisationStatusChange,
    SteeringGroupMember,
    SteeringGroupMemberQuerySet,
)
from .outreach import OutreachContact, OutreachStatusChange  # noqa: F401
