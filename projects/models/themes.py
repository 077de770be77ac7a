"""Themes (tematiche): what the steering group asks partners to design projects about, each
with the call window during which proposals can be submitted under it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import NAME_LENGTH, TEXT_LENGTH, BoundedTextField, NameField, max_length_check


class ThemeQuerySet(models.QuerySet):
    def open_calls(self, now=None):
        now = now or timezone.now()
        return self.filter(call_opens_at__lte=now, call_closes_at__gt=now)


class Theme(models.Model):
    title = NameField(_("title"), max_length=NAME_LENGTH, unique=True)
    description = BoundedTextField(_("description"), max_length=TEXT_LENGTH, blank=True)
    policy_areas = models.ManyToManyField(
        "welfare_portal.PolicyArea", blank=True, related_name="themes", verbose_name=_("policy areas"),
    )
    call_opens_at = models.DateTimeField(
        _("call opens at"), help_text=_("From this moment proposals can be submitted under the theme."),
    )
    call_closes_at = models.DateTimeField(
        _("call closes at"), help_text=_("Proposals can be submitted until this moment, excluded."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-call_opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(call_closes_at__gt=F("call_opens_at")),
                name="theme_call_closes_after_it_opens",
                violation_error_message=_("The call must close after it opens."),
            ),
            max_length_check("description", TEXT_LENGTH),
        ]

    def __str__(self):
        return self.title

    def is_call_open(self, now=None):
        """Whether proposals can be submitted now: the opening moment included, the closing excluded."""
        now = now or timezone.now()
        return self.call_opens_at <= now < self.call_closes_at
