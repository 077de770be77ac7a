"""Who may do what in the partners app: organisations, memberships, the steering group,
outreach and events.

Staff (the Ufficio di Piano) verify organisations, confirm legal representatives, appoint the
steering group and work with it on outreach and events; they never act for an organisation in
its own name. Predicates read prefetched memberships when a view has loaded them
(`prefetch_related("memberships")`), otherwise they ask one indexed query.

Staff and steering-group powers hold only with two-factor authentication active
(welfare_portal.two_factor): a stolen password alone must not act for the partnership, even
through a view or admin page that forgets to ask for it.
"""

import rules
from django.utils import timezone

from welfare_portal.rules import is_staff
from welfare_portal.two_factor import has_two_factor

from .models import EventRegistration, Membership, Organisation, OutreachContact, SteeringGroupMember


def _memberships(user, organisation):
    """The user's memberships of the organisation, whatever their status (at most one)."""
    if not user or not user.is_authenticated or organisation is None:
        return []
    prefetched = getattr(organisation, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:
        return [m for m in prefetched if m.user_id == user.pk]
    return list(Membership.objects.filter(user=user, organisation=organisation))


def _accepted_memberships(user, organisation):
    """The user's accepted memberships of the organisation (at most one)."""
    return [m for m in _memberships(user, organisation) if m.status == Membership.Status.ACCEPTED]


@rules.predicate
def is_organisation_member(user, organisation):
    """Any accepted role in the organisation."""
    return bool(_accepted_memberships(user, organisation))


@rules.predicate
def is_organisation_referent(user, organisation):
    """A referent, or the confirmed legal representative (see Membership.is_managing)."""
    return any(m.is_managing for m in _accepted_memberships(user, organisation))


@rules.predicate
def has_membership(user, organisation):
    """Has asked to join the organisation, whatever the answer: one request per person."""
    return bool(_memberships(user, organisation))


@rules.predicate
def is_verified_organisation(user, organisation):
    return organisation is not None and organisation.status == Organisation.Status.VERIFIED


def _organisation_can_move_to(status):
    @rules.predicate(name=f"organisation_can_move_to_{status}")
    def predicate(user, organisation):
        return organisation is not None and organisation.can_move_to(status)

    return predicate


can_be_verified = _organisation_can_move_to(Organisation.Status.VERIFIED)
can_be_rejected = _organisation_can_move_to(Organisation.Status.REJECTED)
can_be_resubmitted = _organisation_can_move_to(Organisation.Status.PENDING)


@rules.predicate
def is_referent_of_membership_organisation(user, membership):
    return membership is not None and is_organisation_referent(user, membership.organisation)


@rules.predicate
def is_pending_membership(user, membership):
    return membership is not None and membership.can_move_to(Membership.Status.ACCEPTED)


@rules.predicate
def is_accepted_membership(user, membership):
    return membership is not None and membership.status == Membership.Status.ACCEPTED


@rules.predicate
def is_confirmed_membership(user, membership):
    return membership is not None and membership.is_confirmed_legal_representative


STEERING_ROLE_CACHE = "_current_steering_role"


def _current_steering_role(user):
    """The user's strongest current seat, asked once per user object and day: a page checks
    it for the menu and for every steering action, and request.user lives for one request.
    The steering services forget it when they change a seat of that user object."""
    if not user or not user.is_authenticated:
        return None
    today = timezone.localdate()
    cached = getattr(user, STEERING_ROLE_CACHE, None)
    if cached is not None and cached[0] == today:
        return cached[1]
    role = (
        SteeringGroupMember.objects.current(today)
        .filter(user=user)
        .order_by("role")  # "coordinator" before "member": the strongest current seat
        .values_list("role", flat=True)
        .first()
    )
    setattr(user, STEERING_ROLE_CACHE, (today, role))
    return role


def forget_steering_role(user):
    user.__dict__.pop(STEERING_ROLE_CACHE, None)


@rules.predicate
def holds_steering_seat(user):
    """A current seat, whatever the role, with or without two-factor authentication: enough to
    find the workspace in the menu and to be led to the set-up, never to act."""
    return _current_steering_role(user) is not None


@rules.predicate
def is_steering_member(user):
    """Holds a current seat in the steering group, whatever the role, and has two-factor
    authentication active: every steering-group power rests on this or the next predicate."""
    return _current_steering_role(user) is not None and has_two_factor(user)


@rules.predicate
def is_steering_coordinator(user):
    return _current_steering_role(user) == SteeringGroupMember.Role.COORDINATOR and has_two_factor(user)


rules.add_rule("partners.holds_steering_seat", holds_steering_seat)


rules.add_perm("partners.view_organisation", is_verified_organisation | is_organisation_member | is_staff)
rules.add_perm("partners.change_organisation", is_organisation_referent | is_staff)
# The tax code names the legal body staff checked: once verified, only staff correct it.
rules.add_perm(
    "partners.change_organisation_tax_code", is_staff | (is_organisation_referent & ~is_verified_organisation)
)
# Anyone may ask to join a verified organisation once (anonymous people are asked to log in).
rules.add_perm("partners.join_organisation", is_verified_organisation & ~has_membership)
rules.add_perm("partners.verify_organisation", is_staff & can_be_verified)
rules.add_perm("partners.reject_organisation", is_staff & can_be_rejected)
rules.add_perm("partners.resubmit_organisation", (is_organisation_referent | is_staff) & can_be_resubmitted)
rules.add_perm(
    "partners.decide_membership", (is_referent_of_membership_organisation | is_staff) & is_pending_membership
)
rules.add_perm(
    "partners.confirm_legal_representative", is_staff & is_accepted_membership & ~is_confirmed_membership
)
rules.add_perm("partners.appoint_steering_member", is_staff)

# Steering group: the current group is public (transparency of who runs the process); staff
# appoint and end seats.
rules.add_perm("partners.view_steering_group", rules.always_allow)
rules.add_perm("partners.end_steering_membership", is_staff)

# Outreach board: every current steering-group member and staff work on it together.
can_run_outreach = is_staff | is_steering_member  # the cheap question first: no query for staff
rules.add_perm("partners.view_outreachcontact", can_run_outreach)
rules.add_perm("partners.add_outreachcontact", can_run_outreach)
rules.add_perm("partners.change_outreachcontact", can_run_outreach)


@rules.predicate
def is_open_outreach_contact(user, contact):
    """Not yet joined: an invitation still makes sense."""
    return contact is not None and contact.status != OutreachContact.Status.JOINED


rules.add_perm("partners.invite_outreachcontact", can_run_outreach & is_open_outreach_contact)


@rules.predicate
def has_outreach_moves(user, contact):
    """The contact's status has somewhere to go on the board (OutreachContact.TRANSITIONS)."""
    return contact is not None and bool(OutreachContact.TRANSITIONS.get(contact.status))


rules.add_perm("partners.move_outreachcontact", can_run_outreach & has_outreach_moves)


@rules.predicate
def is_open_for_registration(user, event):
    return event is not None and event.registration_open and not event.is_past


rules.add_perm("partners.register_event", is_open_for_registration)

# Events: public to read and to register for; the steering group and staff organise them.
rules.add_perm("partners.view_event", rules.always_allow)
rules.add_perm("partners.add_event", can_run_outreach)
rules.add_perm("partners.change_event", can_run_outreach)
rules.add_perm("partners.view_eventregistration", can_run_outreach)


@rules.predicate
def is_cancellable_registration(user, registration):
    """Not cancelled yet, for an event still to come (TRANSITIONS has no way back)."""
    return (
        registration is not None and registration.can_move_to(EventRegistration.Status.CANCELLED)
        and not registration.event.is_past
    )


rules.add_perm("partners.cancel_eventregistration", can_run_outreach & is_cancellable_registration)

# The Django admin, for staff: the app, and the lists its pages ask for without an object.
# Memberships, seats and registrations change only through the admin's actions (services).
rules.add_perm("partners", is_staff)
rules.add_perm("partners.view_membership", is_staff)
rules.add_perm("partners.view_steeringgroupmember", is_staff)
rules.add_perm("partners.add_steeringgroupmember", is_staff)
