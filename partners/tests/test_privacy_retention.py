"""Event registrations go when the privacy notice says they go; an ended membership (its person
closed the account) grants nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from partners.models import EventRegistration, Membership
from partners.services import end_memberships
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import MembershipFactory, OrganisationFactory
from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_prune_registrations_deletes_only_those_past_the_retention(settings, capsys):
    settings.PRIVACY_EVENT_REGISTRATION_DAYS = 365
    old = EventRegistrationFactory(event=EventFactory(starts_at=timezone.now() - 366 * DAY))
    recent = EventRegistrationFactory(event=EventFactory(starts_at=timezone.now() - 364 * DAY))
    upcoming = EventRegistrationFactory()

    call_command("prune_registrations")
    assert "1 registration(s) would be deleted" in capsys.readouterr().out
    assert EventRegistration.objects.count() == 3

    call_command("prune_registrations", "--delete")
    assert set(EventRegistration.objects.values_list("pk", flat=True)) == {recent.pk, upcoming.pk}
    assert old.pk not in EventRegistration.objects.values_list("pk", flat=True)


def test_an_ended_membership_grants_nothing():
    user = UserFactory()
    organisation = OrganisationFactory(verified=True, referent=user)
    representative = MembershipFactory(user=user, confirmed_legal_representative=True)
    assert user.has_perm("partners.change_organisation", organisation)

    ended = end_memberships(user, note="Account chiuso.", keep_tax_code_for={representative.organisation_id})
    assert len(ended) == 2
    user = type(user).objects.get(pk=user.pk)  # no remembered roles
    assert not user.has_perm("partners.change_organisation", organisation)
    assert not Membership.objects.managing().filter(user=user).exists()
    assert not Membership.objects.confirmed_legal_representatives().filter(user=user).exists()
    representative.refresh_from_db()
    assert representative.status == Membership.Status.ENDED and representative.representative_tax_code


def test_ending_erases_the_codice_fiscale_no_signature_needs():
    membership = MembershipFactory(confirmed_legal_representative=True)
    end_memberships(membership.user)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED
    assert membership.representative_tax_code == "" and membership.confirmed_at is not None
