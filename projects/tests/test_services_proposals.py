"""Writing and moving proposals: every transition allowed and refused, the call window, the
required fields, the history rows and the emails."""


import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partners.models import Membership
from projects import services
from projects.models import Proposal, ProposalPartner, ProposalStatusChange
from projects.services import ProjectsError
from projects.tests.factories import (
    CompleteProposalFactory,
    FocusGroupFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    ThemeFactory,
    UserFactory,
    lead_member,
    steering_member,
)

pytestmark = pytest.mark.django_db

Status = Proposal.Status


def _snapshot(proposal):
    proposal = Proposal.objects.get(pk=proposal.pk)
    return (
        proposal.status, proposal.title, proposal.submitted_at, proposal.decided_at,
        proposal.decision_motivation, proposal.changes_requested_note,
        ProposalStatusChange.objects.filter(proposal=proposal).count(),
    )


# Creating and editing


def test_create_proposal_by_a_member_of_a_verified_organisation():
    organisation = OrganisationFactory(verified=True)
    user = MembershipFactory(organisation=organisation).user
    theme = ThemeFactory()
    focus_group = FocusGroupFactory(theme=theme)

    proposal = services.create_proposal(
        by=user, lead_organisation=organisation, title="Custodi di quartiere", theme=theme,
        focus_group=focus_group, summary="Sintesi",
    )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.created_by, proposal.focus_group) == (Status.DRAFT, user, focus_group)
    change = proposal.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", Status.DRAFT, user)


def test_create_proposal_refused_for_an_unverified_lead():
    organisation = OrganisationFactory()
    user = MembershipFactory(organisation=organisation).user
    with pytest.raises(ProjectsError, match="Only a verified organisation can lead a proposal"):
        services.create_proposal(by=user, lead_organisation=organisation, title="X", theme=ThemeFactory())
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("membership", [None, {"pending": True}, {"refused": True}])
def test_create_proposal_refused_to_non_members(membership):
    organisation = OrganisationFactory(verified=True)
    user = UserFactory()
    if membership is not None:
        MembershipFactory(user=user, organisation=organisation, **membership)
    with pytest.raises(ProjectsError, match="Only members of"):
        services.create_proposal(by=user, lead_organisation=organisation, title="X", theme=ThemeFactory())
    assert not Proposal.objects.exists()


def test_create_proposal_refuses_a_focus_group_of_another_theme():
    organisation = OrganisationFactory(verified=True)
    user = MembershipFactory(organisation=organisation).user
    with pytest.raises(ValidationError) as excinfo:
        services.create_proposal(
            by=user, lead_organisation=organisation, title="X", theme=ThemeFactory(), focus_group=FocusGroupFactory(),
        )
    assert "focus_group" in excinfo.value.message_dict
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_update_proposal_by_lead_member_while_editable(status):
    proposal = ProposalFactory(status=status)
    user = lead_member(proposal)
    municipalities = [OrganisationFactory().seat_municipality]
    services.update_proposal(proposal, by=user, title="Nuovo titolo", estimated_beneficiaries=40,
                             municipalities=municipalities)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.estimated_beneficiaries) == ("Nuovo titolo", 40)
    assert list(proposal.municipalities.all()) == municipalities


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.IN_EVALUATION, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN]
)
def test_update_proposal_refused_after_submission_and_changes_nothing(status):
    proposal = ProposalFactory(status=status)
    before = _snapshot(proposal)
    with pytest.raises(ProjectsError, match="can be changed only while it is a draft or when changes have been"):
        services.update_proposal(proposal, by=lead_member(proposal), title="Cambiato")
    assert _snapshot(proposal) == before


@pytest.mark.parametrize("who", ["outsider", "invited_partner", "accepted_partner", "steering", "pending_member"])
def test_update_proposal_refused_to_everyone_but_the_lead(who):
    proposal = ProposalFactory()
    if who == "outsider":
        user = UserFactory()
    elif who == "steering":
        user = steering_member()
    elif who == "pending_member":
        user = MembershipFactory(organisation=proposal.lead_organisation, pending=True).user
    else:
        status = ProposalPartner.Status.INVITED if who == "invited_partner" else ProposalPartner.Status.ACCEPTED
        partner = ProposalPartnerFactory(proposal=proposal, status=status)
        user = MembershipFactory(organisation=partner.organisation).user
    with pytest.raises(ProjectsError, match="not allowed"):
        services.update_proposal(proposal, by=user, title="Cambiato")
    proposal.refresh_from_db()
    assert proposal.title != "Cambiato"


# Every (from, to) pair of TRANSITIONS


def _actors(proposal):
    return {
        "lead": lead_member(proposal),
        "steering": steering_member(),
        "coordinator": steering_member(coordinator=True),
    }


MOVES = {
    Status.SUBMITTED: lambda p, a: services.submit_proposal(p, by=a["lead"]),
    Status.IN_EVALUATION: lambda p, a: services.start_evaluation(p, by=a["steering"]),
    Status.CHANGES_REQUESTED: lambda p, a: services.request_changes(p, by=a["coordinator"], motivation="Più dettagli."),
    Status.APPROVED: lambda p, a: services.decide_proposal(
        p, by=a["coordinator"], decision=Status.APPROVED, motivation="Progetto solido."
    ),
    Status.REJECTED: lambda p, a: services.decide_proposal(
        p, by=a["coordinator"], decision=Status.REJECTED, motivation="Non sostenibile."
    ),
    Status.WITHDRAWN: lambda p, a: services.withdraw_proposal(p, by=a["lead"]),
}
PAIRS = [(from_status, to_status) for from_status in Status for to_status in MOVES]


@pytest.mark.parametrize("from_status, to_status", PAIRS)
def test_every_transition_allowed_or_refused(from_status, to_status):
    proposal = CompleteProposalFactory(status=from_status)
    actors = _actors(proposal)
    before = _snapshot(proposal)
    if to_status in Proposal.TRANSITIONS[from_status]:
        MOVES[to_status](proposal, actors)
        proposal.refresh_from_db()
        assert proposal.status == to_status
        change = proposal.status_changes.latest("pk")
        assert (change.from_status, change.to_status) == (from_status, to_status)
    else:
        with pytest.raises(ProjectsError) as excinfo:
            MOVES[to_status](proposal, actors)
        assert excinfo.value.message
        assert _snapshot(proposal) == before


# Submission


def test_submit_proposal_inside_the_window_emails_lead_and_steering(on_commit):
    proposal = CompleteProposalFactory()
    author = lead_member(proposal)
    colleague = lead_member(proposal)
    steering = steering_member()
    MembershipFactory(organisation=proposal.lead_organisation, pending=True)  # not a member yet: no email
    with on_commit():
        services.submit_proposal(proposal, by=author)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.submitted_at is not None
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([author.email, colleague.email, steering.email])
    steering_mail = next(m for m in mail.outbox if m.to == [steering.email])
    assert "New proposal to review" in steering_mail.subject
    assert proposal.title in steering_mail.body


@pytest.mark.parametrize("trait, message", [("closed", "closed on"), ("upcoming", "opens on")])
def test_submit_proposal_refused_outside_the_call_window(trait, message):
    proposal = CompleteProposalFactory(theme=ThemeFactory(**{trait: True}))
    before = _snapshot(proposal)
    with pytest.raises(ProjectsError, match=message):
        services.submit_proposal(proposal, by=lead_member(proposal))
    assert _snapshot(proposal) == before
    assert not mail.outbox


def test_resubmission_after_changes_requested_allowed_after_the_call_closed(on_commit):
    proposal = CompleteProposalFactory(status=Status.CHANGES_REQUESTED, theme=ThemeFactory(closed=True))
    with on_commit():
        services.submit_proposal(proposal, by=lead_member(proposal))
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert any("submitted again" in message.body for message in mail.outbox)


def test_submit_proposal_lists_the_missing_required_fields():
    proposal = ProposalFactory(summary="Sintesi")
    before = _snapshot(proposal)
    with pytest.raises(ProjectsError) as excinfo:
        services.submit_proposal(proposal, by=lead_member(proposal))
    assert excinfo.value.message.startswith("Complete these fields before submitting: need addressed, objectives")
    assert "summary" not in excinfo.value.message
    assert _snapshot(proposal) == before


def test_submit_proposal_refused_to_co_partner_and_steering():
    proposal = CompleteProposalFactory()
    partner = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    for user in [MembershipFactory(organisation=partner.organisation).user, steering_member(), UserFactory()]:
        with pytest.raises(ProjectsError, match="not allowed"):
            services.submit_proposal(proposal, by=user)
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


# Evaluation moves and decisions


def test_start_evaluation_refused_to_partners_and_allowed_to_staff():
    proposal = ProposalFactory(status=Status.SUBMITTED)
    with pytest.raises(ProjectsError, match="not allowed"):
        services.start_evaluation(proposal, by=lead_member(proposal))
    services.start_evaluation(proposal, by=UserFactory(staff=True))
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_EVALUATION


def test_request_changes_needs_the_coordinator_and_a_motivation(on_commit):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    author = lead_member(proposal)
    before = _snapshot(proposal)
    with pytest.raises(ProjectsError, match="Explain which changes are needed"):
        services.request_changes(proposal, by=steering_member(coordinator=True), motivation="  ")
    with pytest.raises(ProjectsError, match="not allowed"):
        services.request_changes(proposal, by=steering_member(), motivation="Più dettagli.")
    assert _snapshot(proposal) == before

    with on_commit():
        services.request_changes(proposal, by=steering_member(coordinator=True), motivation="Indicate i costi.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.changes_requested_note) == (Status.CHANGES_REQUESTED, "Indicate i costi.")
    assert proposal.status_changes.latest("pk").note == "Indicate i costi."
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert "Indicate i costi." in mail.outbox[0].body


def test_decide_proposal_records_the_motivation_and_tells_lead_and_co_partners(on_commit):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    author = lead_member(proposal)
    accepted = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    partner_user = MembershipFactory(organisation=accepted.organisation).user
    declined = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.DECLINED)
    MembershipFactory(organisation=declined.organisation)
    coordinator = steering_member(coordinator=True)

    with on_commit():
        services.decide_proposal(proposal, by=coordinator, decision=Status.APPROVED, motivation="Risponde al bisogno.")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decision_motivation) == (
        Status.APPROVED, coordinator, "Risponde al bisogno.",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([author.email, partner_user.email])
    assert "has been approved" in mail.outbox[0].subject
    assert "Risponde al bisogno." in mail.outbox[0].body


def test_decide_proposal_refused_without_motivation_or_by_a_plain_steering_member():
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    before = _snapshot(proposal)
    with pytest.raises(ProjectsError, match="Give the motivation"):
        services.decide_proposal(
            proposal, by=steering_member(coordinator=True), decision=Status.REJECTED, motivation="",
        )
    with pytest.raises(ProjectsError, match="not allowed"):
        services.decide_proposal(proposal, by=steering_member(), decision=Status.REJECTED, motivation="No.")
    with pytest.raises(ProjectsError, match="not allowed"):
        services.decide_proposal(proposal, by=lead_member(proposal), decision=Status.APPROVED, motivation="Sì.")
    assert _snapshot(proposal) == before


def test_approving_twice_is_refused_with_a_clear_message(on_commit):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    coordinator = steering_member(coordinator=True)
    services.decide_proposal(proposal, by=coordinator, decision=Status.APPROVED, motivation="Ottimo.")
    before = _snapshot(proposal)
    with pytest.raises(ProjectsError) as excinfo:
        services.decide_proposal(proposal, by=coordinator, decision=Status.APPROVED, motivation="Di nuovo.")
    assert excinfo.value.message == "This proposal has already been decided (“Approved”); the decision cannot change."
    assert _snapshot(proposal) == before


def test_decide_proposal_rejects_a_decision_that_is_not_one():
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    with pytest.raises(ValueError):
        services.decide_proposal(
            proposal, by=steering_member(coordinator=True), decision=Status.SUBMITTED, motivation="x",
        )


# Withdrawn proposals


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.IN_EVALUATION, Status.CHANGES_REQUESTED])
def test_withdraw_by_the_lead(status):
    proposal = ProposalFactory(status=status)
    services.withdraw_proposal(proposal, by=lead_member(proposal), note="Mancano le risorse.")
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert proposal.status_changes.latest("pk").note == "Mancano le risorse."


def test_withdrawal_tells_the_co_partners_and_after_submission_the_steering_group(on_commit):
    proposal = ProposalFactory(status=Status.SUBMITTED, title="Orti condivisi")
    accepted = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    invited = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.INVITED)
    declined = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.DECLINED)
    co_member = MembershipFactory(organisation=accepted.organisation).user
    invited_referent = MembershipFactory(organisation=invited.organisation, role=Membership.Role.REFERENT).user
    invited_member = MembershipFactory(organisation=invited.organisation).user
    declined_member = MembershipFactory(organisation=declined.organisation, role=Membership.Role.REFERENT).user
    reviewer = steering_member()
    with on_commit():
        services.withdraw_proposal(proposal, by=lead_member(proposal))
    recipients = {message.to[0] for message in mail.outbox}
    assert {co_member.email, invited_referent.email, reviewer.email} <= recipients
    assert not {invited_member.email, declined_member.email} & recipients
    assert all("“Orti condivisi” was withdrawn" in message.subject for message in mail.outbox)


def test_withdrawing_a_draft_does_not_disturb_the_steering_group(on_commit):
    proposal = ProposalFactory(status=Status.DRAFT)
    reviewer = steering_member()
    with on_commit():
        services.withdraw_proposal(proposal, by=lead_member(proposal))
    assert reviewer.email not in {message.to[0] for message in mail.outbox}


def test_withdraw_refused_to_steering_and_co_partners():
    proposal = ProposalFactory(status=Status.SUBMITTED)
    partner = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    for user in [steering_member(coordinator=True), MembershipFactory(organisation=partner.organisation).user]:
        with pytest.raises(ProjectsError, match="not allowed"):
            services.withdraw_proposal(proposal, by=user)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_every_action_on_a_withdrawn_proposal_is_refused_and_changes_nothing():
    proposal = CompleteProposalFactory(status=Status.WITHDRAWN)
    lead = lead_member(proposal)
    coordinator = steering_member(coordinator=True)
    before = _snapshot(proposal)
    actions = [
        (lambda: services.update_proposal(proposal, by=lead, title="Nuovo"), "this one is “Withdrawn”"),
        (lambda: services.submit_proposal(proposal, by=lead), "has been withdrawn"),
        (lambda: services.withdraw_proposal(proposal, by=lead), "has been withdrawn"),
        (lambda: services.start_evaluation(proposal, by=coordinator), "has been withdrawn"),
        (lambda: services.request_changes(proposal, by=coordinator, motivation="x"), "has been withdrawn"),
        (lambda: services.decide_proposal(proposal, by=coordinator, decision=Status.APPROVED, motivation="x"),
         "has been withdrawn"),
        (lambda: services.invite_co_partner(proposal, by=lead, organisation=OrganisationFactory(verified=True)),
         "this one is “Withdrawn”"),
        (lambda: services.add_commitment(
            proposal, by=lead, organisation=proposal.lead_organisation, kind="money", quantity=1, unit="euro",
            estimated_value_eur=1), "this one is “Withdrawn”"),
    ]
    for action, message in actions:
        with pytest.raises(ProjectsError) as excinfo:
            action()
        assert message in excinfo.value.message
    assert _snapshot(proposal) == before
    assert not proposal.partners.exists() and not proposal.commitments.exists()


def test_inactive_or_anonymous_actor_is_refused():
    proposal = CompleteProposalFactory()
    user = lead_member(proposal)
    user.is_active = False
    user.save()
    with pytest.raises(ProjectsError, match="logged in"):
        services.submit_proposal(proposal, by=user)
    assert Membership.objects.filter(user=user).exists()
