"""The feasibility evaluation: steering-group members score proposals in evaluation against
the active rubric, or declare a conflict of interest and do not score."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..conflicts import conflicting_organisations
from ..models import MAX_SCORE, MIN_SCORE, Criterion, Evaluation, Proposal, Rubric, Score
from .base import ProjectsError, require_active, require_perm, require_steering_member, split_fields
from .proposals import lock_proposal

__all__ = [
    "activate_rubric", "add_criterion", "create_rubric", "declare_conflict", "delete_criterion",
    "submit_evaluation", "update_criterion",
]
CRITERION_FIELDS = {"name", "description", "weight", "order"}

UNDER_REVIEW = (Proposal.Status.SUBMITTED, Proposal.Status.IN_EVALUATION)


def _active_rubric():
    rubric = Rubric.objects.active().prefetch_related("criteria").first()
    if rubric is None or not rubric.criteria.all():
        raise ProjectsError(_("There is no active evaluation rubric yet: the coordinator must set one first."))
    return rubric


def _clean_scores(rubric, scores):
    """Map every criterion of the rubric to an integer from 0 to 5, or raise a ValidationError
    under `scores` that names what is wrong."""
    criteria = {criterion.pk: criterion for criterion in rubric.criteria.all()}
    given = {getattr(criterion, "pk", criterion): value for criterion, value in scores.items()}
    errors = []
    unknown = set(given) - set(criteria)
    if unknown:
        errors.append(_("Score only the criteria of the active rubric."))
    missing = [str(criteria[pk]) for pk in criteria if given.get(pk) in (None, "")]
    if missing:
        errors.append(_("Score every criterion; missing: %(criteria)s.") % {"criteria": ", ".join(missing)})
    cleaned = {}
    for pk, value in given.items():
        if pk not in criteria or value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or str(number) != str(value).strip() or not MIN_SCORE <= number <= MAX_SCORE:
            errors.append(
                _("The score for “%(criterion)s” must be a whole number from %(min)d to %(max)d.")
                % {"criterion": criteria[pk], "min": MIN_SCORE, "max": MAX_SCORE}
            )
            continue
        cleaned[criteria[pk]] = number
    if errors:
        raise ValidationError({"scores": errors})
    return cleaned


def _refuse_if_conflicted(proposal, by, evaluation):
    if evaluation is not None and evaluation.conflict_declared:
        raise ProjectsError(_("You declared a conflict of interest with this proposal, so you cannot score it."))
    conflicts = list(conflicting_organisations(by, proposal))
    if conflicts:
        raise ProjectsError(
            _(
                "You have a conflict of interest: %(organisations)s, which you belong to or represent, "
                "is a partner in this proposal. Declare the conflict; you cannot score this proposal."
            )
            % {"organisations": ", ".join(str(org) for org in conflicts)}
        )


def _store_score(proposal):
    """Keep the proposal's weighted score in step with its evaluations; called inside the
    transaction that changed them, with the proposal's row locked (`lock_proposal`), so two
    evaluators saving at once cannot store a score that misses one of them."""
    Proposal.objects.filter(pk=proposal.pk).refresh_scores()


def submit_evaluation(proposal, *, by, scores, comment=""):
    """Score every criterion of the active rubric (0-5) and comment; a second call replaces
    the evaluator's earlier scores. Only current steering members, only proposals in evaluation,
    never with a conflict of interest."""
    require_active(by)
    require_steering_member(by)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        if proposal.status != Proposal.Status.IN_EVALUATION:
            raise ProjectsError(
                _("Only a proposal in evaluation can be scored; this one is “%(status)s”.")
                % {"status": proposal.get_status_display()}
            )
        evaluation = Evaluation.objects.filter(proposal=proposal, evaluator=by).first()
        _refuse_if_conflicted(proposal, by, evaluation)
        require_perm(by, "projects.evaluate_proposal", proposal)
        rubric = _active_rubric()
        cleaned = _clean_scores(rubric, scores)
        if evaluation is None:
            evaluation = Evaluation(proposal=proposal, evaluator=by)
        evaluation.rubric = rubric
        evaluation.comment = (comment or "").strip()
        evaluation.submitted_at = timezone.now()
        evaluation.save()
        evaluation.scores.exclude(criterion__in=list(cleaned)).delete()
        for criterion, value in cleaned.items():
            Score.objects.update_or_create(evaluation=evaluation, criterion=criterion, defaults={"value": value})
        _store_score(proposal)
    return evaluation


def declare_conflict(proposal, *, by, note=""):
    """Record the evaluator's conflict of interest; any scores they gave are removed. Anyone in
    the steering group may declare one, also for reasons the portal cannot see."""
    require_active(by)
    require_steering_member(by)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        if proposal.status not in UNDER_REVIEW:
            raise ProjectsError(_("A conflict of interest is declared while the proposal is under review."))
        if Evaluation.objects.filter(proposal=proposal, evaluator=by, conflict_declared=True).exists():
            raise ProjectsError(_("You have already declared a conflict of interest with this proposal."))
        require_perm(by, "projects.declare_conflict_proposal", proposal)
        evaluation, _created = Evaluation.objects.get_or_create(proposal=proposal, evaluator=by)
        note = (note or "").strip() or ", ".join(str(org) for org in conflicting_organisations(by, proposal))
        evaluation.scores.all().delete()
        evaluation.conflict_declared = True
        evaluation.conflict_note = note
        evaluation.conflict_declared_at = timezone.now()
        evaluation.submitted_at = None
        evaluation.save(update_fields=["conflict_declared", "conflict_note", "conflict_declared_at", "submitted_at"])
        _store_score(proposal)
    return evaluation


def activate_rubric(rubric, *, by):
    """Make this rubric the one new evaluations use; the previous one stays for the record."""
    require_active(by)
    require_perm(by, "projects.change_rubric", rubric)
    with transaction.atomic():
        rubrics = {r.pk: r for r in Rubric.objects.select_for_update().all()}
        rubric = rubrics[rubric.pk]
        if rubric.is_active:
            raise ProjectsError(_("This rubric is already the active one."))
        if not rubric.criteria.exists():
            raise ProjectsError(_("A rubric needs at least one criterion before it can be used."))
        Rubric.objects.filter(is_active=True).update(is_active=False)
        rubric.is_active = True
        rubric.save(update_fields=["is_active"])
    return rubric


def create_rubric(*, by, name, description=""):
    """A new, inactive rubric; add its criteria, then activate it."""
    require_active(by)
    require_perm(by, "projects.change_rubric")
    rubric = Rubric(name=name, description=description)
    rubric.full_clean()
    rubric.save()
    return rubric


def add_criterion(rubric, *, by, **data):
    require_active(by)
    require_perm(by, "projects.change_rubric", rubric)
    plain, _m2m = split_fields(data, CRITERION_FIELDS, (), "criterion")
    criterion = Criterion(rubric=rubric, **plain)
    criterion.full_clean()
    criterion.save()
    return criterion


def _has_scores(criterion):
    return Score.objects.filter(criterion=criterion).exists()


def update_criterion(criterion, *, by, **data):
    """Rename or reword a criterion at any time. Its weight changes only while nobody has used it:
    a new weight would silently change the averages of evaluations already given."""
    require_active(by)
    plain, _m2m = split_fields(data, CRITERION_FIELDS, (), "criterion")
    with transaction.atomic():
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
        require_perm(by, "projects.change_rubric", criterion.rubric)
        if "weight" in plain and plain["weight"] != criterion.weight and _has_scores(criterion):
            raise ProjectsError(
                _("This criterion has already been used in evaluations, so its weight cannot change: "
                  "create a new rubric instead.")
            )
        for name, value in plain.items():
            setattr(criterion, name, value)
        criterion.full_clean()
        criterion.save(update_fields=list(plain) or None)
    return criterion


def delete_criterion(criterion, *, by):
    require_active(by)
    with transaction.atomic():
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
        require_perm(by, "projects.change_rubric", criterion.rubric)
        if _has_scores(criterion):
            raise ProjectsError(_("This criterion has already been used in evaluations and cannot be removed."))
        criterion.delete()
