"""Outreach services: contacts, assignment, moves along TRANSITIONS, invitations and the link
to the organisation an invitation registers."""

import itertools
import re

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError

from partners import services
from partners.models import OrganisationKind, OutreachContact, OutreachStatusChange
from partners.services import PartnersError
from partners.tests.factories import OrganisationFactory, OutreachContactFactory, SteeringGroupMemberFactory
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = OutreachContact.Status


@pytest.fixture
def member():
    return SteeringGroupMemberFactory(user__full_name="Chiara Colombo").user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the emails queued with transaction.on_commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _contact_data(**overrides):
    return {
        "name": "Associazione Il Ponte",
        "email": "info@ilponte.example.org",
        "kind": OrganisationKind.VOLUNTEERING,
        "municipality": MunicipalityFactory(name="Parabiago"),
        "notes": "Segnalata dalla Consulta del volontariato.",
        **overrides,
    }


def _history(contact):
    return list(
        OutreachStatusChange.objects.filter(contact=contact)
        .order_by("pk").values_list("from_status", "to_status", "changed_by", "note")
    )


# Creating and editing contacts


def test_create_outreach_contact_records_the_first_history_row(member):
    contact = services.create_outreach_contact(by=member, **_contact_data())
    contact.refresh_from_db()
    assert contact.status == Status.TO_CONTACT
    assert contact.created_by == member
    assert contact.municipality.name == "Parabiago"
    assert _history(contact) == [("", Status.TO_CONTACT, member.pk, "")]


def test_create_outreach_contact_assigned_to_another_member_tells_them(member, on_commit):
    colleague = SteeringGroupMemberFactory(user__full_name="Luca Ferrari").user
    with on_commit():
        contact = services.create_outreach_contact(by=member, assigned_to=colleague, **_contact_data())
    assert contact.assigned_to == colleague
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [colleague.email]
    assert f"/gruppo-di-regia/contatti/{contact.pk}/" in mail.outbox[0].body


def test_create_outreach_contact_assigned_to_oneself_sends_nothing(member, on_commit):
    with on_commit():
        services.create_outreach_contact(by=member, assigned_to=member, **_contact_data())
    assert mail.outbox == []


def test_create_outreach_contact_refused_to_non_members_and_ex_members():
    outsider = UserFactory()
    ex_member = SteeringGroupMemberFactory(ended=True).user
    for user in (outsider, ex_member):
        with pytest.raises(PartnersError, match="not allowed"):
            services.create_outreach_contact(by=user, **_contact_data())
    assert not OutreachContact.objects.exists()


def test_create_outreach_contact_refuses_an_assignee_outside_the_group(member):
    outsider = UserFactory(full_name="Paolo Verdi")
    with pytest.raises(PartnersError, match="Paolo Verdi is not a current member of the steering group"):
        services.create_outreach_contact(by=member, assigned_to=outsider, **_contact_data())
    assert not OutreachContact.objects.exists()


def test_create_outreach_contact_refuses_an_invalid_email(member):
    with pytest.raises(ValidationError) as excinfo:
        services.create_outreach_contact(by=member, **_contact_data(email="not-an-email"))
    assert "email" in excinfo.value.message_dict
    assert not OutreachContact.objects.exists()


def test_staff_can_create_contacts():
    staff = UserFactory(is_staff=True)
    contact = services.create_outreach_contact(by=staff, **_contact_data())
    assert contact.created_by == staff


def test_update_outreach_contact_changes_details_not_status(member):
    contact = OutreachContactFactory(status=Status.CONTACTED)
    services.update_outreach_contact(contact, by=member, name="Il Ponte APS", notes="Richiamare a maggio.")
    contact.refresh_from_db()
    assert (contact.name, contact.notes, contact.status) == ("Il Ponte APS", "Richiamare a maggio.", Status.CONTACTED)


def test_update_outreach_contact_refused_to_outsiders_and_rejects_unknown_fields(member):
    contact = OutreachContactFactory(name="Originale")
    with pytest.raises(PartnersError):
        services.update_outreach_contact(contact, by=UserFactory(), name="Cambiato")
    with pytest.raises(TypeError):
        services.update_outreach_contact(contact, by=member, status=Status.JOINED)
    contact.refresh_from_db()
    assert (contact.name, contact.status) == ("Originale", Status.TO_CONTACT)


# Assignment


def test_assign_outreach_contact_records_it_and_tells_the_assignee(member, on_commit):
    colleague = SteeringGroupMemberFactory(user__full_name="Luca Ferrari").user
    contact = OutreachContactFactory(status=Status.CONTACTED)
    with on_commit():
        services.assign_outreach_contact(contact, by=member, assignee=colleague)
    contact.refresh_from_db()
    assert contact.assigned_to == colleague
    assert _history(contact) == [(Status.CONTACTED, Status.CONTACTED, member.pk, "Assigned to Luca Ferrari.")]
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert contact.name in mail.outbox[0].subject


def test_unassigning_a_contact_is_recorded(member):
    contact = OutreachContactFactory(assigned_to=member)
    services.assign_outreach_contact(contact, by=member, assignee=None)
    contact.refresh_from_db()
    assert contact.assigned_to is None
    assert _history(contact)[-1][3] == "No longer assigned to anybody."


def test_assign_refuses_ex_members_and_outsiders_and_changes_nothing(member):
    contact = OutreachContactFactory(assigned_to=member)
    ex_member = SteeringGroupMemberFactory(ended=True, user__full_name="Anna Galli").user
    with pytest.raises(PartnersError, match="Anna Galli is not a current member of the steering group"):
        services.assign_outreach_contact(contact, by=member, assignee=ex_member)
    with pytest.raises(PartnersError, match="not a current member"):
        services.assign_outreach_contact(contact, by=member, assignee=UserFactory())
    contact.refresh_from_db()
    assert contact.assigned_to == member
    assert _history(contact) == []


def test_assign_refused_to_a_non_member(member):
    contact = OutreachContactFactory()
    with pytest.raises(PartnersError, match="not allowed"):
        services.assign_outreach_contact(contact, by=UserFactory(), assignee=member)
    contact.refresh_from_db()
    assert contact.assigned_to is None


# Moves along the board: every (from, to) pair of TRANSITIONS, allowed and refused


ALL_PAIRS = list(itertools.product(Status.values, Status.values))
ALLOWED = [(f, t) for f, t in ALL_PAIRS if t in OutreachContact.TRANSITIONS[f]]
REFUSED = [(f, t) for f, t in ALL_PAIRS if t not in OutreachContact.TRANSITIONS[f]]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_move_outreach_contact_allowed(member, from_status, to_status):
    contact = OutreachContactFactory(status=from_status)
    services.move_outreach_contact(contact, to_status, by=member, note="  Telefonata con la presidente.  ")
    contact.refresh_from_db()
    assert contact.status == to_status
    assert _history(contact) == [(from_status, to_status, member.pk, "Telefonata con la presidente.")]


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_move_outreach_contact_refused(member, from_status, to_status):
    contact = OutreachContactFactory(status=from_status)
    with pytest.raises(PartnersError) as excinfo:
        services.move_outreach_contact(contact, to_status, by=member)
    assert excinfo.value.message == "An outreach contact cannot go from “%s” to “%s”." % (
        Status(from_status).label, Status(to_status).label,
    )
    contact.refresh_from_db()
    assert contact.status == from_status
    assert _history(contact) == []


def test_move_outreach_contact_refuses_an_unknown_status(member):
    contact = OutreachContactFactory()
    with pytest.raises(PartnersError, match="Choose a valid status"):
        services.move_outreach_contact(contact, "archived", by=member)


def test_move_outreach_contact_refused_to_outsiders():
    contact = OutreachContactFactory()
    for user in (UserFactory(), SteeringGroupMemberFactory(ended=True).user):
        with pytest.raises(PartnersError, match="not allowed"):
            services.move_outreach_contact(contact, Status.CONTACTED, by=user)
    contact.refresh_from_db()
    assert contact.status == Status.TO_CONTACT


def test_move_reads_the_current_status_not_the_stale_object(member):
    """Two members on the same page: the second move starts from the status the first left."""
    contact = OutreachContactFactory(status=Status.INTERESTED)
    stale = OutreachContact.objects.get(pk=contact.pk)
    services.move_outreach_contact(contact, Status.JOINED, by=member)
    with pytest.raises(PartnersError, match="from “Joined” to “Declined”"):
        services.move_outreach_contact(stale, Status.DECLINED, by=member)


# Invitations


def _link(message):
    match = re.search(r"https?://\S+/invito/(\S+)/", message.body)
    assert match, message.body
    return match


def test_send_outreach_invitation_emails_a_signed_link_and_marks_contacted(member, on_commit, settings):
    settings.PORTAL_BASE_URL = "https://welfare.example.org"
    contact = OutreachContactFactory(name="Il Ponte", email="info@ilponte.example.org")
    with on_commit():
        services.send_outreach_invitation(contact, by=member)
    contact.refresh_from_db()
    assert contact.status == Status.CONTACTED
    assert contact.invited_at is not None
    assert _history(contact) == [
        (Status.TO_CONTACT, Status.CONTACTED, member.pk, "Invitation sent to info@ilponte.example.org.")
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["info@ilponte.example.org"]
    assert message.reply_to == [member.email]
    link = _link(message)
    assert link.group(0).startswith("https://welfare.example.org/invito/")
    assert services.read_invitation_token(link.group(1)) == contact
    assert "Il Ponte" in message.body


@pytest.mark.parametrize("status", [Status.CONTACTED, Status.INTERESTED, Status.DECLINED])
def test_send_outreach_invitation_keeps_a_later_status(member, on_commit, status):
    contact = OutreachContactFactory(status=status)
    with on_commit():
        services.send_outreach_invitation(contact, by=member)
    contact.refresh_from_db()
    assert contact.status == status
    assert _history(contact)[0][:2] == (status, status)
    assert len(mail.outbox) == 1


def test_sending_again_makes_a_new_link_and_updates_the_date(member, on_commit):
    contact = OutreachContactFactory()
    with on_commit():
        services.send_outreach_invitation(contact, by=member)
    first_sent = OutreachContact.objects.get(pk=contact.pk).invited_at
    with on_commit():
        services.send_outreach_invitation(contact, by=member)
    contact.refresh_from_db()
    assert contact.invited_at > first_sent
    assert contact.status == Status.CONTACTED
    first, second = (_link(message).group(1) for message in mail.outbox)
    assert first != second
    # The earlier link keeps working until it expires: the person may open either email.
    assert services.read_invitation_token(first) == services.read_invitation_token(second) == contact
    assert [row[:2] for row in _history(contact)] == [
        (Status.TO_CONTACT, Status.CONTACTED), (Status.CONTACTED, Status.CONTACTED),
    ]


def test_send_outreach_invitation_needs_an_email(member, on_commit):
    contact = OutreachContactFactory(email="")
    with on_commit(), pytest.raises(PartnersError, match="Add an email address"):
        services.send_outreach_invitation(contact, by=member)
    contact.refresh_from_db()
    assert (contact.status, contact.invited_at) == (Status.TO_CONTACT, None)
    assert _history(contact) == []
    assert mail.outbox == []


def test_send_outreach_invitation_refused_for_a_joined_contact(member, on_commit):
    contact = OutreachContactFactory(status=Status.JOINED)
    with on_commit(), pytest.raises(PartnersError, match="already joined"):
        services.send_outreach_invitation(contact, by=member)
    contact.refresh_from_db()
    assert contact.invited_at is None
    assert mail.outbox == []


def test_send_outreach_invitation_refused_to_outsiders(on_commit):
    contact = OutreachContactFactory()
    for user in (UserFactory(), SteeringGroupMemberFactory(ended=True).user):
        with on_commit(), pytest.raises(PartnersError, match="not allowed"):
            services.send_outreach_invitation(contact, by=user)
    contact.refresh_from_db()
    assert (contact.status, contact.invited_at) == (Status.TO_CONTACT, None)
    assert mail.outbox == []


# Reading invitation tokens


def test_read_invitation_token_refuses_forged_and_altered_tokens():
    contact = OutreachContactFactory()
    token = services.make_invitation_token(contact)
    forged = signing.dumps({"contact": contact.pk}, salt="another-salt", compress=True)
    for bad in (token[:-2] + "xy", forged, "nonsense"):
        with pytest.raises(PartnersError, match="This invitation link is not valid"):
            services.read_invitation_token(bad)


def test_read_invitation_token_refuses_an_expired_link(settings):
    contact = OutreachContactFactory()
    token = services.make_invitation_token(contact)
    settings.OUTREACH_INVITATION_MAX_AGE = -1  # any age is too old
    with pytest.raises(PartnersError, match="has expired"):
        services.read_invitation_token(token)


def test_read_invitation_token_refuses_a_used_link_or_a_deleted_contact():
    joined = OutreachContactFactory(status=Status.JOINED)
    with pytest.raises(PartnersError, match="already been used"):
        services.read_invitation_token(services.make_invitation_token(joined))
    gone = OutreachContactFactory()
    token = services.make_invitation_token(gone)
    gone.delete()
    with pytest.raises(PartnersError, match="not valid"):
        services.read_invitation_token(token)


# Linking the registered organisation


def test_link_invited_organisation_joins_the_contact_with_a_history_row():
    user = UserFactory()
    contact = OutreachContactFactory(status=Status.INTERESTED)
    organisation = OrganisationFactory(name="Il Ponte APS", referent=user)
    linked = services.link_invited_organisation(
        organisation, token=services.make_invitation_token(contact), by=user
    )
    assert linked == contact
    contact.refresh_from_db()
    assert (contact.status, contact.organisation) == (Status.JOINED, organisation)
    assert _history(contact) == [
        (Status.INTERESTED, Status.JOINED, user.pk, "Registered the organisation “Il Ponte APS” from the invitation.")
    ]


@pytest.mark.parametrize("token", ["", None, "nonsense"])
def test_link_invited_organisation_without_a_valid_token_links_nothing(token):
    contact = OutreachContactFactory(status=Status.CONTACTED)
    organisation = OrganisationFactory()
    assert services.link_invited_organisation(organisation, token=token, by=UserFactory()) is None
    contact.refresh_from_db()
    assert (contact.status, contact.organisation) == (Status.CONTACTED, None)


def test_an_invitation_links_only_one_organisation():
    contact = OutreachContactFactory()
    token = services.make_invitation_token(contact)
    first, second = OrganisationFactory(), OrganisationFactory()
    services.link_invited_organisation(first, token=token, by=UserFactory())
    assert services.link_invited_organisation(second, token=token, by=UserFactory()) is None
    contact.refresh_from_db()
    assert contact.organisation == first
    assert OutreachStatusChange.objects.filter(contact=contact).count() == 1
