"""The Carta della cittadinanza in versions.

The steering group writes a draft (texts and the approved proposals it lists), approves it —
which freezes the whole content in `CharterVersion.snapshot` — and publishes it. Statuses move
only through charter.services, along `CharterVersion.TRANSITIONS`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welfare_portal.fields import INTRODUCTION_LENGTH, NAME_LENGTH, BoundedTextField, NameField, max_length_check
from welfare_portal.models import StatusChange


class Charter(models.Model):
    """The document of one ambito; its content lives in its versions."""

    title = NameField(_("title"), max_length=NAME_LENGTH)
    ambito_name = NameField(
        _("ambito"), max_length=NAME_LENGTH, unique=True,
        help_text=_("The territorial area whose partnership the Carta belongs to."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Carta della cittadinanza")
        verbose_name_plural = _("Carte della cittadinanza")
        ordering = ["ambito_name"]

    def __str__(self):
        return f"{self.title} – {self.ambito_name}"


class CharterVersionQuerySet(models.QuerySet):
    def public(self):
        """Versions anyone may read: the published one and those it superseded."""
        return self.filter(status__in=CharterVersion.PUBLIC_STATUSES)

    def published(self):
        return self.filter(status=CharterVersion.Status.PUBLISHED)


class CharterVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("Carta version status", "Draft")
        APPROVED = "approved", pgettext_lazy("Carta version status", "Approved")
        PUBLISHED = "published", pgettext_lazy("Carta version status", "Published")
        SUPERSEDED = "superseded", pgettext_lazy("Carta version status", "Superseded")

    TRANSITIONS = {
        Status.DRAFT: {Status.APPROVED},
        # An approved version that was never published is superseded when a later one is.
        Status.APPROVED: {Status.PUBLISHED, Status.SUPERSEDED},
        Status.PUBLISHED: {Status.SUPERSEDED},
        Status.SUPERSEDED: set(),
    }
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED)
    FROZEN_STATUSES = (Status.APPROVED, Status.PUBLISHED, Status.SUPERSEDED)

    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="versions", verbose_name=_("Carta"),
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False,
    )
    introduction = BoundedTextField(_("introduction"), max_length=INTRODUCTION_LENGTH, blank=True)
    principles = BoundedTextField(_("principles"), max_length=INTRODUCTION_LENGTH, blank=True)
    snapshot = models.JSONField(
        _("frozen content"), null=True, blank=True, editable=False,
        help_text=_("The whole content as it stood at approval; later edits never change it."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("published by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Carta version")
        verbose_name_plural = _("Carta versions")
        ordering = ["charter", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "number"], name="charter_version_number_unique",
                violation_error_message=_("This Carta already has a version with this number."),
            ),
            models.UniqueConstraint(
                fields=["charter"], condition=Q(status="published"), name="charter_one_published_version",
                violation_error_message=_("Only one version of the Carta can be published at a time."),
            ),
            models.UniqueConstraint(
                fields=["charter"], condition=Q(status="draft"), name="charter_one_draft_version",
                violation_error_message=_("The Carta already has a draft version."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "published", "superseded"]),
                name="charter_version_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(snapshot__isnull=False, approved_at__isnull=False),
                name="charter_version_frozen_has_snapshot",
            ),
            max_length_check("introduction", INTRODUCTION_LENGTH),
            max_length_check("principles", INTRODUCTION_LENGTH),
        ]

    def __str__(self):
        return _("%(charter)s, version %(number)s") % {"charter": self.charter.title, "number": self.number}

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self):
        return self.status in self.FROZEN_STATUSES

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES


class CharterVersionStatusChange(StatusChange):
    """One row per status move of a version: who, from, to, when, and the note."""

    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("version"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=CharterVersion.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=CharterVersion.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("Carta version status change")
        verbose_name_plural = _("Carta version status changes")

    def __str__(self):
        return f"{self.version}: {self.from_status or '-'} → {self.to_status}"


class CharterItem(models.Model):
    """An approved proposal listed in a version. `position` orders the whole Carta; projects
    are shown grouped by theme, each theme where its first project stands."""

    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version"),
    )
    proposal = models.ForeignKey(
        "projects.Proposal", on_delete=models.PROTECT, related_name="charter_items", verbose_name=_("project"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("project in the Carta")
        verbose_name_plural = _("projects in the Carta")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "proposal"], name="charter_item_unique_per_version",
                violation_error_message=_("This project is already in this version of the Carta."),
            ),
        ]

    def __str__(self):
        return f"{self.version}: {self.proposal}"
