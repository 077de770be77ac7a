"""The feasibility evaluation: a rubric of weighted criteria set by the steering group, and
each evaluator's scores and comment on a proposal. An evaluator whose organisation is a partner
in the proposal declares the conflict and does not score it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import (
    NAME_LENGTH,
    NOTE_LENGTH,
    TEXT_LENGTH,
    BoundedTextField,
    NameField,
    max_length_check,
)

MIN_SCORE = 0
MAX_SCORE = 5


class RubricQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Rubric(models.Model):
    """A set of criteria. Exactly one is active at a time: the one new evaluations use."""

    name = NameField(_("name"), max_length=NAME_LENGTH, unique=True)
    description = BoundedTextField(_("description"), max_length=NOTE_LENGTH, blank=True)
    is_active = models.BooleanField(_("active"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = RubricQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation rubric")
        verbose_name_plural = _("evaluation rubrics")
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="rubric_one_active",
                violation_error_message=_("Only one rubric can be active at a time."),
            ),
            max_length_check("description", NOTE_LENGTH),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric"))
    name = NameField(_("name"), max_length=NAME_LENGTH)
    description = BoundedTextField(_("description"), max_length=NOTE_LENGTH, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1,
        help_text=_("How much the criterion counts in the weighted average; greater than zero."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="criterion_weight_positive",
                violation_error_message=_("The weight must be greater than zero."),
            ),
            models.UniqueConstraint(
                fields=["rubric", "name"], name="criterion_name_unique_per_rubric",
                violation_error_message=_("This rubric already has a criterion with this name."),
            ),
            max_length_check("description", NOTE_LENGTH),
        ]

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    """One evaluator's work on one proposal: scores per criterion and a comment, or a declared
    conflict of interest, in which case it holds no scores."""

    proposal = models.ForeignKey(
        "projects.Proposal", on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("proposal"),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_evaluations",
        verbose_name=_("evaluator"),
    )
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="evaluations",
        verbose_name=_("rubric"),
    )
    comment = BoundedTextField(_("comment"), max_length=TEXT_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    conflict_declared = models.BooleanField(_("conflict of interest declared"), default=False, editable=False)
    # Longer than the note a person types: without one, the service writes the conflicting organisations.
    conflict_note = BoundedTextField(_("conflict of interest"), max_length=TEXT_LENGTH, blank=True, editable=False)
    conflict_declared_at = models.DateTimeField(
        _("conflict declared at"), null=True, blank=True, editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["proposal", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator"], name="evaluation_one_per_proposal_and_evaluator",
                violation_error_message=_("This person has already evaluated this proposal."),
            ),
            models.CheckConstraint(
                condition=Q(conflict_declared=False) | Q(submitted_at__isnull=True),
                name="evaluation_conflicted_not_submitted",
                violation_error_message=_("An evaluator with a conflict of interest cannot score the proposal."),
            ),
            max_length_check("comment", TEXT_LENGTH),
            max_length_check("conflict_note", TEXT_LENGTH),
        ]

    def __str__(self):
        return f"{self.evaluator} – {self.proposal}"

    @property
    def weighted_average(self):
        """Σ(score × weight) / Σ weight over this evaluation's scores; reads prefetched scores."""
        scores = list(self.scores.all())
        total_weight = sum(score.criterion.weight for score in scores)
        if not total_weight:
            return None
        return float(sum(score.value * score.criterion.weight for score in scores) / total_weight)


class Score(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluation"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion"),
    )
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["evaluation", "criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="score_one_per_evaluation_and_criterion",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=MIN_SCORE) & Q(value__lte=MAX_SCORE),
                name="score_value_between_0_and_5",
                violation_error_message=_("A score goes from 0 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"
