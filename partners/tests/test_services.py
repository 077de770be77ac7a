import datetime
import itertools

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners import services
from partners.models import (
    Membership,
    MembershipStatusChange,
    Organisation,
    OrganisationKind,
    OrganisationStatusChange,
    SteeringGroupMember,
)
from partners.services import PartnersError
from partners.tests.factories import MembershipFactory, OrganisationFactory, SteeringGroupMemberFactory
from welfare_portal.models import PolicyArea
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

OrgStatus = Organisation.Status
MemberStatus = Membership.Status
PERSONAL_TAX_CODE = "RCCMNL83S18D969H"
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, email="staff@example.org")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the emails queued with transaction.on_commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _registration_data(**overrides):
    return {
        "name": "Cooperativa Sociale Esempio",
        "kind": OrganisationKind.SOCIAL_COOPERATIVE,
        "legal_form": "Cooperativa sociale di tipo A",
        "tax_code": "IT 00743110157",
        "seat_municipality": MunicipalityFactory(name="Legnano"),
        **overrides,
    }


# Organisation: registration and profile


def test_register_organisation_makes_creator_referent_and_records_history():
    user = UserFactory()
    areas = list(PolicyArea.objects.filter(slug__in=["work", "housing"]))
    served = [MunicipalityFactory(name="Parabiago"), MunicipalityFactory(name="Nerviano")]

    organisation = services.register_organisation(
        by=user, **_registration_data(policy_areas=areas, municipalities_served=served)
    )

    organisation.refresh_from_db()
    assert organisation.status == OrgStatus.PENDING
    assert organisation.tax_code == "00743110157"
    assert organisation.created_by == user
    assert set(organisation.policy_areas.all()) == set(areas)
    assert set(organisation.municipalities_served.all()) == set(served)
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role, membership.status) == (
        user, Membership.Role.REFERENT, MemberStatus.ACCEPTED,
    )
    change = organisation.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", OrgStatus.PENDING, user)


def test_register_organisation_refused_without_verified_email():
    user = UserFactory(verified_email=False)
    with pytest.raises(PartnersError, match="Confirm your email address first"):
        services.register_organisation(by=user, **_registration_data())
    assert not Organisation.objects.exists()


def test_register_organisation_with_duplicate_tax_code_refused_and_nothing_created():
    OrganisationFactory(tax_code="00743110157")
    with pytest.raises(ValidationError) as excinfo:
        services.register_organisation(by=UserFactory(), **_registration_data())
    assert excinfo.value.message_dict["tax_code"] == [
        "An organisation with this tax code is already registered."
    ]
    assert Organisation.objects.count() == 1
    assert not Membership.objects.exists()


def test_register_organisation_with_invalid_check_digit_refused():
    with pytest.raises(ValidationError) as excinfo:
        services.register_organisation(by=UserFactory(), **_registration_data(tax_code="00743110158"))
    assert "tax_code" in excinfo.value.message_dict
    assert not Organisation.objects.exists()


def test_update_organisation_by_referent():
    referent = UserFactory()
    organisation = OrganisationFactory(rejected=True, referent=referent)
    services.update_organisation(organisation, by=referent, name="Nome corretto", tax_code="00743110157")
    organisation.refresh_from_db()
    assert (organisation.name, organisation.tax_code) == ("Nome corretto", "00743110157")
    assert organisation.status == OrgStatus.REJECTED


def test_update_organisation_refused_to_a_plain_member():
    membership = MembershipFactory()
    with pytest.raises(PartnersError, match="not allowed"):
        services.update_organisation(membership.organisation, by=membership.user, name="Altro")
    membership.organisation.refresh_from_db()
    assert membership.organisation.name != "Altro"


def test_update_organisation_refuses_tax_code_of_another_organisation(staff):
    OrganisationFactory(tax_code="00743110157")
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.update_organisation(organisation, by=staff, tax_code="00743110157")


# Organisation: every (from, to) pair of TRANSITIONS

ORGANISATION_MOVES = {
    OrgStatus.VERIFIED: lambda org, by: services.verify_organisation(org, by=by),
    OrgStatus.REJECTED: lambda org, by: services.reject_organisation(org, by=by, reason="Statuto mancante."),
    OrgStatus.PENDING: lambda org, by: services.resubmit_organisation(org, by=by),
}
# Verification and rejection are mailed to the referents; a resubmission to staff.
EXPECTED_MAIL = {
    OrgStatus.VERIFIED: ("is now a verified partner", "referente@example.org"),
    OrgStatus.REJECTED: ("needs corrections", "referente@example.org"),
    OrgStatus.PENDING: ("has been corrected: to verify", "staff@example.org"),
}


@pytest.mark.parametrize("from_status, to_status", list(itertools.product(OrgStatus, OrgStatus)))
def test_organisation_transition(from_status, to_status, staff, on_commit):
    referent = UserFactory(email="referente@example.org")
    MembershipFactory(user=UserFactory(email="member@example.org"))  # elsewhere: never mailed
    organisation = OrganisationFactory(status=from_status, referent=referent)
    actor = referent if to_status == OrgStatus.PENDING else staff
    allowed = to_status in Organisation.TRANSITIONS[from_status]

    with on_commit():
        if allowed:
            ORGANISATION_MOVES[to_status](organisation, actor)
        else:
            with pytest.raises(PartnersError, match="cannot go from"):
                ORGANISATION_MOVES[to_status](organisation, actor)

    organisation.refresh_from_db()
    history = list(organisation.status_changes.all())
    if not allowed:
        assert organisation.status == from_status
        assert history == []
        assert mail.outbox == []
        return
    assert organisation.status == to_status
    assert [(h.from_status, h.to_status, h.changed_by) for h in history] == [(from_status, to_status, actor)]
    subject, recipient = EXPECTED_MAIL[to_status]
    assert [m.to for m in mail.outbox] == [[recipient]]
    assert subject in mail.outbox[0].subject


def test_reject_organisation_stores_the_reason_and_mails_it(staff, on_commit):
    referent = UserFactory()
    organisation = OrganisationFactory(referent=referent)
    with on_commit():
        services.reject_organisation(organisation, by=staff, reason="Manca lo statuto & l'atto costitutivo.")
    organisation.refresh_from_db()
    assert organisation.rejection_reason == "Manca lo statuto & l'atto costitutivo."
    assert organisation.status_changes.get().note == organisation.rejection_reason
    assert "Manca lo statuto & l'atto costitutivo." in mail.outbox[0].body


def test_reject_organisation_refused_without_reason(staff):
    organisation = OrganisationFactory()
    with pytest.raises(PartnersError, match="reason"):
        services.reject_organisation(organisation, by=staff, reason="  ")
    organisation.refresh_from_db()
    assert organisation.status == OrgStatus.PENDING


def test_resubmit_clears_the_reason_but_history_keeps_it(staff):
    referent = UserFactory()
    organisation = OrganisationFactory(referent=referent)
    services.reject_organisation(organisation, by=staff, reason="Statuto mancante.")
    services.resubmit_organisation(organisation, by=referent)
    services.verify_organisation(organisation, by=staff)
    organisation.refresh_from_db()
    assert organisation.rejection_reason == ""
    assert (organisation.verified_by, organisation.status) == (staff, OrgStatus.VERIFIED)
    assert [(h.to_status, h.note) for h in organisation.status_changes.all()] == [
        (OrgStatus.REJECTED, "Statuto mancante."),
        (OrgStatus.PENDING, ""),
        (OrgStatus.VERIFIED, ""),
    ]


@pytest.mark.parametrize("service", ["verify", "reject"])
def test_verification_refused_to_non_staff(service):
    referent = UserFactory()
    organisation = OrganisationFactory(referent=referent)
    with pytest.raises(PartnersError, match="not allowed"):
        ORGANISATION_MOVES[OrgStatus.VERIFIED if service == "verify" else OrgStatus.REJECTED](
            organisation, referent
        )
    organisation.refresh_from_db()
    assert organisation.status == OrgStatus.PENDING
    assert not OrganisationStatusChange.objects.exists()


def test_staff_verify_without_being_superusers():
    organisation = OrganisationFactory()
    staff = UserFactory(staff=True)
    assert not staff.is_superuser
    services.verify_organisation(organisation, by=staff)
    organisation.refresh_from_db()
    assert organisation.status == OrgStatus.VERIFIED


def test_resubmit_refused_to_a_plain_member():
    membership = MembershipFactory(organisation=OrganisationFactory(rejected=True))
    with pytest.raises(PartnersError, match="not allowed"):
        services.resubmit_organisation(membership.organisation, by=membership.user)


# Membership requests


def test_request_membership_mails_the_referents_only(on_commit):
    organisation = OrganisationFactory(verified=True, referent=UserFactory(email="ref1@example.org"))
    MembershipFactory(organisation=organisation, user=UserFactory(email="ref2@example.org"),
                      role=Membership.Role.REFERENT)
    MembershipFactory(organisation=organisation, user=UserFactory(email="member@example.org"))
    MembershipFactory(organisation=organisation, user=UserFactory(email="asking@example.org"),
                      role=Membership.Role.REFERENT, pending=True)
    requester = UserFactory(full_name="Maria Rossi")

    with on_commit():
        membership = services.request_membership(organisation, by=requester, role=Membership.Role.LEGAL_REPRESENTATIVE)

    assert (membership.status, membership.role) == (MemberStatus.PENDING, Membership.Role.LEGAL_REPRESENTATIVE)
    assert sorted(m.to[0] for m in mail.outbox) == ["ref1@example.org", "ref2@example.org"]
    assert "Maria Rossi asks to join" in mail.outbox[0].subject
    change = membership.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", MemberStatus.PENDING, requester)


@pytest.mark.parametrize(
    "existing, message",
    [
        ({"pending": True}, "already asked to join"),
        ({}, "already a member"),
        ({"refused": True}, "was refused"),
    ],
)
def test_joining_twice_is_refused_and_nothing_changes(existing, message, on_commit):
    membership = MembershipFactory(**existing)
    before = (Membership.objects.count(), MembershipStatusChange.objects.count())
    with on_commit(), pytest.raises(PartnersError, match=message):
        services.request_membership(membership.organisation, by=membership.user)
    assert (Membership.objects.count(), MembershipStatusChange.objects.count()) == before
    membership_after = Membership.objects.get(pk=membership.pk)
    assert (membership_after.status, membership_after.role) == (membership.status, membership.role)
    assert mail.outbox == []


@pytest.mark.parametrize("status", [OrgStatus.PENDING, OrgStatus.REJECTED])
def test_request_membership_refused_for_an_unverified_organisation(status):
    with pytest.raises(PartnersError, match="only once it is verified"):
        services.request_membership(OrganisationFactory(status=status), by=UserFactory())
    assert not Membership.objects.exists()


def test_request_membership_refused_without_verified_email():
    with pytest.raises(PartnersError, match="Confirm your email"):
        services.request_membership(OrganisationFactory(verified=True), by=UserFactory(verified_email=False))


MEMBERSHIP_MOVES = {
    MemberStatus.ACCEPTED: lambda m, by: services.accept_membership(m, by=by),
    MemberStatus.REFUSED: lambda m, by: services.refuse_membership(m, by=by, reason="Non fa parte dell'ente."),
}


@pytest.mark.parametrize(
    "from_status, to_status", list(itertools.product(MemberStatus, [MemberStatus.ACCEPTED, MemberStatus.REFUSED]))
)
def test_membership_transition(from_status, to_status, on_commit):
    referent = UserFactory()
    organisation = OrganisationFactory(verified=True, referent=referent)
    membership = MembershipFactory(organisation=organisation, status=from_status,
                                   user=UserFactory(email="requester@example.org"))
    allowed = to_status in Membership.TRANSITIONS[from_status]

    with on_commit():
        if allowed:
            MEMBERSHIP_MOVES[to_status](membership, referent)
        else:
            with pytest.raises(PartnersError, match="already been decided"):
                MEMBERSHIP_MOVES[to_status](membership, referent)

    membership.refresh_from_db()
    history = list(membership.status_changes.all())
    if not allowed:
        assert membership.status == from_status
        assert history == []
        assert mail.outbox == []
        return
    assert (membership.status, membership.decided_by) == (to_status, referent)
    assert [(h.from_status, h.to_status, h.changed_by) for h in history] == [(from_status, to_status, referent)]
    assert [m.to for m in mail.outbox] == [["requester@example.org"]]
    if to_status == MemberStatus.REFUSED:
        assert "Non fa parte dell'ente." in mail.outbox[0].body
        assert membership.refusal_reason == "Non fa parte dell'ente."


def test_staff_can_decide_a_membership(staff):
    membership = MembershipFactory(pending=True)
    services.accept_membership(membership, by=staff)
    membership.refresh_from_db()
    assert membership.status == MemberStatus.ACCEPTED


@pytest.mark.parametrize("who", ["member", "referent_elsewhere", "requester", "pending_referent"])
def test_decide_membership_refused_to_others(who):
    membership = MembershipFactory(pending=True)
    organisation = membership.organisation
    actor = {
        "member": lambda: MembershipFactory(organisation=organisation).user,
        "referent_elsewhere": lambda: MembershipFactory(role=Membership.Role.REFERENT).user,
        "requester": lambda: membership.user,
        "pending_referent": lambda: MembershipFactory(
            organisation=organisation, role=Membership.Role.REFERENT, pending=True
        ).user,
    }[who]()
    with pytest.raises(PartnersError, match="not allowed"):
        services.accept_membership(membership, by=actor)
    membership.refresh_from_db()
    assert membership.status == MemberStatus.PENDING


# Legal representative


def test_confirm_legal_representative(staff, on_commit):
    membership = MembershipFactory(role=Membership.Role.LEGAL_REPRESENTATIVE, user=UserFactory(email="lr@example.org"))
    with on_commit():
        services.confirm_legal_representative(membership, by=staff, tax_code="rccmnl 83s18 d969h")
    membership.refresh_from_db()
    assert membership.is_confirmed_legal_representative
    assert membership.representative_tax_code == PERSONAL_TAX_CODE
    assert membership.confirmed_by == staff
    assert [m.to for m in mail.outbox] == [["lr@example.org"]]
    assert "legal representative" in mail.outbox[0].subject


def test_confirming_the_referent_as_legal_representative_keeps_management_rights(staff):
    referent = UserFactory()
    organisation = OrganisationFactory(verified=True, referent=referent)
    membership = organisation.memberships.get()
    services.confirm_legal_representative(membership, by=staff, tax_code=PERSONAL_TAX_CODE)
    membership.refresh_from_db()
    assert membership.role == Membership.Role.LEGAL_REPRESENTATIVE
    assert referent.has_perm("partners.change_organisation", organisation)


@pytest.mark.parametrize("tax_code", ["RCCMNL83S18D969X", "00743110157", "", "RCCMNL83S18D969"])
def test_confirm_legal_representative_refuses_an_invalid_personal_tax_code(tax_code, staff):
    membership = MembershipFactory(role=Membership.Role.LEGAL_REPRESENTATIVE)
    with pytest.raises(ValidationError) as excinfo:
        services.confirm_legal_representative(membership, by=staff, tax_code=tax_code)
    assert "16 characters" in excinfo.value.message_dict["tax_code"][0]
    membership.refresh_from_db()
    assert membership.confirmed_at is None


@pytest.mark.parametrize(
    "membership_kwargs, message",
    [
        ({"pending": True}, "Only an accepted member"),
        ({"refused": True}, "Only an accepted member"),
        ({"confirmed_legal_representative": True}, "already confirmed"),
    ],
)
def test_confirm_legal_representative_refused_in_wrong_state(membership_kwargs, message, staff):
    membership = MembershipFactory(**membership_kwargs)
    with pytest.raises(PartnersError, match=message):
        services.confirm_legal_representative(membership, by=staff, tax_code=PERSONAL_TAX_CODE)


def test_confirm_legal_representative_refused_to_the_referent():
    referent = UserFactory()
    organisation = OrganisationFactory(verified=True, referent=referent)
    membership = MembershipFactory(organisation=organisation, role=Membership.Role.LEGAL_REPRESENTATIVE)
    with pytest.raises(PartnersError, match="not allowed"):
        services.confirm_legal_representative(membership, by=referent, tax_code=PERSONAL_TAX_CODE)
    membership.refresh_from_db()
    assert membership.confirmed_at is None


# Steering group


def test_appoint_steering_member(staff):
    user = UserFactory()
    organisation = OrganisationFactory(verified=True)
    seat = services.appoint_steering_member(
        by=staff, user=user, organisation=organisation, role=SteeringGroupMember.Role.COORDINATOR
    )
    assert (seat.start_date, seat.end_date, seat.appointed_by) == (TODAY(), None, staff)
    assert seat.is_current()


def test_appoint_steering_member_refused_to_non_staff():
    with pytest.raises(PartnersError, match="not allowed"):
        services.appoint_steering_member(by=UserFactory(), user=UserFactory(), municipality=MunicipalityFactory())
    assert not SteeringGroupMember.objects.exists()


@pytest.mark.parametrize("represents", ["neither", "both", "unverified_organisation"])
def test_appoint_steering_member_refused_for_wrong_representation(represents, staff):
    kwargs = {
        "neither": {},
        "both": {"organisation": OrganisationFactory(verified=True), "municipality": MunicipalityFactory()},
        "unverified_organisation": {"organisation": OrganisationFactory()},
    }[represents]
    with pytest.raises(PartnersError):
        services.appoint_steering_member(by=staff, user=UserFactory(), **kwargs)
    assert not SteeringGroupMember.objects.exists()


@pytest.mark.parametrize(
    "existing, new",
    [
        ((-30, None), (0, None)),
        ((-30, 10), (5, 20)),
        ((10, 20), (0, None)),
        ((10, 20), (0, 10)),
    ],
)
def test_appoint_steering_member_refuses_overlapping_seats(existing, new, staff):
    def dates(offsets):
        start, end = offsets
        return TODAY() + start * DAY, None if end is None else TODAY() + end * DAY

    start, end = dates(existing)
    seat = SteeringGroupMemberFactory(start_date=start, end_date=end)
    start, end = dates(new)
    with pytest.raises(PartnersError, match="already has a seat"):
        services.appoint_steering_member(
            by=staff, user=seat.user, municipality=MunicipalityFactory(), start_date=start, end_date=end
        )
    assert SteeringGroupMember.objects.count() == 1


def test_appoint_again_after_the_seat_ended(staff):
    seat = SteeringGroupMemberFactory(ended=True)
    services.appoint_steering_member(by=staff, user=seat.user, municipality=seat.municipality)
    assert SteeringGroupMember.objects.current().filter(user=seat.user).count() == 1


def test_end_steering_membership_today_keeps_today_and_ends_tomorrow(staff):
    seat = SteeringGroupMemberFactory()
    services.end_steering_membership(seat, by=staff)
    seat.refresh_from_db()
    assert (seat.end_date, seat.ended_by) == (TODAY(), staff)
    assert seat.is_current()
    assert not seat.is_current(on=TODAY() + DAY)


def test_end_steering_membership_refused_when_already_ended(staff):
    seat = SteeringGroupMemberFactory(ended=True)
    with pytest.raises(PartnersError, match="already ended"):
        services.end_steering_membership(seat, by=staff)


def test_end_steering_membership_refused_before_start(staff):
    seat = SteeringGroupMemberFactory(start_date=TODAY())
    with pytest.raises(PartnersError, match="before the start"):
        services.end_steering_membership(seat, by=staff, end_date=TODAY() - DAY)
    seat.refresh_from_db()
    assert seat.end_date is None


def test_end_steering_membership_refused_to_non_staff():
    seat = SteeringGroupMemberFactory()
    with pytest.raises(PartnersError, match="not allowed"):
        services.end_steering_membership(seat, by=seat.user)


# Organisation: staff are told, the tax code of a verified organisation, links in emails


def test_register_organisation_tells_active_staff_once_committed(staff, on_commit):
    UserFactory(is_staff=True, is_active=False, email="former@example.org")
    UserFactory(email="citizen@example.org")
    with on_commit():
        organisation = services.register_organisation(by=UserFactory(full_name="Anna Verdi"), **_registration_data())
    assert [m.to for m in mail.outbox] == [["staff@example.org"]]
    assert "New organisation to verify: Cooperativa Sociale Esempio" in mail.outbox[0].subject
    assert f"/gestione/enti/{organisation.pk}/" in mail.outbox[0].body


def test_verified_organisation_tax_code_is_refused_to_its_referent():
    referent = UserFactory()
    organisation = OrganisationFactory(verified=True, referent=referent)
    old = organisation.tax_code
    with pytest.raises(ValidationError) as error:
        services.update_organisation(organisation, by=referent, tax_code="00743110157", phone="02 1")
    assert "only by the district plan office" in error.value.message_dict["tax_code"][0]
    organisation.refresh_from_db()
    assert (organisation.tax_code, organisation.phone, organisation.status) == (old, "", OrgStatus.VERIFIED)
    # The same code, however it is written, is no change.
    services.update_organisation(organisation, by=referent, tax_code=f"IT {old}", phone="02 1")
    organisation.refresh_from_db()
    assert (organisation.tax_code, organisation.phone) == (old, "02 1")


def test_staff_change_the_tax_code_of_a_verified_organisation(staff):
    organisation = OrganisationFactory(verified=True)
    services.update_organisation(organisation, by=staff, tax_code="00743110157")
    organisation.refresh_from_db()
    assert (organisation.tax_code, organisation.status) == ("00743110157", OrgStatus.VERIFIED)


@pytest.mark.parametrize(
    "send, make, path",
    [
        ("send_organisation_verified", lambda: OrganisationFactory(verified=True), "/enti/{org}/"),
        ("send_organisation_rejected", lambda: OrganisationFactory(rejected=True), "/enti/{org}/modifica/"),
        ("send_membership_requested", lambda: MembershipFactory(pending=True), "/enti/{org}/#requests"),
        ("send_membership_accepted", lambda: MembershipFactory(), "/enti/{org}/"),
        ("send_membership_refused", lambda: MembershipFactory(refused=True), "/enti/{org}/"),
        ("send_legal_representative_confirmed", lambda: MembershipFactory(confirmed_legal_representative=True), "/enti/{org}/"),
    ],
)
def test_notification_emails_carry_an_absolute_link(send, make, path, settings):
    from partners import emails

    settings.PORTAL_BASE_URL = "https://welfare.example.org"
    obj = make()
    organisation = getattr(obj, "organisation", obj)
    MembershipFactory(organisation=organisation, user=UserFactory(), role=Membership.Role.REFERENT)
    getattr(emails, send)(obj)
    assert mail.outbox
    expected = "https://welfare.example.org" + path.format(org=organisation.pk)
    assert all(expected in message.body for message in mail.outbox)
