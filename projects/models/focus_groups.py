"""Focus groups: per theme, partner organisations meet with facilitators from the steering
group, build proposals together and record meetings, minutes and attendance.

Memberships and minutes change only through projects.services.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welfare_portal.fields import (
    LONG_TEXT_LENGTH,
    NAME_LENGTH,
    TEXT_LENGTH,
    BoundedTextField,
    NameField,
    max_length_check,
)

validate_http_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address that starts with http:// or https://."),
)


class FocusGroup(models.Model):
    theme = models.ForeignKey(
        "projects.Theme", on_delete=models.PROTECT, related_name="focus_groups", verbose_name=_("theme"),
    )
    title = NameField(_("title"), max_length=NAME_LENGTH)
    description = BoundedTextField(_("description"), max_length=TEXT_LENGTH, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_focus_groups",
        verbose_name=_("facilitators"),
        help_text=_("Current members of the steering group who run the focus group."),
    )
    organisations = models.ManyToManyField(
        "partners.Organisation", through="projects.FocusGroupMembership", related_name="focus_groups",
        verbose_name=_("organisations"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")
        ordering = ["theme__title", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "title"], name="focus_group_title_unique_per_theme",
                violation_error_message=_("This theme already has a focus group with this title."),
            ),
            max_length_check("description", TEXT_LENGTH),
        ]

    def __str__(self):
        return self.title


class FocusGroupMembership(models.Model):
    """An organisation's place in a focus group. It starts either as a request (a referent of
    the organisation asks; a facilitator decides) or as an invitation (a facilitator invites; a
    referent of the organisation decides). A declined one can be asked or invited again."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("focus group membership status", "Requested")
        INVITED = "invited", pgettext_lazy("focus group membership status", "Invited")
        ACCEPTED = "accepted", pgettext_lazy("focus group membership status", "Accepted")
        DECLINED = "declined", pgettext_lazy("focus group membership status", "Declined")

    TRANSITIONS = {
        Status.REQUESTED: {Status.ACCEPTED, Status.DECLINED},
        Status.INVITED: {Status.ACCEPTED, Status.DECLINED},
        Status.ACCEPTED: set(),
        Status.DECLINED: {Status.REQUESTED, Status.INVITED},
    }

    focus_group = models.ForeignKey(
        FocusGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("focus group"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="focus_group_memberships",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, editable=False)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("asked by"),
        help_text=_("The referent who asked to join, or the facilitator who invited."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("focus group membership")
        verbose_name_plural = _("focus group memberships")
        ordering = ["focus_group", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_group", "organisation"], name="focus_group_membership_unique",
                violation_error_message=_("This organisation is already in this focus group."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "invited", "accepted", "declined"]),
                name="focus_group_membership_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.focus_group} ({self.get_status_display()})"

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())


class Meeting(models.Model):
    """An incontro of a focus group, in a place, online, or both. Minutes are written by the
    facilitators and reach the members once published; published minutes no longer change."""

    focus_group = models.ForeignKey(
        FocusGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("focus group"),
    )
    title = NameField(_("title"), max_length=NAME_LENGTH, blank=True)
    starts_at = models.DateTimeField(_("start"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(
        _("online meeting link"), max_length=500, blank=True, validators=[validate_http_url],
    )
    agenda = BoundedTextField(_("agenda"), max_length=TEXT_LENGTH, blank=True)
    minutes = BoundedTextField(_("minutes"), max_length=LONG_TEXT_LENGTH, blank=True)
    minutes_published_at = models.DateTimeField(
        _("minutes published at"), null=True, blank=True, editable=False,
    )
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("minutes published by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="meeting_has_place_or_online_url",
                violation_error_message=_("Give the place of the meeting, its online link, or both."),
            ),
            models.CheckConstraint(
                condition=Q(online_url="")
                | Q(online_url__istartswith="http://")
                | Q(online_url__istartswith="https://"),
                name="meeting_online_url_is_http",
                violation_error_message=_("Enter a web address that starts with http:// or https://."),
            ),
            models.CheckConstraint(
                condition=Q(minutes_published_at__isnull=True) | ~Q(minutes=""),
                name="meeting_published_minutes_not_empty",
                violation_error_message=_("Empty minutes cannot be published."),
            ),
            max_length_check("agenda", TEXT_LENGTH),
            max_length_check("minutes", LONG_TEXT_LENGTH),
        ]

    def __str__(self):
        label = self.title or self.focus_group.title
        return f"{label} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def minutes_published(self):
        return self.minutes_published_at is not None


class Attendance(models.Model):
    """Whether a member organisation was present at a meeting; one row per organisation."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="meeting_attendances",
        verbose_name=_("organisation"),
    )
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="attendance_one_per_meeting_and_organisation",
                violation_error_message=_("Attendance for this organisation is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.meeting}"
