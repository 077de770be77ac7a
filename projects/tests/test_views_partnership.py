"""Co-partners and commitments on the proposal pages: the lead invites, the invited
organisation's referent accepts or declines, each partner states its own commitments.

Each action is tried by its role and refused to the others; refused moves change nothing."""

from decimal import Decimal

import pytest
from django.core import mail

from partners.models import Membership
from projects.models import Commitment, Proposal, ProposalPartner
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
from projects.tests.proposal_pages import assert_login_redirect, login, messages_of, snapshot, url

pytestmark = pytest.mark.django_db

Status = Proposal.Status
PartnerStatus = ProposalPartner.Status


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    settings.PORTAL_BASE_URL = "http://testserver.example"


def referent_of(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT).user


def commitment_data(organisation=None, **overrides):
    data = {
        "kind": Commitment.Kind.STAFF_HOURS, "quantity": "120", "unit": "ore",
        "estimated_value_eur": "2400.00", "description": "Un educatore per sei mesi",
    }
    if organisation is not None:
        data["organisation"] = organisation.pk
    data.update(overrides)
    return data


# --- Inviting ----------------------------------------------------------------------------------


def test_lead_invites_a_verified_organisation_and_its_referents_are_emailed(client, on_commit):
    proposal = ProposalFactory()
    user = login(client, lead_member(proposal))
    guest = OrganisationFactory(verified=True, name="Cooperativa Aurora")
    referent = referent_of(guest)
    MembershipFactory(organisation=guest)  # a plain member: not emailed
    with on_commit():
        response = client.post(url("proposal-partner-invite", proposal.pk), {"organisation": guest.pk})
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal.pk) + "#partners"
    partner = ProposalPartner.objects.get()
    assert (partner.organisation, partner.status, partner.invited_by) == (guest, PartnerStatus.INVITED, user)
    assert [m.to for m in mail.outbox] == [[referent.email]]
    assert f"/proposte/{proposal.pk}/" in mail.outbox[0].body
    assert "Cooperativa Aurora has been invited as co-partner; its referents have received an email." in messages_of(response)


def test_invite_offers_verified_organisations_not_yet_invited_and_again_those_that_declined(client):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    free = OrganisationFactory(verified=True)
    declined = ProposalPartnerFactory(proposal=proposal, status=PartnerStatus.DECLINED).organisation
    ProposalPartnerFactory(proposal=proposal)  # invited
    ProposalPartnerFactory(proposal=proposal, status=PartnerStatus.ACCEPTED)
    OrganisationFactory()  # pending
    OrganisationFactory(rejected=True)
    response = client.get(url("proposal-partner-invite", proposal.pk))
    choices = set(response.context["form"].fields["organisation"].queryset)
    assert choices == {free, declined}


@pytest.mark.parametrize("which", ["lead", "invited", "pending"])
def test_invite_refuses_organisations_not_offered_and_changes_nothing(client, which):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    organisation = {
        "lead": lambda: proposal.lead_organisation,
        "invited": lambda: ProposalPartnerFactory(proposal=proposal).organisation,
        "pending": lambda: OrganisationFactory(),
    }[which]()
    before = snapshot()
    response = client.post(url("proposal-partner-invite", proposal.pk), {"organisation": organisation.pk})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert snapshot() == before
    assert not mail.outbox


def test_invite_refused_to_others(client):
    proposal = ProposalFactory()
    guest = OrganisationFactory(verified=True)
    invite = url("proposal-partner-invite", proposal.pk)
    assert_login_redirect(client.post(invite, {"organisation": guest.pk}))
    accepted = ProposalPartnerFactory(proposal=proposal, status=PartnerStatus.ACCEPTED)
    cases = [(referent_of(accepted.organisation), 403), (MembershipFactory().user, 404), (steering_member(), 404),
             (UserFactory(), 404)]
    before = snapshot()
    for user, expected in cases:
        login(client, user)
        assert client.post(invite, {"organisation": guest.pk}).status_code == expected
    assert snapshot() == before


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.WITHDRAWN])
def test_invite_after_submission_or_withdrawal_is_refused_with_a_message(client, status):
    proposal = ProposalFactory(status=status)
    login(client, lead_member(proposal))
    guest = OrganisationFactory(verified=True)
    before = snapshot()
    response = client.post(url("proposal-partner-invite", proposal.pk), {"organisation": guest.pk})
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal.pk)
    expected = (
        "This proposal has been withdrawn; nothing can change it any more." if status == Status.WITHDRAWN
        else "This proposal is with the steering group (“Submitted”): it can be changed and submitted "
        "again only if they request changes."
    )
    assert messages_of(response) == [expected]
    assert snapshot() == before


# --- Answering ---------------------------------------------------------------------------------


def test_the_invited_referent_sees_the_answer_buttons(client):
    partner = ProposalPartnerFactory()
    login(client, referent_of(partner.organisation))
    content = client.get(url("proposal-detail", partner.proposal.pk)).content.decode()
    assert f'id="invitation-{partner.pk}"' in content
    assert url("proposal-partner-answer", partner.pk) in content
    assert url("proposal-partner-decline", partner.pk) in content
    login(client, MembershipFactory(organisation=partner.organisation).user)  # plain member
    content = client.get(url("proposal-detail", partner.proposal.pk)).content.decode()
    assert url("proposal-partner-answer", partner.pk) not in content
    assert f'id="invitation-{partner.pk}"' not in content


def test_referent_accepts_and_the_lead_is_told(client, on_commit):
    partner = ProposalPartnerFactory(organisation__name="Coop Aurora")
    user = login(client, referent_of(partner.organisation))
    lead = lead_member(partner.proposal)
    with on_commit():
        response = client.post(url("proposal-partner-answer", partner.pk), {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", partner.proposal.pk) + "#commitments"
    partner.refresh_from_db()
    assert (partner.status, partner.decided_by) == (PartnerStatus.ACCEPTED, user)
    assert [m.to for m in mail.outbox] == [[lead.email]]
    # Now a co-partner, it may state commitments.
    content = client.get(url("proposal-detail", partner.proposal.pk)).content.decode()
    assert url("commitment-create", partner.proposal.pk) in content


def test_decline_asks_for_confirmation_then_the_proposal_is_no_longer_visible(client, on_commit):
    partner = ProposalPartnerFactory()
    login(client, referent_of(partner.organisation))
    lead = lead_member(partner.proposal)
    response = client.get(url("proposal-partner-decline", partner.pk))
    assert response.status_code == 200
    assert f'action="{url("proposal-partner-answer", partner.pk)}"' in response.content.decode()
    assert ProposalPartner.objects.get().status == PartnerStatus.INVITED
    with on_commit():
        response = client.post(url("proposal-partner-answer", partner.pk), {"answer": "decline"})
    assert response["Location"] == url("proposal-list")
    assert ProposalPartner.objects.get().status == PartnerStatus.DECLINED
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert client.get(url("proposal-detail", partner.proposal.pk)).status_code == 404


def test_answer_is_post_only(client):
    partner = ProposalPartnerFactory()
    login(client, referent_of(partner.organisation))
    assert client.get(url("proposal-partner-answer", partner.pk)).status_code == 405


def test_answer_refused_to_others_and_changes_nothing(client):
    partner = ProposalPartnerFactory()
    answer = url("proposal-partner-answer", partner.pk)
    assert_login_redirect(client.post(answer, {"answer": "accept"}))
    cases = [
        (MembershipFactory(organisation=partner.organisation).user, 403),  # member, not referent
        (lead_member(partner.proposal), 403),
        (referent_of(OrganisationFactory(verified=True)), 404),
        (steering_member(), 404),
    ]
    before = snapshot()
    for user, expected in cases:
        login(client, user)
        assert client.post(answer, {"answer": "accept"}).status_code == expected
        assert client.get(url("proposal-partner-decline", partner.pk)).status_code == expected
    assert snapshot() == before


def test_answer_with_an_unknown_choice_is_a_bad_request(client):
    partner = ProposalPartnerFactory()
    login(client, referent_of(partner.organisation))
    assert client.post(url("proposal-partner-answer", partner.pk), {"answer": "maybe"}).status_code == 400
    assert ProposalPartner.objects.get().status == PartnerStatus.INVITED


def test_answering_twice_or_on_a_withdrawn_proposal_is_refused_with_a_message(client):
    accepted = ProposalPartnerFactory(status=PartnerStatus.ACCEPTED)
    login(client, referent_of(accepted.organisation))
    before = snapshot()
    response = client.post(url("proposal-partner-answer", accepted.pk), {"answer": "decline"})
    assert messages_of(response) == ["This invitation has already been answered (Accepted)."]
    assert snapshot() == before

    withdrawn = ProposalPartnerFactory(proposal=ProposalFactory(status=Status.WITHDRAWN))
    login(client, referent_of(withdrawn.organisation))
    before = snapshot()
    response = client.post(url("proposal-partner-answer", withdrawn.pk), {"answer": "accept"})
    assert messages_of(response)[-1] == "This proposal has been withdrawn; nothing can change it any more."
    assert snapshot() == before
    assert not mail.outbox


# --- Commitments -------------------------------------------------------------------------------


def test_lead_member_adds_a_commitment_of_the_lead(client):
    proposal = ProposalFactory()
    user = login(client, lead_member(proposal))
    response = client.get(url("commitment-create", proposal.pk))
    assert list(response.context["form"].fields["organisation"].queryset) == [proposal.lead_organisation]
    response = client.post(url("commitment-create", proposal.pk), commitment_data(proposal.lead_organisation))
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal.pk) + "#commitments"
    commitment = Commitment.objects.get()
    assert (commitment.organisation, commitment.quantity, commitment.estimated_value_eur, commitment.created_by) == (
        proposal.lead_organisation, Decimal("120"), Decimal("2400.00"), user,
    )


def test_accepted_co_partner_commits_only_for_its_own_organisation(client):
    proposal = ProposalFactory()
    partner = ProposalPartnerFactory(proposal=proposal, status=PartnerStatus.ACCEPTED)
    login(client, MembershipFactory(organisation=partner.organisation).user)
    response = client.post(url("commitment-create", proposal.pk), commitment_data(proposal.lead_organisation))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Commitment.objects.exists()
    response = client.post(url("commitment-create", proposal.pk), commitment_data(partner.organisation))
    assert response.status_code == 302
    assert Commitment.objects.get().organisation == partner.organisation


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"quantity": "0"}, "quantity", "The quantity must be greater than zero."),
    ({"quantity": "-3"}, "quantity", "The quantity must be greater than zero."),
    ({"estimated_value_eur": "-1"}, "estimated_value_eur", "The estimated value cannot be negative."),
    ({"unit": ""}, "unit", "This field is required."),
    ({"kind": "gold"}, "kind", None),
])
def test_commitment_with_bad_input_is_refused_next_to_the_field(client, overrides, field, message):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    response = client.post(url("commitment-create", proposal.pk), commitment_data(proposal.lead_organisation, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert "Un educatore per sei mesi" in response.content.decode()
    assert not Commitment.objects.exists()


def test_commitment_refused_to_others(client):
    proposal = ProposalFactory()
    create = url("commitment-create", proposal.pk)
    assert_login_redirect(client.post(create, commitment_data(proposal.lead_organisation)))
    invited = ProposalPartnerFactory(proposal=proposal)
    cases = [
        (MembershipFactory(organisation=invited.organisation).user, 403),  # invited, not accepted yet
        (MembershipFactory().user, 404),
        (steering_member(), 404),
    ]
    before = snapshot()
    for user, expected in cases:
        login(client, user)
        assert client.post(create, commitment_data(proposal.lead_organisation)).status_code == expected
    assert snapshot() == before


def test_commitment_after_submission_is_refused_with_a_message(client):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    login(client, lead_member(proposal))
    commitment = CommitmentFactory(proposal=proposal)
    before = snapshot()
    for response in (
        client.post(url("commitment-create", proposal.pk), commitment_data(proposal.lead_organisation)),
        client.post(url("commitment-update", commitment.pk), commitment_data(quantity="5")),
        client.post(url("commitment-delete", commitment.pk)),
    ):
        assert response.status_code == 302
        assert response["Location"] == url("proposal-detail", proposal.pk)
    assert "it can be changed and submitted again only if they request changes" in messages_of(response)[0]
    assert snapshot() == before


def test_a_partner_edits_and_deletes_its_own_commitments_only(client):
    proposal = ProposalFactory()
    partner = ProposalPartnerFactory(proposal=proposal, status=PartnerStatus.ACCEPTED)
    own = CommitmentFactory(proposal=proposal, organisation=partner.organisation)
    leads = CommitmentFactory(proposal=proposal)
    login(client, MembershipFactory(organisation=partner.organisation).user)

    content = client.get(url("proposal-detail", proposal.pk)).content.decode()
    assert url("commitment-update", own.pk) in content and url("commitment-update", leads.pk) not in content

    before = snapshot()
    assert client.post(url("commitment-update", leads.pk), commitment_data(quantity="1")).status_code == 403
    assert client.post(url("commitment-delete", leads.pk)).status_code == 403
    assert snapshot() == before

    assert client.get(url("commitment-update", own.pk)).status_code == 200
    response = client.post(url("commitment-update", own.pk), commitment_data(quantity="7", estimated_value_eur="70"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.quantity, own.estimated_value_eur, own.organisation) == (Decimal("7"), Decimal("70"), partner.organisation)

    assert "Delete the commitment of" in client.get(url("commitment-delete", own.pk)).content.decode()
    assert Commitment.objects.filter(pk=own.pk).exists()
    response = client.post(url("commitment-delete", own.pk))
    assert response.status_code == 302
    assert list(Commitment.objects.all()) == [leads]


def test_commitment_pages_of_an_invisible_proposal_are_404(client):
    commitment = CommitmentFactory()
    login(client, MembershipFactory().user)
    assert client.get(url("commitment-update", commitment.pk)).status_code == 404
    assert client.post(url("commitment-delete", commitment.pk)).status_code == 404
    assert Commitment.objects.filter(pk=commitment.pk).exists()
