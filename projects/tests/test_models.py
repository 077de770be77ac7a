"""Reference data, constraints the database enforces, and the models' read-only logic."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.models import (
    Attendance,
    Commitment,
    CommitmentKind,
    Criterion,
    Evaluation,
    Meeting,
    Milestone,
    Phase,
    Proposal,
    ProposalPartner,
    Rubric,
    Score,
    Theme,
)
from projects.tests.factories import (
    CommitmentFactory,
    CompleteProposalFactory,
    CriterionFactory,
    EvaluationFactory,
    FocusGroupFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganisationFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    RubricFactory,
    ScoreFactory,
    ThemeFactory,
)
from welfare_portal.models import AgeBand, PolicyArea, TargetGroup

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


# Reference data


def test_policy_areas_cover_the_nine_areas_the_issue_lists():
    assert list(PolicyArea.objects.values_list("slug", flat=True)) == [
        "work", "housing", "land-use", "transport", "education", "vocational-training",
        "social-services", "health-services", "local-taxation-and-tariffs",
    ]


def test_target_groups_are_loaded_by_the_data_migration_in_order():
    assert list(TargetGroup.objects.values_list("name", flat=True)) == [
        "Famiglie", "Minori", "Giovani", "Anziani", "Persone con disabilità", "Persone in povertà",
        "Migranti", "Caregiver",
    ]


def test_staff_can_add_more_target_groups():
    TargetGroup.objects.create(name="Detenuti ed ex detenuti", slug="prisoners", position=90)
    assert TargetGroup.objects.count() == 9


def test_age_bands_are_loaded_in_age_order_with_an_open_last_band():
    assert list(AgeBand.objects.values_list("label", "min_age", "max_age")) == [
        ("0-5 anni", 0, 5), ("6-13 anni", 6, 13), ("14-17 anni", 14, 17), ("18-29 anni", 18, 29),
        ("30-64 anni", 30, 64), ("65 anni e oltre", 65, None),
    ]


def test_age_band_upper_age_cannot_be_below_lower_age():
    _violates(lambda: AgeBand.objects.create(label="Sbagliata", min_age=10, max_age=5))


def test_the_feasibility_rubric_with_five_weighted_criteria_is_active():
    rubric = Rubric.objects.active().get()
    assert list(rubric.criteria.values_list("name", "weight")) == [
        ("Bisogno coperto", Decimal("25")), ("Integrazione tra politiche", Decimal("20")),
        ("Partenariato", Decimal("20")), ("Sostenibilità", Decimal("15")),
        ("Fattibilità del piano", Decimal("20")),
    ]


# Themes


def test_theme_call_must_close_after_it_opens():
    now = timezone.now()
    theme = Theme(title="Casa", call_opens_at=now, call_closes_at=now)
    with pytest.raises(ValidationError, match="The call must close after it opens"):
        theme.full_clean()
    _violates(lambda: Theme.objects.create(title="Casa", call_opens_at=now, call_closes_at=now - DAY))


def test_is_call_open_includes_the_opening_and_excludes_the_closing_moment():
    theme = ThemeFactory()
    assert theme.is_call_open()
    assert theme.is_call_open(theme.call_opens_at)
    assert not theme.is_call_open(theme.call_opens_at - datetime.timedelta(seconds=1))
    assert not theme.is_call_open(theme.call_closes_at)
    assert list(Theme.objects.open_calls()) == [theme]
    ThemeFactory(closed=True)
    ThemeFactory(upcoming=True)
    assert list(Theme.objects.open_calls()) == [theme]


# Focus groups and meetings


def test_meeting_needs_a_place_or_an_online_link():
    focus_group = FocusGroupFactory()
    meeting = Meeting(focus_group=focus_group, starts_at=timezone.now())
    with pytest.raises(ValidationError, match="Give the place of the meeting, its online link, or both"):
        meeting.full_clean()
    _violates(lambda: Meeting.objects.create(focus_group=focus_group, starts_at=timezone.now()))
    Meeting(focus_group=focus_group, starts_at=timezone.now(), online_url="https://meet.example.org/abc").full_clean()


@pytest.mark.parametrize("url", ["ftp://files.example.org/x", "javascript:alert(1)", "meet.example.org"])
def test_meeting_online_link_must_be_http_or_https(url):
    meeting = Meeting(focus_group=FocusGroupFactory(), starts_at=timezone.now(), online_url=url)
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert "online_url" in excinfo.value.message_dict


def test_empty_minutes_cannot_be_published_even_bypassing_the_service():
    meeting = MeetingFactory()
    meeting.minutes_published_at = timezone.now()
    _violates(lambda: meeting.save())


def test_attendance_is_unique_per_meeting_and_organisation():
    meeting = MeetingFactory()
    organisation = OrganisationFactory(verified=True)
    Attendance.objects.create(meeting=meeting, organisation=organisation, present=True)
    _violates(lambda: Attendance.objects.create(meeting=meeting, organisation=organisation, present=False))


# Timeline


def test_milestone_status_done_due_late():
    today = timezone.localdate()
    done = MilestoneFactory(due_date=today - 5 * DAY, done_date=today - 6 * DAY)
    late = MilestoneFactory(due_date=today - DAY)
    due_today = MilestoneFactory(due_date=today)
    due = MilestoneFactory(due_date=today + DAY)
    assert [m.status for m in (done, late, due_today, due)] == [
        Milestone.Status.DONE, Milestone.Status.LATE, Milestone.Status.DUE, Milestone.Status.DUE,
    ]
    annotated = dict(Milestone.objects.with_status().values_list("pk", "current_status"))
    assert annotated == {done.pk: "done", late.pk: "late", due_today.pk: "due", due.pk: "due"}


def test_milestone_phases_follow_the_seed():
    assert [phase.value for phase in Phase] == [
        "steering_group", "focus_groups", "proposals", "drafting", "approval", "signing",
    ]


# Proposals


def test_proposal_end_date_cannot_be_before_start_date():
    proposal = ProposalFactory(start_date=timezone.localdate())
    proposal.end_date = proposal.start_date - DAY
    with pytest.raises(ValidationError, match="The end date cannot be before the start date"):
        proposal.full_clean()
    _violates(lambda: proposal.save())


def test_proposal_beneficiaries_must_be_positive():
    proposal = ProposalFactory()
    proposal.estimated_beneficiaries = 0
    _violates(lambda: proposal.save())


def test_proposal_focus_group_must_belong_to_its_theme():
    proposal = ProposalFactory()
    proposal.focus_group = FocusGroupFactory()
    with pytest.raises(ValidationError) as excinfo:
        proposal.full_clean()
    assert excinfo.value.message_dict["focus_group"] == ["Choose a focus group of the proposal's theme."]
    proposal.focus_group = FocusGroupFactory(theme=proposal.theme)
    proposal.full_clean()


def test_submitted_proposal_must_have_a_submission_time():
    _violates(lambda: ProposalFactory(status=Proposal.Status.SUBMITTED, submitted_at=None))


def test_missing_for_submission_lists_the_empty_required_fields():
    proposal = ProposalFactory(summary="Sintesi", estimated_beneficiaries=10)
    missing = proposal.missing_for_submission()
    assert "summary" not in missing and "estimated number of beneficiaries" not in missing
    assert missing == [
        "need addressed", "objectives", "activities", "target groups", "age bands",
        "municipalities covered", "policy areas networked", "start date", "end date",
        "rights guaranteed", "duties asked", "indicators",
    ]
    assert CompleteProposalFactory().missing_for_submission() == []


def test_proposal_transitions_cover_every_status_and_final_ones_lead_nowhere():
    assert set(Proposal.TRANSITIONS) == set(Proposal.Status)
    for status in Proposal.FINAL_STATUSES:
        assert Proposal.TRANSITIONS[status] == set()
    for status in set(Proposal.Status) - set(Proposal.FINAL_STATUSES):
        assert Proposal.Status.WITHDRAWN in Proposal.TRANSITIONS[status]


# Co-partners and commitments


def test_co_partner_is_unique_per_proposal_and_organisation():
    partner = ProposalPartnerFactory()
    _violates(lambda: ProposalPartner.objects.create(proposal=partner.proposal, organisation=partner.organisation))


@pytest.mark.parametrize("field, value", [("quantity", Decimal("0")), ("estimated_value_eur", Decimal("-1"))])
def test_commitment_quantity_positive_and_value_not_negative(field, value):
    _violates(lambda: CommitmentFactory(**{field: value}))


def test_commitment_totals_per_proposal_and_per_organisation_in_one_query(django_assert_num_queries):
    proposal = ProposalFactory()
    partner = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    CommitmentFactory(proposal=proposal, estimated_value_eur=Decimal("1000"))
    CommitmentFactory(proposal=proposal, kind=CommitmentKind.MONEY, quantity=5000, unit="euro",
                      estimated_value_eur=Decimal("5000"))
    CommitmentFactory(proposal=proposal, organisation=partner.organisation, kind=CommitmentKind.PREMISES,
                      quantity=1, unit="sala", estimated_value_eur=Decimal("800.50"))
    ProposalFactory()  # no commitments: total 0
    with django_assert_num_queries(1):
        totals = dict(Proposal.objects.with_commitment_totals().values_list("pk", "commitment_total_eur"))
    assert totals[proposal.pk] == Decimal("6800.50")
    assert sorted(totals.values())[0] == 0
    with django_assert_num_queries(1):
        by_organisation = list(Commitment.objects.filter(proposal=proposal).totals_by_organisation())
    assert {row["organisation_id"]: row["total_value"] for row in by_organisation} == {
        proposal.lead_organisation_id: Decimal("6000"), partner.organisation_id: Decimal("800.50"),
    }
    counts = {row["organisation_id"]: row["commitment_count"] for row in by_organisation}
    assert counts[proposal.lead_organisation_id] == 2
    by_kind = {row["kind"]: row["total_value"] for row in Commitment.objects.filter(proposal=proposal).totals_by_kind()}
    assert by_kind["money"] == Decimal("5000")


# Evaluation


def test_only_one_rubric_can_be_active():
    _violates(lambda: Rubric.objects.create(name="Seconda", is_active=True))


def test_criterion_weight_must_be_positive():
    _violates(lambda: CriterionFactory(weight=0))


@pytest.mark.parametrize("value", [6, 10])
def test_score_goes_from_0_to_5(value):
    _violates(lambda: ScoreFactory(value=value))


def test_evaluation_unique_per_proposal_and_evaluator_and_conflicted_not_submitted():
    evaluation = EvaluationFactory()
    _violates(lambda: Evaluation.objects.create(proposal=evaluation.proposal, evaluator=evaluation.evaluator))
    evaluation.conflict_declared = True
    _violates(lambda: evaluation.save())


def test_weighted_score_is_the_weighted_average_of_submitted_scores():
    rubric = RubricFactory()
    need = CriterionFactory(rubric=rubric, weight=Decimal("3"))
    plan = CriterionFactory(rubric=rubric, weight=Decimal("1"))
    proposal = ProposalFactory(status=Proposal.Status.IN_EVALUATION)
    first = EvaluationFactory(proposal=proposal)
    ScoreFactory(evaluation=first, criterion=need, value=5)
    ScoreFactory(evaluation=first, criterion=plan, value=1)  # (15 + 1) / 4 = 4
    second = EvaluationFactory(proposal=proposal)
    ScoreFactory(evaluation=second, criterion=need, value=2)
    ScoreFactory(evaluation=second, criterion=plan, value=2)  # 2
    unsubmitted = EvaluationFactory(proposal=proposal, submitted_at=None)
    ScoreFactory(evaluation=unsubmitted, criterion=need, value=0)
    unscored = ProposalFactory(status=Proposal.Status.IN_EVALUATION)

    rows = {p.pk: p for p in Proposal.objects.with_weighted_score()}
    assert rows[proposal.pk].weighted_score == pytest.approx(3.0)
    assert rows[proposal.pk].evaluation_count == 2
    assert rows[unscored.pk].weighted_score is None
    assert rows[unscored.pk].evaluation_count == 0
    assert first.weighted_average == pytest.approx(4.0)
    assert Score.objects.count() == 5
    assert Criterion.objects.filter(rubric=rubric).count() == 2
