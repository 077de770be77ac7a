"""seed_demo: demo data that a newcomer can log in with, loaded as often as wanted, and never
by accident on a production database."""

import datetime
import re
from io import StringIO

import pytest
import rules
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from partners.models import (
    Event,
    EventRegistration,
    Membership,
    MembershipStatusChange,
    Organisation,
    OrganisationStatusChange,
    OutreachContact,
    OutreachStatusChange,
    SteeringGroupMember,
)
from partners.services import check_steering_seat
from partners.validators import validate_organisation_tax_code, validate_personal_tax_code
from welfare_portal.models import Municipality
from welfare_portal.tests.factories import give_authenticator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

User = get_user_model()

AMBITO_DI_LEGNANO = {
    "Busto Garolfo",
    "Canegrate",
    "Cerro Maggiore",
    "Dairago",
    "Legnano",
    "Nerviano",
    "Parabiago",
    "Rescaldina",
    "San Giorgio su Legnano",
    "San Vittore Olona",
    "Villa Cortese",
}


DEMO_USER_COUNT = 11
DEMO = "@demo.welfare-legnano.it"


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def rows(queryset, *fields):
    return sorted(queryset.values_list(*fields), key=repr)


def snapshot():
    """Every seeded table, by natural keys and with the dates: a second run must change nothing."""
    return {
        "municipalities": sorted(Municipality.objects.values_list("name", flat=True)),
        "users": sorted(User.objects.values_list("email", "full_name", "is_staff", "is_superuser")),
        "addresses": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
        "organisations": rows(
            Organisation.objects, "name", "kind", "tax_code", "status", "rejection_reason",
            "seat_municipality__name", "created_at", "verified_at", "created_by__email",
        ),
        "served": rows(Organisation.municipalities_served.through.objects, "organisation__name", "municipality__name"),
        "policy_areas": rows(Organisation.policy_areas.through.objects, "organisation__name", "policyarea__slug"),
        "organisation_history": rows(
            OrganisationStatusChange.objects, "organisation__name", "from_status", "to_status", "changed_at",
        ),
        "memberships": rows(
            Membership.objects, "user__email", "organisation__name", "role", "status",
            "representative_tax_code", "confirmed_at", "requested_at",
        ),
        "membership_history": rows(
            MembershipStatusChange.objects, "membership__user__email", "from_status", "to_status", "changed_at",
        ),
        "seats": rows(
            SteeringGroupMember.objects, "user__email", "role", "organisation__name", "municipality__name",
            "start_date", "end_date",
        ),
        "contacts": rows(
            OutreachContact.objects, "name", "status", "assigned_to__email", "organisation__name", "created_at",
        ),
        "outreach_history": rows(
            OutreachStatusChange.objects, "contact__name", "from_status", "to_status", "changed_by__email",
            "changed_at",
        ),
        "events": rows(Event.objects, "title", "starts_at", "place", "capacity"),
        "registrations": rows(EventRegistration.objects, "email", "status", "registered_at"),
    }


def test_seed_demo_loads_the_eleven_municipalities_of_the_ambito():
    seed("--force")

    assert set(Municipality.objects.values_list("name", flat=True)) == AMBITO_DI_LEGNANO


def test_seed_demo_run_twice_gives_the_same_data():
    seed("--force")
    first = snapshot()

    seed("--force")

    assert snapshot() == first
    assert len(first["municipalities"]) == 11
    assert len([u for u in User.objects.all() if u.has_usable_password()]) == DEMO_USER_COUNT
    assert all(first.values()), [table for table, content in first.items() if not content]


def test_seed_demo_keeps_municipalities_already_there():
    Municipality.objects.create(name="Legnano", istat_code="015118", population=60000)

    seed("--force")

    legnano = Municipality.objects.get(name="Legnano")
    assert (legnano.istat_code, legnano.population) == ("015118", 60000)
    assert Municipality.objects.count() == 11


def test_every_demo_login_printed_works_with_the_printed_password(client):
    output = seed("--force")

    password = re.search(r"password for all: (\S+)\)", output).group(1)
    logins = re.findall(r"^\s+(\S+@\S+)\s", output, flags=re.MULTILINE)
    assert len(logins) == DEMO_USER_COUNT
    # Everyone who can log in is printed; the rest are signers of the demo Patto, not logins.
    assert set(logins) == {user.email for user in User.objects.all() if user.has_usable_password()}
    for email in logins:
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 302, email
        assert response.url == reverse("home"), email
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_seed_demo_makes_exactly_one_staff_login():
    output = seed("--force")

    [staff] = User.objects.filter(is_staff=True)
    assert staff.email in output


def test_the_demo_staff_is_no_superuser_and_still_does_what_staff_do(client):
    """No demo role is a superuser, also over a database seeded when staff were; the staff
    login works the staff area and the admin through the rules."""
    User.objects.create_user(email=f"staff{DEMO}", is_staff=True, is_superuser=True)
    seed("--force")
    assert not User.objects.filter(is_superuser=True).exists()
    staff = User.objects.get(email=f"staff{DEMO}")
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    pending = Organisation.objects.filter(status=Organisation.Status.PENDING).first()
    assert staff.has_perm("partners.verify_organisation", pending)
    for path in ("/gestione/", f"/gestione/enti/{pending.pk}/", "/admin/", "/admin/partners/organisation/",
                 "/admin/projects/proposal/", "/admin/charter/pact/", "/admin/welfare_portal/user/"):
        assert client.get(path).status_code == 200, path


def test_seed_demo_refuses_with_debug_off_and_creates_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        seed()

    assert not Municipality.objects.exists()
    assert not User.objects.exists()


def test_seed_demo_runs_without_force_while_developing(settings):
    settings.DEBUG = True

    seed()

    assert Municipality.objects.count() == 11


# --- Issue 4: organisations, memberships, steering group, outreach, launch event -----------


def test_seed_demo_organisations_of_several_kinds_in_several_municipalities():
    seed("--force")

    verified = Organisation.objects.verified().prefetch_related("municipalities_served", "policy_areas")
    assert len(verified) >= 8
    assert len({organisation.kind for organisation in verified}) >= 6
    assert len({organisation.seat_municipality_id for organisation in verified}) >= 5
    for organisation in verified:
        assert organisation.municipalities_served.all(), organisation
        assert organisation.policy_areas.all(), organisation
        assert organisation.description, organisation
    assert Organisation.objects.filter(status=Organisation.Status.PENDING).count() == 2
    [rejected] = Organisation.objects.filter(status=Organisation.Status.REJECTED)
    assert rejected.rejection_reason


def test_seed_demo_data_pass_the_models_validation():
    """Valid tax codes (check digits) and every model constraint, as a form would check them."""
    seed("--force")

    for model in [Organisation, Membership, SteeringGroupMember, OutreachContact, Event, EventRegistration]:
        for obj in model.objects.all():
            obj.full_clean()
    for tax_code in Organisation.objects.exclude(tax_code="").values_list("tax_code", flat=True):
        validate_organisation_tax_code(tax_code)
    for seat in SteeringGroupMember.objects.all():
        check_steering_seat(seat)  # represents one verified organisation or municipality, no overlap


def test_seed_demo_memberships_member_legal_representative_and_a_request():
    seed("--force")

    partner = Membership.objects.get(user__email=f"partner{DEMO}")
    assert (partner.role, partner.status) == (Membership.Role.MEMBER, Membership.Status.ACCEPTED)
    organisation = partner.organisation
    assert organisation.status == Organisation.Status.VERIFIED
    legal = Membership.objects.get(user__email=f"legale{DEMO}", organisation=organisation)
    assert legal.is_confirmed_legal_representative
    validate_personal_tax_code(legal.representative_tax_code)
    [request] = Membership.objects.filter(organisation=organisation, status=Membership.Status.PENDING)
    assert request.user.email.endswith(DEMO)
    # The legal representative manages the organisation, so can decide the request.
    assert legal.user.has_perm("partners.decide_membership", request)


def test_seed_demo_steering_group_with_regia_as_coordinator_for_legnano():
    seed("--force")

    current = SteeringGroupMember.objects.current().select_related("user", "municipality")
    coordinator = current.get(role=SteeringGroupMember.Role.COORDINATOR)
    assert coordinator.user.email == f"regia{DEMO}"
    assert coordinator.municipality.name == "Legnano"
    members = current.filter(role=SteeringGroupMember.Role.MEMBER)
    assert 3 <= len(members) <= 5
    assert any(seat.organisation_id for seat in members) and any(seat.municipality_id for seat in members)
    assert SteeringGroupMember.objects.filter(end_date__lt=timezone.localdate()).exists()
    # The seat gives the steering group's powers once the coordinator sets up two-factor
    # authentication, as anyone logging in with the demo password is asked to.
    assert rules.test_rule("partners.holds_steering_seat", coordinator.user)
    assert not coordinator.user.has_perm("partners.view_outreachcontact")
    give_authenticator(coordinator.user)
    assert coordinator.user.has_perm("partners.view_outreachcontact")
    assert not User.objects.get(email=f"partner{DEMO}").has_perm("partners.view_outreachcontact")


def test_seed_demo_outreach_contacts_in_every_status_with_their_history():
    seed("--force")

    contacts = OutreachContact.objects.select_related("assigned_to", "organisation").prefetch_related("status_changes")
    assert {contact.status for contact in contacts} == set(OutreachContact.Status)
    members = set(SteeringGroupMember.objects.current().values_list("user", flat=True))
    for contact in contacts:
        assert contact.assigned_to_id in members, contact
        history = [(change.from_status, change.to_status) for change in contact.status_changes.all()]
        assert history[0] == ("", OutreachContact.Status.TO_CONTACT), contact
        assert history[-1][1] == contact.status, contact
        for (_, to_status), (from_status, next_status) in zip(history, history[1:]):
            assert to_status == from_status, contact
            assert OutreachContact(status=from_status).can_move_to(next_status), contact
        dates = [change.changed_at for change in contact.status_changes.all()]
        assert dates == sorted(dates), contact
    joined = contacts.get(status=OutreachContact.Status.JOINED)
    assert joined.organisation.status == Organisation.Status.VERIFIED


def test_seed_demo_launch_event_is_full_with_a_waiting_list():
    seed("--force")

    event = Event.objects.get(title="Evento di lancio del welfare generativo")
    assert event.starts_at > timezone.now()
    assert "Legnano" in event.place
    by_status = {status: event.registrations.filter(status=status).count() for status in EventRegistration.Status}
    assert by_status == {
        EventRegistration.Status.CONFIRMED: event.capacity,
        EventRegistration.Status.WAITING: 2,
        EventRegistration.Status.CANCELLED: 1,
    }
    assert event.capacity <= 10


def test_seed_demo_moves_a_past_launch_event_forward():
    seed("--force")
    Event.objects.update(starts_at=timezone.now() - datetime.timedelta(days=3))

    seed("--force")

    assert Event.objects.get().starts_at > timezone.now()
    assert EventRegistration.objects.count() == 8


def test_seed_demo_keeps_what_people_did_in_the_demo():
    """A second run fills in what is missing but does not undo decisions taken since."""
    seed("--force")
    request = Membership.objects.get(status=Membership.Status.PENDING)
    Membership.objects.filter(pk=request.pk).update(status=Membership.Status.ACCEPTED)
    SteeringGroupMember.objects.filter(user__email=f"regia{DEMO}").update(end_date=timezone.localdate())

    seed("--force")

    request.refresh_from_db()
    assert request.status == Membership.Status.ACCEPTED
    assert SteeringGroupMember.objects.get(user__email=f"regia{DEMO}").end_date == timezone.localdate()
