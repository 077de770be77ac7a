"""Public events of the partnership, such as the launch event, with registrations."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welfare_portal.fields import NAME_LENGTH, TEXT_LENGTH, BoundedTextField, NameField, max_length_check


class Event(models.Model):
    """An event anyone can register for; past capacity, people join a waiting list."""

    title = NameField(_("title"), max_length=NAME_LENGTH)
    starts_at = models.DateTimeField(_("start"))
    place = models.CharField(_("place"), max_length=250)
    description = BoundedTextField(_("description"), max_length=TEXT_LENGTH, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("Seats available; further registrations go on the waiting list.")
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            max_length_check("description", TEXT_LENGTH),
        ]

    def __str__(self):
        return self.title

    @property
    def is_past(self):
        return self.starts_at < timezone.now()


def new_cancel_token():
    return secrets.token_urlsafe(24)


class EventRegistration(models.Model):
    """One person's registration. The cancellation link carries `cancel_token`."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("event registration status", "Confirmed")
        WAITING = "waiting", pgettext_lazy("event registration status", "On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("event registration status", "Cancelled")

    TRANSITIONS = {
        Status.CONFIRMED: {Status.CANCELLED},
        Status.WAITING: {Status.CONFIRMED, Status.CANCELLED},
        Status.CANCELLED: set(),
    }

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = NameField(_("full name"), max_length=NAME_LENGTH)
    email = models.EmailField(_("email"))
    organisation_name = NameField(_("organisation"), max_length=NAME_LENGTH, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy consent given at"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED, editable=False
    )
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token, editable=False)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    promoted_at = models.DateTimeField(_("promoted from the waiting list at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            # One live registration per address and event; a cancelled one may be followed by a new one.
            models.UniqueConstraint(
                "event", Lower("email"),
                condition=~Q(status="cancelled"), name="event_registration_one_live_per_email",
                violation_error_message=_("This email address is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waiting", "cancelled"]),
                name="event_registration_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.event}"

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())
