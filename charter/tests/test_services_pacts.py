"""Preparing, opening, reminding and closing the Patto: allowed and refused both ways, the
signatories derived from the frozen Carta, emails and history rows."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from charter import services
from charter.models import CharterVersion, Decline, Document, DocumentKind, Pact, PactStatusChange, Signatory
from charter.services import CharterError
from charter.tests.factories import (
    OpenPactFactory,
    PactFactory,
    PublishedVersionFactory,
    SignatoryFactory,
    approved_proposal,
    legal_representative,
    steering_member,
)
from partners.models import Membership
from projects.models import ProposalPartner
from projects.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Pact.Status
DAY = datetime.timedelta(days=1)


def _row(pact):
    pact = Pact.objects.get(pk=pact.pk)
    return (
        pact.status, pact.title, pact.text, pact.deadline,
        sorted(pact.signatories.values_list("organisation_id", "responsibilities")),
        PactStatusChange.objects.filter(pact=pact).count(), Document.objects.filter(pact=pact).count(),
    )


def _expire(pact):
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)


# Creating the draft


def test_create_pact_derives_the_signatories_from_the_frozen_carta():
    first, second = approved_proposal(), approved_proposal()
    version = PublishedVersionFactory(proposals=[first, second])
    invited = first.partners.get(status=ProposalPartner.Status.INVITED).organisation
    member = steering_member()
    pact = services.create_pact(version, by=member, deadline=timezone.localdate() + 30 * DAY)
    expected = {first.lead_organisation_id, second.lead_organisation_id} | {
        p.organisation_id for p in ProposalPartner.objects.filter(status=ProposalPartner.Status.ACCEPTED)
    }
    assert set(pact.signatories.values_list("organisation_id", flat=True)) == expected
    assert invited.pk not in expected
    assert set(pact.signatories.values_list("source", flat=True)) == {Signatory.Source.CHARTER}
    assert (pact.status, pact.title, pact.created_by) == (Status.DRAFT, "Patto di solidarietà", member)
    assert "patto di solidarietà territoriale" in pact.text.lower()
    assert pact.status_changes.get().to_status == Status.DRAFT


def test_signatories_come_from_the_snapshot_not_from_later_edits():
    proposal = approved_proposal()
    version = PublishedVersionFactory(proposals=[proposal])
    ProposalPartner.objects.create(
        proposal=proposal, organisation=OrganisationFactory(verified=True), status=ProposalPartner.Status.ACCEPTED,
    )
    proposal.lead_organisation.name = "Nome cambiato dopo l'approvazione"
    proposal.lead_organisation.save()
    pact = services.create_pact(version, by=steering_member(), deadline=timezone.localdate() + DAY)
    assert pact.signatories.count() == 2
    assert "Nome cambiato dopo l'approvazione" not in pact.signatories.values_list("organisation_name", flat=True)


@pytest.mark.parametrize("status", [CharterVersion.Status.APPROVED, CharterVersion.Status.SUPERSEDED])
def test_create_pact_refused_for_a_version_that_is_not_published(status):
    version = PublishedVersionFactory(proposals=[approved_proposal()], freeze=status)
    with pytest.raises(CharterError, match="only for the published version"):
        services.create_pact(version, by=steering_member(), deadline=timezone.localdate() + DAY)
    assert not Pact.objects.exists()


def test_create_pact_refused_twice_for_the_same_version():
    pact = PactFactory()
    with pytest.raises(CharterError, match="already has its pact"):
        services.create_pact(pact.version, by=steering_member(), deadline=timezone.localdate() + DAY)


def test_create_pact_refused_to_a_partner_and_with_a_past_deadline():
    version = PublishedVersionFactory(proposals=[approved_proposal()])
    with pytest.raises(CharterError, match="You are not allowed"):
        services.create_pact(version, by=MembershipFactory().user, deadline=timezone.localdate() + DAY)
    with pytest.raises(CharterError, match="Choose a deadline from today onwards"):
        services.create_pact(version, by=steering_member(), deadline=timezone.localdate() - DAY)
    assert not Pact.objects.exists()


# Editing the draft: text and signatories


def test_update_pact_while_draft():
    pact = PactFactory()
    deadline = timezone.localdate() + 60 * DAY
    services.update_pact(pact, by=steering_member(), title="Patto 2026", text="Nuovo testo.", deadline=deadline)
    pact.refresh_from_db()
    assert (pact.title, pact.text, pact.deadline) == ("Patto 2026", "Nuovo testo.", deadline)


def test_update_pact_refused_once_open():
    pact = OpenPactFactory()
    before = _row(pact)
    with pytest.raises(CharterError, match="only while it is being prepared"):
        services.update_pact(pact, by=steering_member(), text="Altro")
    assert _row(pact) == before


def test_add_signatory_refuses_unverified_and_duplicate_organisations():
    pact = PactFactory()
    member = steering_member()
    added = services.add_signatory(
        pact, by=member, organisation=OrganisationFactory(verified=True, name="Comune di Legnano"),
        responsibilities=" Sale comunali ",
    )
    assert (added.source, added.organisation_name, added.responsibilities) == (
        Signatory.Source.ADDED, "Comune di Legnano", "Sale comunali",
    )
    with pytest.raises(CharterError, match="is already a signatory"):
        services.add_signatory(pact, by=member, organisation=added.organisation)
    with pytest.raises(CharterError, match="is not a verified organisation"):
        services.add_signatory(pact, by=member, organisation=OrganisationFactory())
    assert pact.signatories.filter(source=Signatory.Source.ADDED).count() == 1


def test_add_signatory_refused_to_a_partner_member_and_once_open():
    draft, open_pact = PactFactory(), OpenPactFactory()
    organisation = OrganisationFactory(verified=True)
    with pytest.raises(CharterError, match="You are not allowed"):
        services.add_signatory(draft, by=MembershipFactory().user, organisation=organisation)
    with pytest.raises(CharterError, match="only while it is being prepared"):
        services.add_signatory(open_pact, by=steering_member(), organisation=organisation)
    assert not Signatory.objects.filter(organisation=organisation).exists()


def test_only_added_signatories_can_be_removed():
    pact = PactFactory()
    added = SignatoryFactory(pact=pact)
    derived = pact.signatories.filter(source=Signatory.Source.CHARTER).first()
    with pytest.raises(CharterError, match="cannot be removed from the pact"):
        services.remove_signatory(derived, by=steering_member())
    services.remove_signatory(added, by=steering_member())
    assert not Signatory.objects.filter(pk=added.pk).exists() and Signatory.objects.filter(pk=derived.pk).exists()


def test_update_signatory_responsibilities():
    signatory = SignatoryFactory()
    services.update_signatory(signatory, by=steering_member(), responsibilities="Trasporti")
    signatory.refresh_from_db()
    assert signatory.responsibilities == "Trasporti"


# Opening


def test_open_pact_renders_the_document_and_asks_legal_representatives(on_commit):
    pact = PactFactory()
    lead = pact.signatories.first().organisation
    representative = legal_representative(lead)
    MembershipFactory(organisation=lead, role=Membership.Role.REFERENT)  # not asked: a representative exists
    nobody = SignatoryFactory(pact=pact)
    referent = MembershipFactory(organisation=nobody.organisation, role=Membership.Role.REFERENT).user
    coordinator = steering_member(coordinator=True)
    with on_commit():
        services.open_pact(pact, by=coordinator)
    pact.refresh_from_db()
    assert (pact.status, pact.opened_by) == (Status.OPEN, coordinator)
    document = pact.documents.get()
    assert document.kind == DocumentKind.PACT_DRAFT and len(document.sha256) == 64
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {representative.email, referent.email}
    assert "Sign “Patto di solidarietà” for" in by_address[representative.email].subject
    assert "needs a confirmed legal representative" in by_address[referent.email].subject


def test_open_pact_refused_to_a_steering_member_and_when_already_open():
    pact = PactFactory()
    before = _row(pact)
    with pytest.raises(CharterError, match="You are not allowed"):
        services.open_pact(pact, by=steering_member())
    assert _row(pact) == before
    opened = OpenPactFactory()
    with pytest.raises(CharterError, match="cannot become"):
        services.open_pact(opened, by=steering_member(coordinator=True))


def test_open_pact_refused_after_its_deadline():
    pact = PactFactory()
    _expire(pact)
    with pytest.raises(CharterError, match="Choose a deadline from today onwards"):
        services.open_pact(pact, by=steering_member(coordinator=True))
    assert Pact.objects.get(pk=pact.pk).status == Status.DRAFT


# Reminders


def test_send_reminders_emails_only_who_has_not_answered(on_commit):
    pact = OpenPactFactory()
    first, second = pact.signatories.all()[:2]
    signer = legal_representative(first.organisation)
    pending = legal_representative(second.organisation)
    Decline.objects.create(pact=pact, organisation=first.organisation, declined_by=signer, reason="No.")
    with on_commit():
        reminded = services.send_reminders(pact, by=steering_member())
    assert [s.pk for s in reminded] == [second.pk]
    assert [m.to for m in mail.outbox] == [[pending.email]]
    assert "Reminder" in mail.outbox[0].subject
    second.refresh_from_db()
    assert second.reminder_count == 1 and second.reminded_at is not None


def test_send_reminders_refused_when_not_open_or_not_steering():
    with pytest.raises(CharterError, match="only while the pact is open"):
        services.send_reminders(PactFactory(), by=steering_member())
    with pytest.raises(CharterError, match="You are not allowed"):
        services.send_reminders(OpenPactFactory(), by=UserFactory())
    assert not mail.outbox


# Closing


def test_close_refused_while_someone_has_not_answered_before_the_deadline():
    pact = OpenPactFactory()
    before = _row(pact)
    with pytest.raises(CharterError, match="Some signatories have not answered yet"):
        services.close_pact(pact, by=steering_member(coordinator=True))
    assert _row(pact) == before


def test_close_after_the_deadline_renders_the_signed_document(on_commit):
    pact = OpenPactFactory()
    representative = legal_representative(pact.signatories.first().organisation)
    member = steering_member()
    _expire(pact)
    with pytest.raises(CharterError, match="You are not allowed"):
        services.close_pact(pact, by=member)
    coordinator = steering_member(coordinator=True)
    with on_commit():
        services.close_pact(pact, by=coordinator, note="Scadenza superata.")
    pact.refresh_from_db()
    assert pact.status == Status.CLOSED
    assert pact.documents.filter(kind=DocumentKind.PACT_FINAL).exists()
    assert pact.status_changes.get(to_status=Status.CLOSED).note == "Scadenza superata."
    assert {m.to[0] for m in mail.outbox} == {representative.email, member.email, coordinator.email}
    assert all("is closed" in m.subject for m in mail.outbox)


def test_close_when_everyone_answered_before_the_deadline():
    pact = OpenPactFactory()
    for signatory in pact.signatories.all():
        Decline.objects.create(
            pact=pact, organisation=signatory.organisation, reason="No.",
            declined_by=legal_representative(signatory.organisation),
        )
    services.close_pact(pact, by=UserFactory(staff=True))
    assert Pact.objects.get(pk=pact.pk).status == Status.CLOSED
    with pytest.raises(CharterError, match="cannot become"):
        services.close_pact(pact, by=UserFactory(staff=True))
