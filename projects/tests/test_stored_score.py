"""The weighted score kept on each proposal: the services store it whenever an evaluation
changes, the review queue sorts on it, and the data migration fills it for existing rows."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from projects import services
from projects.models import Evaluation, Proposal, Rubric, Score
from projects.services import ProjectsError
from projects.tests.factories import (
    EvaluationFactory,
    ProposalFactory,
    ScoreFactory,
    ThemeFactory,
    steering_member,
)
from partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

Status = Proposal.Status
QUEUE = "/regia/proposte/"


@pytest.fixture
def criteria():
    """The rubric of the data migration: five criteria, weights 25/20/20/15/20."""
    return list(Rubric.objects.active().get().criteria.all())


def computed(proposal):
    """The weighted score worked out here, from the scores, as the steering group defines it:
    Σ score × weight / Σ weight over the submitted evaluations of nobody in conflict."""
    scores = Score.objects.filter(
        evaluation__proposal=proposal, evaluation__submitted_at__isnull=False, evaluation__conflict_declared=False,
    ).select_related("criterion")
    weights = sum(score.criterion.weight for score in scores)
    counted = Evaluation.objects.filter(proposal=proposal, submitted_at__isnull=False, conflict_declared=False)
    if not weights:
        return None, counted.count()
    return float(sum(score.value * score.criterion.weight for score in scores) / weights), counted.count()


def stored(proposal):
    proposal = Proposal.objects.get(pk=proposal.pk)
    return proposal.average_score, proposal.scored_count


def assert_stored_is_computed(proposal):
    score, count = stored(proposal)
    expected_score, expected_count = computed(proposal)
    assert count == expected_count
    assert score == pytest.approx(expected_score) if expected_score is not None else score is None


def test_stored_score_follows_every_change_of_the_evaluations(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    first, second, third = steering_member(), steering_member(), steering_member()
    assert stored(proposal) == (None, 0)

    services.submit_evaluation(proposal, by=first, scores=dict(zip(criteria, [5, 4, 3, 2, 1])))
    assert stored(proposal) == (pytest.approx(3.15), 1)  # (5×25 + 4×20 + 3×20 + 2×15 + 1×20) / 100

    services.submit_evaluation(proposal, by=second, scores={c: 1 for c in criteria})
    assert stored(proposal) == (pytest.approx((3.15 + 1) / 2), 2)
    assert_stored_is_computed(proposal)

    # The first evaluator changes their mind: their earlier scores no longer count.
    services.submit_evaluation(proposal, by=first, scores={c: 5 for c in criteria})
    assert stored(proposal) == (pytest.approx(3.0), 2)

    # A conflict declared after scoring takes that evaluator's scores out.
    services.declare_conflict(proposal, by=second, note="Presiedo l'ente capofila.")
    assert stored(proposal) == (pytest.approx(5.0), 1)

    # A conflict of someone who never scored changes nothing.
    services.declare_conflict(proposal, by=third)
    assert stored(proposal) == (pytest.approx(5.0), 1)

    services.declare_conflict(proposal, by=first)
    assert stored(proposal) == (None, 0)
    assert_stored_is_computed(proposal)


def test_stored_score_keeps_the_weights_each_evaluation_was_given_with(criteria):
    """A new rubric with other weights counts only for the evaluations scored against it: the
    earlier ones keep their weights (a used criterion's weight cannot change)."""
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    services.submit_evaluation(proposal, by=steering_member(), scores=dict(zip(criteria, [5, 5, 5, 0, 0])))
    coordinator = steering_member(coordinator=True)
    rubric = services.create_rubric(by=coordinator, name="Griglia 2027")
    heavy = services.add_criterion(rubric, by=coordinator, name="Impatto", weight=Decimal("80"), order=1)
    light = services.add_criterion(rubric, by=coordinator, name="Costi", weight=Decimal("1"), order=2)
    # Re-weighting a criterion nobody used yet is allowed and moves no score.
    services.update_criterion(light, by=coordinator, weight=Decimal("20"))
    services.activate_rubric(rubric, by=coordinator)
    assert stored(proposal) == (pytest.approx(3.25), 1)  # (5×25 + 5×20 + 5×20) / 100

    services.submit_evaluation(proposal, by=steering_member(), scores={heavy: 0, light: 5})
    # (5×25 + 5×20 + 5×20 + 0 + 0 + 0×80 + 5×20) / (100 + 100)
    assert stored(proposal) == (pytest.approx(2.125), 2)
    assert_stored_is_computed(proposal)
    with pytest.raises(ProjectsError, match="weight cannot change"):
        services.update_criterion(heavy, by=coordinator, weight=Decimal("1"))
    assert stored(proposal) == (pytest.approx(2.125), 2)


def test_a_refused_evaluation_leaves_the_stored_score_as_it_was(criteria):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    services.submit_evaluation(proposal, by=steering_member(), scores={c: 4 for c in criteria})
    with pytest.raises(Exception):
        services.submit_evaluation(proposal, by=steering_member(), scores={criteria[0]: 9})
    assert stored(proposal) == (pytest.approx(4.0), 1)


def test_the_data_migration_fills_the_score_of_existing_proposals(criteria):
    scored = ProposalFactory(status=Status.IN_EVALUATION)
    for values in ([5, 4, 3, 2, 1], [2, 2, 2, 2, 2]):
        evaluation = EvaluationFactory(proposal=scored)
        for criterion, value in zip(criteria, values):
            ScoreFactory(evaluation=evaluation, criterion=criterion, value=value)
    conflicted = EvaluationFactory(proposal=scored, submitted_at=None, conflict_declared=True)
    unscored = ProposalFactory(status=Status.SUBMITTED)
    Proposal.objects.update(average_score=None, scored_count=0)  # as before the migration

    migration = importlib.import_module("projects.migrations.0004_proposal_stored_score")
    migration.fill_scores(apps, None)

    assert stored(scored) == (pytest.approx((3.15 + 2) / 2), 2)
    assert stored(unscored) == (None, 0)
    assert conflicted.proposal_id == scored.pk
    assert_stored_is_computed(scored)


def _proposals_scored(values, criteria):
    """One proposal in evaluation per value, each scored by a steering member through the service."""
    theme, lead = ThemeFactory(), OrganisationFactory(verified=True)
    now = timezone.now()
    proposals = []
    for n, value in enumerate(values):
        proposal = ProposalFactory(
            status=Status.IN_EVALUATION, title=f"Proposta {n}", theme=theme, lead_organisation=lead,
            submitted_at=now - timezone.timedelta(minutes=n),
        )
        if value is not None:
            services.submit_evaluation(proposal, by=steering_member(), scores={c: value for c in criteria})
        proposals.append(proposal)
    return proposals


def test_the_queue_sorts_on_the_stored_score_and_follows_a_new_evaluation(client, criteria):
    low, high, unscored, middle = _proposals_scored([1, 5, None, 3], criteria)
    member = steering_member()
    client.force_login(member)
    response = client.get(QUEUE)
    assert [p.title for p in response.context["page"].object_list] == [
        high.title, middle.title, low.title, unscored.title,
    ]
    services.submit_evaluation(low, by=member, scores={c: 5 for c in criteria})  # (1 + 5) / 2 = 3
    services.submit_evaluation(unscored, by=member, scores={c: 4 for c in criteria})
    response = client.get(QUEUE, {"sort": "score"})
    # middle and low tie at 3.0: the earlier submission (middle's) first
    assert [p.title for p in response.context["page"].object_list] == [
        high.title, unscored.title, middle.title, low.title,
    ]
    response = client.get(QUEUE, {"sort": "score_asc"})
    assert [p.title for p in response.context["page"].object_list] == [
        middle.title, low.title, unscored.title, high.title,
    ]


def test_the_queue_hides_the_stored_score_from_whoever_is_in_conflict(client, criteria):
    proposal, = _proposals_scored([4], criteria)
    conflicted = steering_member(organisation=proposal.lead_organisation, municipality=None)
    client.force_login(conflicted)
    row, = client.get(QUEUE).context["page"].object_list
    assert (row.weighted_score, row.evaluation_count) == (None, None)
    assert "4.00" not in client.get(QUEUE).content.decode()
    client.force_login(steering_member())
    row, = client.get(QUEUE).context["page"].object_list
    assert (row.weighted_score, row.evaluation_count) == (4.0, 1)


@pytest.mark.parametrize("rows", [3, 60])
def test_the_queue_sorted_by_score_costs_the_same_queries_at_any_size(client, criteria, rows,
                                                                      django_assert_max_num_queries):
    theme, lead = ThemeFactory(), OrganisationFactory(verified=True)
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(lead_organisation=lead, theme=theme, title=f"Proposta {n}", status=Status.IN_EVALUATION,
                 submitted_at=now - timezone.timedelta(minutes=n))
        for n in range(rows)
    )
    evaluator = steering_member()
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(proposal=p, evaluator=evaluator, submitted_at=now) for p in proposals
    )
    Score.objects.bulk_create(
        Score(evaluation=e, criterion=criteria[0], value=n % 6) for n, e in enumerate(evaluations)
    )
    Proposal.objects.refresh_scores()
    client.force_login(steering_member())
    # session, user, the queue permission (seat and authenticator app), count, the page's ids
    # (sorted on the stored score), its rows (conflicts and my work in subqueries), the theme
    # and municipality choices, the rubric link's seat check and the menu's.
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE)
    page = response.context["page"]
    assert page.paginator.count == rows
    shown = [p.weighted_score for p in page.object_list]
    assert shown == sorted(shown, reverse=True)
    assert shown[0] == min(rows - 1, 5)
