"""Project proposals (proposte progettuali), their recorded history and attachments.

A proposal is written by members of its lead organisation and moves through the statuses in
`Proposal.TRANSITIONS` only through projects.services.
"""

import os
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, FloatField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Membership, SteeringGroupMember
from welfare_portal.fields import (
    NAME_LENGTH,
    NOTE_LENGTH,
    TEXT_LENGTH,
    BoundedTextField,
    NameField,
    max_length_check,
)
from welfare_portal.models import StatusChange
from welfare_portal.two_factor import authenticator_apps

from ..attachments import name_with_extension, type_of, validate_attachment
from .evaluations import Evaluation, Score
from .partnership import Commitment, ProposalPartner


class ProposalQuerySet(models.QuerySet):
    def for_user(self, user, today=None):
        """The proposals `projects.view_proposal` lets the user see, in one query: those of the
        user's organisations as lead or as invited/accepted co-partner; for steering-group
        members and staff, also every proposal once it has been submitted."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        organisations = Membership.objects.accepted().filter(user=user).values("organisation_id")
        visible = Q(lead_organisation__in=organisations) | Q(
            pk__in=ProposalPartner.objects.filter(
                organisation__in=organisations, status__in=ProposalPartner.SEES_PROPOSAL
            ).values("proposal_id")
        )
        steering = SteeringGroupMember.objects.current(today).filter(user=user)
        # Their powers need two-factor authentication, as partners.rules says.
        two_factor = authenticator_apps(user)
        if user.is_staff:
            visible |= Q(models.Exists(two_factor), submitted_at__isnull=False)
        else:
            visible |= Q(models.Exists(steering), models.Exists(two_factor), submitted_at__isnull=False)
        return self.filter(visible)

    def refresh_scores(self):
        """Store on each proposal its weighted score (Σ score × weight / Σ weight over the
        submitted evaluations, None when nobody has scored) and how many evaluations it counts,
        in one UPDATE. projects.services.evaluations calls it whenever an evaluation changes,
        inside its transaction with the proposal locked, so the review queue sorts on a column
        instead of aggregating every score on each view."""
        scores = Score.objects.filter(
            evaluation__proposal=OuterRef("pk"),
            evaluation__submitted_at__isnull=False,
            evaluation__conflict_declared=False,
        ).order_by().values("evaluation__proposal")
        weighted = scores.annotate(
            average=Sum(Cast("value", FloatField()) * Cast("criterion__weight", FloatField()))
            / Sum(Cast("criterion__weight", FloatField()))
        ).values("average")
        counted = (
            Evaluation.objects.filter(
                proposal=OuterRef("pk"), submitted_at__isnull=False, conflict_declared=False,
            )
            .order_by().values("proposal")
            .annotate(count=models.Count("pk")).values("count")
        )
        return self.update(
            average_score=Subquery(weighted, output_field=FloatField()),
            scored_count=Coalesce(Subquery(counted, output_field=models.IntegerField()), 0),
        )

    def with_weighted_score(self, viewer=None):
        """Annotate `weighted_score` and `evaluation_count` from the stored score (see
        `refresh_scores`), sortable in the database.

        For a `viewer`, also annotate `conflict_of_interest` (theirs, which projects.rules reads
        instead of asking per row), and hide the score and the count (None) where it holds: a
        person in conflict sees no evaluation, not even the rank a sort by score would give."""
        if viewer is None or not viewer.is_authenticated:
            return self.annotate(weighted_score=F("average_score"), evaluation_count=F("scored_count"))
        from ..conflicts import conflict_of_interest  # which reads these models

        hidden = Q(conflict_of_interest=True)
        return self.annotate(
            conflict_of_interest=ExpressionWrapper(conflict_of_interest(viewer), output_field=models.BooleanField()),
            conflict_of_interest_of=Value(viewer.pk),
        ).annotate(
            weighted_score=Case(When(hidden, then=None), default=F("average_score"), output_field=FloatField()),
            evaluation_count=Case(
                When(hidden, then=None), default=F("scored_count"), output_field=models.IntegerField(),
            ),
        )

    def with_commitment_totals(self):
        """Annotate `commitment_total_eur`: the estimated euro value of every commitment."""
        totals = (
            Commitment.objects.filter(proposal=OuterRef("pk"))
            .order_by().values("proposal")
            .annotate(total=Sum("estimated_value_eur")).values("total")
        )
        decimal = models.DecimalField(max_digits=14, decimal_places=2)
        return self.annotate(
            commitment_total_eur=Coalesce(Subquery(totals, output_field=decimal), 0, output_field=decimal)
        )

    def with_access_data(self):
        """What the projects rules read, so checking permissions per row costs no query."""
        return self.select_related("lead_organisation").prefetch_related(
            "lead_organisation__memberships", "partners__organisation__memberships",
        )

    def review_queue(self, viewer=None):
        """Every proposal that has reached the steering group (submitted at least once), with
        what the review list shows and the weighted score to sort by (hidden where the `viewer`
        is in conflict, see `with_weighted_score`); a constant number of queries however long
        the list. Filter with `awaiting_review()` for the open ones."""
        return (
            self.filter(submitted_at__isnull=False)
            .select_related("lead_organisation", "theme", "focus_group")
            .prefetch_related("municipalities", "policy_areas", "target_groups", "partners__organisation")
            .with_weighted_score(viewer)
            .with_commitment_totals()
            .order_by(F("weighted_score").desc(nulls_last=True), "submitted_at", "pk")
        )

    def awaiting_review(self):
        return self.filter(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.IN_EVALUATION])


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("proposal status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
        IN_EVALUATION = "in_evaluation", pgettext_lazy("proposal status", "In evaluation")
        CHANGES_REQUESTED = "changes_requested", pgettext_lazy("proposal status", "Changes requested")
        APPROVED = "approved", pgettext_lazy("proposal status", "Approved")
        REJECTED = "rejected", pgettext_lazy("proposal status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.IN_EVALUATION, Status.WITHDRAWN},
        Status.IN_EVALUATION: {
            Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED, Status.WITHDRAWN,
        },
        Status.CHANGES_REQUESTED: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
    }
    # The lead edits the content, co-partners and commitments only in these statuses.
    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
    FINAL_STATUSES = (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)
    # Fields that must be filled before submitting; focus group and attachments are optional.
    REQUIRED_FOR_SUBMISSION = (
        "summary", "need", "objectives", "activities", "target_groups", "age_bands",
        "estimated_beneficiaries", "municipalities", "policy_areas", "start_date", "end_date",
        "rights", "duties", "indicators",
    )

    lead_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="led_proposals",
        verbose_name=_("lead partner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )
    title = NameField(_("title"), max_length=NAME_LENGTH)
    summary = BoundedTextField(_("summary"), max_length=NOTE_LENGTH, blank=True)
    theme = models.ForeignKey(
        "projects.Theme", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("theme"),
    )
    focus_group = models.ForeignKey(
        "projects.FocusGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals",
        verbose_name=_("focus group"), help_text=_("Optional: the focus group of the theme where it was built."),
    )
    need = BoundedTextField(_("need addressed"), max_length=TEXT_LENGTH, blank=True)
    objectives = BoundedTextField(_("objectives"), max_length=TEXT_LENGTH, blank=True)
    activities = BoundedTextField(_("activities"), max_length=TEXT_LENGTH, blank=True)
    target_groups = models.ManyToManyField(
        "welfare_portal.TargetGroup", blank=True, related_name="proposals", verbose_name=_("target groups"),
    )
    age_bands = models.ManyToManyField(
        "welfare_portal.AgeBand", blank=True, related_name="proposals", verbose_name=_("age bands"),
    )
    estimated_beneficiaries = models.PositiveIntegerField(
        _("estimated number of beneficiaries"), null=True, blank=True,
    )
    municipalities = models.ManyToManyField(
        "welfare_portal.Municipality", blank=True, related_name="proposals",
        verbose_name=_("municipalities covered"),
    )
    policy_areas = models.ManyToManyField(
        "welfare_portal.PolicyArea", blank=True, related_name="proposals",
        verbose_name=_("policy areas networked"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    rights = BoundedTextField(
        _("rights guaranteed"), max_length=TEXT_LENGTH, blank=True, help_text=_("The rights the project guarantees to the people it serves."),
    )
    duties = BoundedTextField(
        _("duties asked"), max_length=TEXT_LENGTH, blank=True,
        help_text=_("The social duties the project asks of beneficiaries and partners in return."),
    )
    indicators = BoundedTextField(_("indicators"), max_length=TEXT_LENGTH, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, editable=False,
        help_text=_("The latest submission; set once the proposal reaches the steering group."),
    )
    changes_requested_note = BoundedTextField(
        _("changes requested"), max_length=TEXT_LENGTH, blank=True, editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("decided by"),
    )
    decision_motivation = BoundedTextField(
        _("motivation of the decision"), max_length=TEXT_LENGTH, blank=True, editable=False,
    )
    # Kept by projects.services.evaluations (ProposalQuerySet.refresh_scores); read through
    # `with_weighted_score`, which hides them from whoever is in conflict of interest.
    average_score = models.FloatField(_("weighted score"), null=True, blank=True, editable=False)
    scored_count = models.PositiveIntegerField(_("evaluations scored"), default=0, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="proposal_status_submitted_idx"),
            models.Index(fields=["average_score", "submitted_at"], name="proposal_score_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="proposal_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_beneficiaries__isnull=True) | Q(estimated_beneficiaries__gt=0),
                name="proposal_beneficiaries_positive",
                violation_error_message=_("The estimated number of beneficiaries must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft", "submitted", "in_evaluation", "changes_requested", "approved",
                        "rejected", "withdrawn",
                    ]
                ),
                name="proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn") | Q(submitted_at__isnull=False),
                name="proposal_submitted_has_submitted_at",
            ),
            max_length_check("summary", NOTE_LENGTH),
            *(
                max_length_check(name, TEXT_LENGTH)
                for name in (
                    "need", "objectives", "activities", "rights", "duties", "indicators",
                    "changes_requested_note", "decision_motivation",
                )
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.focus_group_id is not None and self.theme_id is not None:
            if self.focus_group.theme_id != self.theme_id:
                raise ValidationError(
                    {"focus_group": _("Choose a focus group of the proposal's theme.")}, code="focus_group_theme",
                )

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_final(self):
        return self.status in self.FINAL_STATUSES

    def missing_for_submission(self):
        """Labels of the required fields still empty, in form order."""
        missing = []
        for name in self.REQUIRED_FOR_SUBMISSION:
            field = self._meta.get_field(name)
            if field.many_to_many:
                empty = not getattr(self, name).exists()
            else:
                value = getattr(self, name)
                empty = value is None or (isinstance(value, str) and not value.strip())
            if empty:
                missing.append(str(field.verbose_name))
        return missing


class ProposalStatusChange(StatusChange):
    """One row per status move of a proposal: who, from, to, when, and the note (the
    motivation, for changes requested and decisions)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("proposal"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Proposal.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("proposal status change")
        verbose_name_plural = _("proposal status changes")

    def __str__(self):
        return f"{self.proposal}: {self.from_status or '-'} → {self.to_status}"


def attachment_upload_to(instance, filename):
    """A random name, with the extension of the type read from the content: the stored path
    reveals neither the proposal nor the original name and cannot be guessed."""
    extension = instance.extension or os.path.splitext(filename)[1].lower()
    return f"projects/attachments/{secrets.token_urlsafe(24)}{extension}"


class Attachment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("proposal"),
    )
    file = models.FileField(
        _("file"), upload_to=attachment_upload_to, max_length=255, validators=[validate_attachment],
    )
    original_name = NameField(_("original name"), max_length=255, editable=False)
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["proposal", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def extension(self):
        kind = type_of(self.content_type)
        return kind.extension if kind else ""

    @property
    def download_name(self):
        """The name offered on download, ending with the extension of the type read from the
        content (names stored before that rule may not)."""
        kind = type_of(self.content_type)
        return name_with_extension(self.original_name, kind) if kind else self.original_name
