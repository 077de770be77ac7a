"""Co-partners (invited by the lead, answered by the invited organisation's referent) and the
commitments each partner states."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partners.models import Membership
from projects import services
from projects.models import Commitment, CommitmentKind, Proposal, ProposalPartner
from projects.services import ProjectsError
from projects.tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    UserFactory,
    lead_member,
    steering_member,
)

pytestmark = pytest.mark.django_db

PartnerStatus = ProposalPartner.Status


def _referent(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT).user


def _commitment_data(**overrides):
    return {
        "kind": CommitmentKind.STAFF_HOURS, "quantity": Decimal("200"), "unit": "ore",
        "estimated_value_eur": Decimal("4000.00"), "description": "Educatori per il doposcuola.",
        **overrides,
    }


# Invitations


@pytest.mark.parametrize("status", [Proposal.Status.DRAFT, Proposal.Status.CHANGES_REQUESTED])
def test_lead_member_invites_a_verified_organisation_and_its_referents_are_told(status, on_commit):
    proposal = ProposalFactory(status=status)
    organisation = OrganisationFactory(verified=True)
    referent = _referent(organisation)
    MembershipFactory(organisation=organisation)  # a plain member: not emailed
    user = lead_member(proposal)

    with on_commit():
        partner = services.invite_co_partner(proposal, by=user, organisation=organisation)

    assert (partner.status, partner.invited_by) == (PartnerStatus.INVITED, user)
    assert [m.to for m in mail.outbox] == [[referent.email]]
    assert proposal.title in mail.outbox[0].subject


def test_lead_cannot_be_its_own_co_partner():
    proposal = ProposalFactory()
    with pytest.raises(ProjectsError, match="cannot be its own co-partner"):
        services.invite_co_partner(proposal, by=lead_member(proposal), organisation=proposal.lead_organisation)
    assert not ProposalPartner.objects.exists()


def test_unverified_organisation_cannot_be_invited():
    proposal = ProposalFactory()
    with pytest.raises(ProjectsError, match="Only a verified organisation"):
        services.invite_co_partner(proposal, by=lead_member(proposal), organisation=OrganisationFactory())
    assert not ProposalPartner.objects.exists()


@pytest.mark.parametrize(
    "status, message",
    [(PartnerStatus.INVITED, "has already been invited"), (PartnerStatus.ACCEPTED, "already a co-partner")],
)
def test_inviting_twice_is_refused(status, message):
    partner = ProposalPartnerFactory(status=status)
    with pytest.raises(ProjectsError, match=message):
        services.invite_co_partner(
            partner.proposal, by=lead_member(partner.proposal), organisation=partner.organisation,
        )
    assert ProposalPartner.objects.get().status == status


def test_a_declined_invitation_can_be_sent_again():
    partner = ProposalPartnerFactory(status=PartnerStatus.DECLINED)
    services.invite_co_partner(partner.proposal, by=lead_member(partner.proposal), organisation=partner.organisation)
    partner.refresh_from_db()
    assert (partner.status, partner.decided_at) == (PartnerStatus.INVITED, None)


def test_invitation_refused_after_submission_and_to_non_lead_users():
    submitted = ProposalFactory(status=Proposal.Status.SUBMITTED)
    with pytest.raises(ProjectsError, match="can be changed only while"):
        services.invite_co_partner(
            submitted, by=lead_member(submitted), organisation=OrganisationFactory(verified=True),
        )
    draft = ProposalFactory()
    for user in [UserFactory(), steering_member(coordinator=True)]:
        with pytest.raises(ProjectsError, match="not allowed"):
            services.invite_co_partner(draft, by=user, organisation=OrganisationFactory(verified=True))
    assert not ProposalPartner.objects.exists()


# Answers


@pytest.mark.parametrize(
    "service, status",
    [
        (services.accept_co_partnership, PartnerStatus.ACCEPTED),
        (services.decline_co_partnership, PartnerStatus.DECLINED),
    ],
)
def test_referent_of_the_invited_organisation_answers_and_the_lead_is_told(service, status, on_commit):
    partner = ProposalPartnerFactory()
    author = lead_member(partner.proposal)
    referent = _referent(partner.organisation)
    with on_commit():
        service(partner, by=referent)
    partner.refresh_from_db()
    assert (partner.status, partner.decided_by) == (status, referent)
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_answer_refused_to_plain_members_and_to_the_lead():
    partner = ProposalPartnerFactory()
    for user in [MembershipFactory(organisation=partner.organisation).user, lead_member(partner.proposal)]:
        with pytest.raises(ProjectsError, match="not allowed"):
            services.accept_co_partnership(partner, by=user)
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.INVITED


def test_answering_twice_is_refused():
    partner = ProposalPartnerFactory()
    referent = _referent(partner.organisation)
    services.accept_co_partnership(partner, by=referent)
    with pytest.raises(ProjectsError, match="already been answered"):
        services.decline_co_partnership(partner, by=referent)
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.ACCEPTED


def test_invitation_to_a_withdrawn_proposal_can_no_longer_be_accepted():
    partner = ProposalPartnerFactory(proposal=ProposalFactory(status=Proposal.Status.WITHDRAWN))
    with pytest.raises(ProjectsError, match="no longer applies"):
        services.accept_co_partnership(partner, by=_referent(partner.organisation))
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.INVITED


# Commitments


def test_lead_member_states_the_lead_commitments():
    proposal = ProposalFactory()
    user = lead_member(proposal)
    commitment = services.add_commitment(
        proposal, by=user, organisation=proposal.lead_organisation, **_commitment_data()
    )
    assert (commitment.organisation, commitment.created_by, commitment.quantity) == (
        proposal.lead_organisation, user, Decimal("200"),
    )


def test_accepted_co_partner_states_its_own_commitments():
    partner = ProposalPartnerFactory(status=PartnerStatus.ACCEPTED)
    user = MembershipFactory(organisation=partner.organisation).user
    services.add_commitment(partner.proposal, by=user, organisation=partner.organisation, **_commitment_data())
    assert Commitment.objects.get().organisation == partner.organisation


def test_invited_co_partner_cannot_commit_until_it_accepts():
    partner = ProposalPartnerFactory(status=PartnerStatus.INVITED)
    user = MembershipFactory(organisation=partner.organisation).user
    with pytest.raises(ProjectsError, match="not allowed"):
        services.add_commitment(partner.proposal, by=user, organisation=partner.organisation, **_commitment_data())
    assert not Commitment.objects.exists()


def test_lead_member_cannot_state_a_co_partner_commitments():
    partner = ProposalPartnerFactory(status=PartnerStatus.ACCEPTED)
    with pytest.raises(ProjectsError, match="Only members of"):
        services.add_commitment(
            partner.proposal, by=lead_member(partner.proposal), organisation=partner.organisation, **_commitment_data()
        )
    assert not Commitment.objects.exists()


def test_commitment_for_an_organisation_outside_the_proposal_is_refused():
    proposal = ProposalFactory()
    outsider = OrganisationFactory(verified=True)
    user = lead_member(proposal)
    MembershipFactory(user=user, organisation=outsider)
    with pytest.raises(ProjectsError, match="lead partner or by a co-partner that has accepted"):
        services.add_commitment(proposal, by=user, organisation=outsider, **_commitment_data())
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"quantity": Decimal("0")}, "__all__"),
        ({"estimated_value_eur": Decimal("-5")}, "__all__"),
        ({"kind": "gold"}, "kind"),
    ],
)
def test_invalid_commitment_gives_a_validation_error(overrides, field):
    proposal = ProposalFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.add_commitment(
            proposal, by=lead_member(proposal), organisation=proposal.lead_organisation, **_commitment_data(**overrides)
        )
    assert field in excinfo.value.message_dict
    assert not Commitment.objects.exists()


def test_commitments_are_frozen_after_submission():
    commitment = CommitmentFactory(proposal=ProposalFactory(status=Proposal.Status.SUBMITTED))
    user = lead_member(commitment.proposal)
    with pytest.raises(ProjectsError, match="can be changed only while"):
        services.add_commitment(
            commitment.proposal, by=user, organisation=commitment.organisation, **_commitment_data()
        )
    with pytest.raises(ProjectsError, match="can be changed only while"):
        services.update_commitment(commitment, by=user, quantity=Decimal("1"))
    with pytest.raises(ProjectsError, match="can be changed only while"):
        services.delete_commitment(commitment, by=user)
    assert Commitment.objects.get().quantity == Decimal("100")


def test_update_and_delete_commitment_by_its_organisation_only():
    partner = ProposalPartnerFactory(status=PartnerStatus.ACCEPTED)
    commitment = CommitmentFactory(proposal=partner.proposal, organisation=partner.organisation)
    with pytest.raises(ProjectsError, match="not allowed"):
        services.update_commitment(commitment, by=lead_member(partner.proposal), quantity=Decimal("1"))
    user = MembershipFactory(organisation=partner.organisation).user
    services.update_commitment(commitment, by=user, quantity=Decimal("50"), estimated_value_eur=Decimal("750"))
    commitment.refresh_from_db()
    assert (commitment.quantity, commitment.estimated_value_eur) == (Decimal("50"), Decimal("750"))
    services.delete_commitment(commitment, by=user)
    assert not Commitment.objects.exists()
