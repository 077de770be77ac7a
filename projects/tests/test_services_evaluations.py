"""The feasibility evaluation: who scores, when, against which rubric, and conflicts of interest."""

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Evaluation, Proposal, ProposalPartner, Rubric, Score
from projects.services import ProjectsError
from projects.tests.factories import (
    CriterionFactory,
    MembershipFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    RubricFactory,
    SteeringGroupMemberFactory,
    UserFactory,
    steering_member,
)

pytestmark = pytest.mark.django_db

Status = Proposal.Status


@pytest.fixture
def criteria():
    return list(Rubric.objects.active().get().criteria.all())


def _scores(criteria, value=4):
    return {criterion: value for criterion in criteria}


def test_steering_member_scores_every_criterion(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    evaluator = steering_member()
    values = dict(zip(criteria, [5, 4, 3, 2, 1]))
    evaluation = services.submit_evaluation(proposal, by=evaluator, scores=values, comment="Buon progetto.")
    assert evaluation.submitted_at is not None
    assert evaluation.rubric == Rubric.objects.active().get()
    assert {s.criterion_id: s.value for s in evaluation.scores.all()} == {c.pk: v for c, v in values.items()}
    # (5×25 + 4×20 + 3×20 + 2×15 + 1×20) / 100 = 3.15
    assert Proposal.objects.with_weighted_score().get().weighted_score == pytest.approx(3.15)


def test_scoring_again_replaces_the_earlier_scores(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    evaluator = steering_member()
    services.submit_evaluation(proposal, by=evaluator, scores=_scores(criteria, 1))
    services.submit_evaluation(proposal, by=evaluator, scores=_scores(criteria, 5), comment="Rivisto.")
    assert Evaluation.objects.get().comment == "Rivisto."
    assert set(Score.objects.values_list("value", flat=True)) == {5}
    assert Score.objects.count() == len(criteria)


@pytest.mark.parametrize("status", [s for s in Status if s != Status.IN_EVALUATION])
def test_only_proposals_in_evaluation_can_be_scored(status, criteria):
    proposal = ProposalFactory(status=status)
    with pytest.raises(ProjectsError, match="Only a proposal in evaluation can be scored"):
        services.submit_evaluation(proposal, by=steering_member(), scores=_scores(criteria))
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("who", ["staff", "ended_seat", "partner"])
def test_only_current_steering_members_score(who, criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    user = {
        "staff": lambda: UserFactory(staff=True),
        "ended_seat": lambda: SteeringGroupMemberFactory(ended=True).user,
        "partner": lambda: MembershipFactory().user,
    }[who]()
    with pytest.raises(ProjectsError, match="Only current members of the steering group"):
        services.submit_evaluation(proposal, by=user, scores=_scores(criteria))
    assert not Evaluation.objects.exists()


def test_missing_and_out_of_range_scores_are_named(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    scores = {criteria[0]: 6, criteria[1]: "tre", criteria[2]: 3}
    with pytest.raises(ValidationError) as excinfo:
        services.submit_evaluation(proposal, by=steering_member(), scores=scores)
    messages = excinfo.value.message_dict["scores"]
    assert "Score every criterion; missing: Sostenibilità, Fattibilità del piano." in messages
    assert "The score for “Bisogno coperto” must be a whole number from 0 to 5." in messages
    assert "The score for “Integrazione tra politiche” must be a whole number from 0 to 5." in messages
    assert not Evaluation.objects.exists()


def test_criteria_of_another_rubric_are_refused(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    scores = {**_scores(criteria), CriterionFactory(rubric=RubricFactory()): 3}
    with pytest.raises(ValidationError, match="Score only the criteria of the active rubric"):
        services.submit_evaluation(proposal, by=steering_member(), scores=scores)


def test_no_active_rubric_is_a_clear_refusal():
    Rubric.objects.update(is_active=False)
    with pytest.raises(ProjectsError, match="no active evaluation rubric"):
        services.submit_evaluation(ProposalFactory(status=Status.IN_EVALUATION), by=steering_member(), scores={})


@pytest.mark.parametrize("link", ["lead_member", "co_partner_member", "invited_co_partner_member", "seat_organisation"])
def test_evaluator_in_conflict_cannot_score(link, criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    evaluator = steering_member()
    if link == "lead_member":
        MembershipFactory(user=evaluator, organisation=proposal.lead_organisation)
        conflicted = proposal.lead_organisation
    elif link == "seat_organisation":
        evaluator = SteeringGroupMemberFactory(organisation=proposal.lead_organisation, municipality=None).user
        conflicted = proposal.lead_organisation
    else:
        status = ProposalPartner.Status.ACCEPTED if link == "co_partner_member" else ProposalPartner.Status.INVITED
        conflicted = ProposalPartnerFactory(proposal=proposal, status=status).organisation
        MembershipFactory(user=evaluator, organisation=conflicted)

    with pytest.raises(ProjectsError) as excinfo:
        services.submit_evaluation(proposal, by=evaluator, scores=_scores(criteria))
    assert "You have a conflict of interest" in excinfo.value.message
    assert conflicted.name in excinfo.value.message
    assert not Evaluation.objects.exists()
    assert not evaluator.has_perm("projects.evaluate_proposal", proposal)


def test_a_declined_co_partner_or_a_pending_membership_is_no_conflict(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    evaluator = steering_member()
    declined = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.DECLINED).organisation
    MembershipFactory(user=evaluator, organisation=declined)
    MembershipFactory(user=evaluator, organisation=proposal.lead_organisation, pending=True)
    services.submit_evaluation(proposal, by=evaluator, scores=_scores(criteria))
    assert Evaluation.objects.get().submitted_at is not None


def test_declaring_a_conflict_removes_scores_and_blocks_scoring(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    evaluator = steering_member()
    services.submit_evaluation(proposal, by=evaluator, scores=_scores(criteria))
    evaluation = services.declare_conflict(proposal, by=evaluator, note="Mia sorella presiede l'ente capofila.")
    assert (evaluation.conflict_declared, evaluation.submitted_at, evaluation.scores.count()) == (True, None, 0)
    assert Proposal.objects.with_weighted_score().get().weighted_score is None

    with pytest.raises(ProjectsError, match="You declared a conflict of interest"):
        services.submit_evaluation(proposal, by=evaluator, scores=_scores(criteria))
    with pytest.raises(ProjectsError, match="already declared"):
        services.declare_conflict(proposal, by=evaluator)
    assert not Score.objects.exists()


def test_conflicted_evaluator_declares_and_the_note_names_the_organisation():
    proposal = ProposalFactory(status=Status.SUBMITTED)
    evaluator = steering_member()
    MembershipFactory(user=evaluator, organisation=proposal.lead_organisation)
    evaluation = services.declare_conflict(proposal, by=evaluator)
    assert evaluation.conflict_note == proposal.lead_organisation.name


def test_declare_conflict_refused_outside_review_and_to_non_steering():
    with pytest.raises(ProjectsError, match="under review"):
        services.declare_conflict(ProposalFactory(status=Status.DRAFT), by=steering_member())
    with pytest.raises(ProjectsError, match="Only current members of the steering group"):
        services.declare_conflict(ProposalFactory(status=Status.SUBMITTED), by=MembershipFactory().user)
    assert not Evaluation.objects.exists()


def test_activate_rubric_by_coordinator_replaces_the_active_one():
    old = Rubric.objects.active().get()
    new = CriterionFactory().rubric
    with pytest.raises(ProjectsError, match="not allowed"):
        services.activate_rubric(new, by=steering_member())
    services.activate_rubric(new, by=steering_member(coordinator=True))
    assert list(Rubric.objects.active()) == [new]
    old.refresh_from_db()
    assert not old.is_active
    with pytest.raises(ProjectsError, match="at least one criterion"):
        services.activate_rubric(RubricFactory(), by=UserFactory(is_staff=True))


def test_coordinator_builds_a_rubric_and_cannot_reweight_a_used_criterion(criteria):
    coordinator = steering_member(coordinator=True)
    with pytest.raises(ProjectsError, match="not allowed"):
        services.create_rubric(by=steering_member(), name="Griglia 2027")
    rubric = services.create_rubric(by=coordinator, name="Griglia 2027")
    criterion = services.add_criterion(rubric, by=coordinator, name="Impatto", weight=2, order=10)
    services.update_criterion(criterion, by=coordinator, weight=3)
    criterion.refresh_from_db()
    assert criterion.weight == 3

    used = criteria[0]
    scored = ProposalFactory(status=Status.IN_EVALUATION)
    services.submit_evaluation(scored, by=steering_member(), scores=_scores(criteria))
    with pytest.raises(ProjectsError, match="weight cannot change"):
        services.update_criterion(used, by=coordinator, weight=50)
    services.update_criterion(used, by=coordinator, description="Descrizione riscritta.")
    with pytest.raises(ProjectsError, match="cannot be removed"):
        services.delete_criterion(used, by=coordinator)
    used.refresh_from_db()
    assert (used.weight, used.description) == (25, "Descrizione riscritta.")
    services.delete_criterion(criterion, by=coordinator)
    assert not rubric.criteria.exists()
