"""The cronoprogramma: deadlines for each phase of the process, kept by the steering group."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import NAME_LENGTH, NOTE_LENGTH, BoundedTextField, NameField, max_length_check


class Phase(models.TextChoices):
    """The phases of the seed's cronoprogramma, in order."""

    STEERING_GROUP = "steering_group", _("Steering group")
    FOCUS_GROUPS = "focus_groups", _("Focus groups")
    PROPOSALS = "proposals", _("Project proposals")
    DRAFTING = "drafting", _("Drafting of the Carta and the Patto")
    APPROVAL = "approval", _("Approval")
    SIGNING = "signing", _("Signing")


class MilestoneStatus(models.TextChoices):
    DONE = "done", _("Done")
    DUE = "due", _("Due")
    LATE = "late", _("Late")


class MilestoneQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Annotate `current_status` (done / due / late), as `Milestone.status` computes it, so
        an overview can filter and count in the database."""
        today = today or timezone.localdate()
        return self.annotate(
            current_status=Case(
                When(done_date__isnull=False, then=Value(MilestoneStatus.DONE.value)),
                When(due_date__lt=today, then=Value(MilestoneStatus.LATE.value)),
                default=Value(MilestoneStatus.DUE.value),
                output_field=models.CharField(),
            )
        )


class Milestone(models.Model):
    Status = MilestoneStatus

    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    title = NameField(_("title"), max_length=NAME_LENGTH)
    description = BoundedTextField(_("description"), max_length=NOTE_LENGTH, blank=True)
    due_date = models.DateField(_("due date"))
    done_date = models.DateField(_("done on"), null=True, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers are listed first within a phase."),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("marked done by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__in=[value for value, _label in Phase.choices]),
                name="milestone_phase_valid",
            ),
            models.UniqueConstraint(
                fields=["phase", "title"], name="milestone_title_unique_per_phase",
                violation_error_message=_("This phase already has a milestone with this title."),
            ),
            max_length_check("description", NOTE_LENGTH),
        ]

    def __str__(self):
        return self.title

    def status_on(self, today: datetime.date):
        if self.done_date is not None:
            return MilestoneStatus.DONE
        if self.due_date < today:
            return MilestoneStatus.LATE
        return MilestoneStatus.DUE

    @property
    def status(self):
        """Done once it has a done date; late when not done and past its due date; due otherwise."""
        return self.status_on(timezone.localdate())
