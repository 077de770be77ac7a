"""Factories for organisations, memberships and steering-group seats."""

import datetime

import factory
from django.utils import timezone
from stdnum import luhn

from partners.models import Membership, Organisation, OrganisationKind, SteeringGroupMember
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory, give_authenticator


def numeric_tax_code(n):
    """A valid numeric codice fiscale: 7 digits, a Milan office code (015), a Luhn check digit."""
    base = f"{n + 1:07d}015"
    return base + luhn.calc_check_digit(base)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A pending organisation; `OrganisationFactory(verified=True)` or `(rejected=True)` for
    the other states. No referent: use `referent=user` to add one."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Associazione {n}")
    kind = OrganisationKind.VOLUNTEERING
    legal_form = "Associazione di volontariato"
    tax_code = factory.Sequence(numeric_tax_code)
    seat_municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.Sequence(lambda n: f"info{n}@associazione.example.org")
    status = Organisation.Status.PENDING

    class Params:
        verified = factory.Trait(
            status=Organisation.Status.VERIFIED,
            verified_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            status=Organisation.Status.REJECTED,
            rejection_reason="Il codice fiscale non corrisponde alla denominazione.",
        )

    @factory.post_generation
    def referent(obj, create, extracted, **kwargs):
        if create and extracted:
            MembershipFactory(
                organisation=obj, user=extracted, role=Membership.Role.REFERENT,
                status=Membership.Status.ACCEPTED,
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    """An accepted member; `MembershipFactory(pending=True)` or `(refused=True)` for requests."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory, verified=True)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACCEPTED

    class Params:
        pending = factory.Trait(status=Membership.Status.PENDING)
        refused = factory.Trait(status=Membership.Status.REFUSED)
        confirmed_legal_representative = factory.Trait(
            role=Membership.Role.LEGAL_REPRESENTATIVE,
            representative_tax_code="RCCMNL83S18D969H",
            confirmed_at=factory.LazyFunction(timezone.now),
        )


class SteeringGroupMemberFactory(factory.django.DjangoModelFactory):
    """A current seat representing a municipality; `ended=True` for a past one. Its holder gets
    the authenticator app every steering-group power needs (`totp=False`: still without one)."""

    class Meta:
        model = SteeringGroupMember
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = SteeringGroupMember.Role.MEMBER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    class Params:
        coordinator = factory.Trait(role=SteeringGroupMember.Role.COORDINATOR)
        ended = factory.Trait(end_date=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)))

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            give_authenticator(obj.user)


class OutreachContactFactory(factory.django.DjangoModelFactory):
    """A potential partner still to be contacted, with an email address; set `status` for
    the other states (no history rows: services write those)."""

    class Meta:
        model = "partners.OutreachContact"

    name = factory.Sequence(lambda n: f"Potenziale partner {n}")
    email = factory.Sequence(lambda n: f"segreteria{n}@partner.example.org")
    kind = OrganisationKind.VOLUNTEERING
    municipality = factory.SubFactory(MunicipalityFactory)
