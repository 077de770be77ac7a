"""Closing an account (GDPR art. 17), with what the law requires to keep.

What goes: the email addresses, the name and password of the account, its authenticators, its
sessions (they no longer validate), the person's memberships (ended; a legal representative's
codice fiscale erased unless a kept signature needs it), their event registrations (upcoming
ones cancelled first, so the waiting list moves) and their place among focus-group facilitators.

What stays, because the partnership's records are records of the public administration
(art. 17(3)(b) and (e)): the signatures of the Patto with the name, email and codice fiscale as
signed (the signature row holds them, and its fingerprint covers them), declines, the history
of decisions and every document. Those rows keep pointing at the account, whose row stays,
pseudonymised and unable to log in.

Some people must hand over first, and the page says what to do: staff, a current (or future)
member of the steering group, the only referent of an organisation, and a legal representative
whose organisation has a Patto to answer and nobody else to sign it.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from charter.models import Decline, Signatory, Signature
from partners.models import EventRegistration, Membership, SteeringGroupMember
from partners.services import PartnersError, cancel_registration, end_memberships

from ..mail import send_to_address
from ..models import User
from ..refusals import RefusedAction

__all__ = ["AccountError", "ClosurePlan", "close_account", "closure_plan", "own_registrations", "verified_addresses"]

CLOSED_EMAIL_DOMAIN = "closed-account.invalid"


class AccountError(RefusedAction):
    """The account cannot be closed now; `message` says what to do first."""


@dataclass
class ClosurePlan:
    """What closing the account would do, for the confirmation page and the service."""

    blockers: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    upcoming_registrations: list = field(default_factory=list)
    past_registrations: int = 0
    facilitated: list = field(default_factory=list)
    signatures: list = field(default_factory=list)
    declines: list = field(default_factory=list)

    @property
    def allowed(self):
        return not self.blockers


def verified_addresses(user):
    """The addresses the person proved are theirs: only those find their event registrations,
    an unverified one may be someone else's."""
    return list(EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "email")
                .values_list("email", flat=True))


def own_registrations(user):
    """Event registrations made with one of the person's verified addresses."""
    addresses = verified_addresses(user)
    if not addresses:
        return EventRegistration.objects.none()
    matches = Q()
    for address in addresses:
        matches |= Q(email__iexact=address)
    return EventRegistration.objects.filter(matches)


def _blockers_and_warnings(user, plan):
    today = timezone.localdate()
    if user.is_staff or user.is_superuser:
        plan.blockers.append(_(
            "Your account belongs to the staff of the district plan office: ask another member of staff to remove "
            "your staff role first; the office's own procedure decides what happens to your account."
        ))
    seats = SteeringGroupMember.objects.filter(user=user).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    for seat in seats.order_by("start_date", "pk"):
        plan.blockers.append(
            _("You have a seat in the steering group (from %(start)s, with no end date): ask the district plan "
              "office to end it first.") % {"start": date_format(seat.start_date)}
            if seat.end_date is None else
            _("You have a seat in the steering group (from %(start)s to %(end)s): ask the district plan office "
              "to end it first.") % {"start": date_format(seat.start_date), "end": date_format(seat.end_date)}
        )
    managing = Membership.objects.managing()
    for membership in managing.filter(user=user).select_related("organisation").order_by("organisation__name"):
        others = managing.filter(organisation=membership.organisation_id, user__is_active=True).exclude(user=user)
        if not others.exists():
            plan.blockers.append(_(
                "You are the only referent of %(organisation)s: ask a colleague to join it as referent and accept "
                "their request, or ask the district plan office to help, so that the organisation is not left "
                "without anyone to manage it."
            ) % {"organisation": membership.organisation.name})
    representatives = Membership.objects.confirmed_legal_representatives()
    for signatory in Signatory.objects.awaiting(user).order_by("pact__deadline", "pk"):
        params = {
            "organisation": signatory.organisation.name, "pact": signatory.pact.title,
            "deadline": date_format(signatory.pact.deadline),
        }
        others = representatives.filter(organisation=signatory.organisation_id, user__is_active=True).exclude(user=user)
        if others.exists():
            plan.warnings.append(_(
                "“%(pact)s” is still waiting for the answer of %(organisation)s (until %(deadline)s): another "
                "legal representative of the organisation can sign it or decline it."
            ) % params)
        else:
            plan.blockers.append(_(
                "“%(pact)s” is waiting for the answer of %(organisation)s, and you are its only legal "
                "representative: sign it or decline it by %(deadline)s first, or ask the district plan office to "
                "confirm another legal representative."
            ) % params)


def closure_plan(user):
    """What closing `user`'s account would erase and keep, and what must happen first."""
    plan = ClosurePlan()
    _blockers_and_warnings(user, plan)
    plan.addresses = list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))
    plan.memberships = list(
        Membership.objects.filter(user=user, status__in=[Membership.Status.PENDING, Membership.Status.ACCEPTED])
        .select_related("organisation").order_by("organisation__name", "pk")
    )
    now = timezone.now()
    registrations = own_registrations(user).select_related("event")
    plan.upcoming_registrations = list(
        registrations.filter(event__starts_at__gte=now).exclude(status=EventRegistration.Status.CANCELLED)
        .order_by("event__starts_at", "pk")
    )
    plan.past_registrations = registrations.count() - len(plan.upcoming_registrations)
    plan.facilitated = list(user.facilitated_focus_groups.order_by("title", "pk"))
    plan.signatures = list(
        Signature.objects.filter(signer=user).select_related("pact", "organisation").order_by("signed_at", "pk")
    )
    plan.declines = list(
        Decline.objects.filter(declined_by=user).select_related("pact", "organisation").order_by("declined_at", "pk")
    )
    return plan


def pseudonym(user):
    """What the kept records show for a closed account, in the portal's language like them."""
    with override(settings.LANGUAGE_CODE):
        return _("Closed account no. %(number)s") % {"number": user.pk}


def close_account(user, *, by):
    """Close `user`'s account at their own request (`by` is the person); returns the user.

    Refused, changing nothing, while the plan has blockers. Every change happens in one
    transaction; the confirmation email leaves once it commits, to the addresses the person had.
    """
    if by is None or not by.is_authenticated or by.pk != user.pk:
        raise AccountError(_("Only the person who owns an account can close it."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise AccountError(_("This account is already closed."))
        plan = closure_plan(user)
        if plan.blockers:
            raise AccountError(" ".join(plan.blockers))
        addresses = verified_addresses(user)
        now = timezone.now()

        for registration in plan.upcoming_registrations:
            try:  # as if the person used the link in their email: the waiting list moves on
                cancel_registration(registration)
            except PartnersError:
                pass  # started in the meantime: it is deleted below like a past one
        own_registrations(user).delete()

        signed_for = set(Signature.objects.filter(signer=user).values_list("organisation_id", flat=True))
        with override(settings.LANGUAGE_CODE):
            note = _("The person closed their account.")
        end_memberships(user, note=note, keep_tax_code_for=signed_for)
        user.facilitated_focus_groups.clear()
        Authenticator.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()

        user.full_name = pseudonym(user)
        user.email = f"account-{user.pk}@{CLOSED_EMAIL_DOMAIN}"
        user.set_unusable_password()  # every session of the account stops validating
        user.is_active = False
        user.last_login = None
        user.closed_at = now
        user.save()
        user.groups.clear()
        user.user_permissions.clear()

        kept = len(plan.signatures)
        transaction.on_commit(lambda: _send_closed(addresses, closed_at=now, signatures=kept))
    return user


def _send_closed(addresses, *, closed_at, signatures):
    for address in addresses:
        send_to_address("welfare_portal/email/account_closed", address, {
            "closed_at": closed_at, "signatures": signatures,
            "contact": settings.PRIVACY_CONTROLLER_EMAIL,
        })
