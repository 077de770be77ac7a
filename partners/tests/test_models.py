import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.utils import timezone
from stdnum.it import codicefiscale

from partners.models import Membership, Organisation, OrganisationKind, SteeringGroupMember
from partners.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SteeringGroupMemberFactory,
    numeric_tax_code,
)
from partners.validators import normalise_tax_code
from welfare_portal.models import PolicyArea
from welfare_portal.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

DUPLICATE_MESSAGE = "An organisation with this tax code is already registered."
OrganisationForm = modelform_factory(
    Organisation, fields=["name", "kind", "legal_form", "tax_code", "seat_municipality"]
)


def _form(**overrides):
    data = {
        "name": "Cooperativa Sociale Esempio",
        "kind": OrganisationKind.SOCIAL_COOPERATIVE,
        "legal_form": "Cooperativa sociale di tipo A",
        "tax_code": "00743110157",
        "seat_municipality": MunicipalityFactory(name="Legnano").pk,
        **overrides,
    }
    return OrganisationForm(data=data)


def test_policy_areas_are_loaded_by_the_data_migration_in_order():
    assert list(PolicyArea.objects.values_list("slug", "name")) == [
        ("work", "Lavoro"),
        ("housing", "Casa"),
        ("land-use", "Territorio e urbanistica"),
        ("transport", "Trasporti"),
        ("education", "Istruzione"),
        ("vocational-training", "Formazione professionale"),
        ("social-services", "Servizi sociali"),
        ("health-services", "Servizi sanitari"),
        ("local-taxation-and-tariffs", "Fiscalità locale e tariffe"),
    ]


def test_every_partner_kind_of_the_seed_is_a_choice():
    assert len(OrganisationKind.choices) == 14


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("00743110157", "00743110157"),
        ("IT 00743110157", "00743110157"),
        (" 007 4311 0157 ", "00743110157"),
        ("rccmnl83s18d969h", "RCCMNL83S18D969H"),
    ],
)
def test_tax_code_is_stored_normalised(raw, stored):
    organisation = OrganisationFactory(tax_code=raw)
    organisation.refresh_from_db()
    assert organisation.tax_code == stored
    assert normalise_tax_code(raw) == stored


def test_duplicate_tax_code_is_refused_by_the_database():
    OrganisationFactory(tax_code="00743110157")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(tax_code="IT00743110157")
    assert Organisation.objects.count() == 1


def test_duplicate_tax_code_is_refused_by_model_validation_with_a_clear_message():
    OrganisationFactory(tax_code="00743110157")
    organisation = OrganisationFactory.build(
        tax_code="IT 00743110157", seat_municipality=MunicipalityFactory()
    )
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert excinfo.value.message_dict["tax_code"] == [DUPLICATE_MESSAGE]


def test_duplicate_tax_code_is_refused_by_a_form_with_a_clear_message():
    OrganisationFactory(tax_code="00743110157")
    form = _form(tax_code="00743110157")
    assert not form.is_valid()
    assert form.errors["tax_code"] == [DUPLICATE_MESSAGE]


def test_valid_form_passes():
    assert _form().is_valid()


def test_editing_an_organisation_keeps_its_own_tax_code():
    organisation = OrganisationFactory(tax_code="00743110157")
    organisation.name = "Nuovo nome"
    organisation.full_clean()


@pytest.mark.parametrize(
    "tax_code",
    [
        "00743110158",  # wrong check digit
        "RCCMNL83S18D969X",  # wrong check character
        "0074311015",  # too short
        "ABCDEFGHIJK",
    ],
)
def test_invalid_tax_code_is_refused(tax_code):
    form = _form(tax_code=tax_code)
    assert not form.is_valid()
    assert "check digit" in form.errors["tax_code"][0]


def test_tax_code_is_required_except_for_an_informal_network():
    form = _form(tax_code="")
    assert not form.is_valid()
    assert "only an informal solidarity network" in form.errors["tax_code"][0]

    assert _form(tax_code="", kind=OrganisationKind.INFORMAL_SOLIDARITY_NETWORK).is_valid()


def test_two_informal_networks_without_tax_code_can_coexist():
    OrganisationFactory(tax_code="", kind=OrganisationKind.INFORMAL_SOLIDARITY_NETWORK)
    OrganisationFactory(tax_code="", kind=OrganisationKind.INFORMAL_SOLIDARITY_NETWORK)
    assert Organisation.objects.filter(tax_code="").count() == 2


def test_one_membership_per_user_and_organisation_at_database_level():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, organisation=membership.organisation)


def test_confirmed_membership_requires_a_legal_representative_with_tax_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(confirmed_legal_representative=True, representative_tax_code="")
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(confirmed_legal_representative=True, role=Membership.Role.MEMBER)
    assert MembershipFactory(confirmed_legal_representative=True).is_confirmed_legal_representative


def test_steering_seat_represents_exactly_one_of_organisation_or_municipality():
    organisation = OrganisationFactory(verified=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        SteeringGroupMemberFactory(organisation=organisation)  # municipality too
    with pytest.raises(IntegrityError), transaction.atomic():
        SteeringGroupMemberFactory(municipality=None)
    assert SteeringGroupMemberFactory(municipality=None, organisation=organisation).represents == organisation


def test_steering_seat_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SteeringGroupMemberFactory(end_date="2020-01-01")


def test_one_open_ended_steering_seat_per_person():
    seat = SteeringGroupMemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SteeringGroupMemberFactory(user=seat.user)
    SteeringGroupMemberFactory(user=seat.user, ended=True)


def test_current_steering_seats_include_both_ends():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    starts_today = SteeringGroupMemberFactory(start_date=today)
    ends_today = SteeringGroupMemberFactory(end_date=today)
    SteeringGroupMemberFactory(ended=True)
    SteeringGroupMemberFactory(start_date=today + day)
    assert set(SteeringGroupMember.objects.current()) == {starts_today, ends_today}


def test_numeric_tax_code_factory_makes_valid_codes():
    assert all(codicefiscale.is_valid(numeric_tax_code(n)) for n in range(50))
