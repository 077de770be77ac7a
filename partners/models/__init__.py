"""The partners app's models, one module per area."""

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
