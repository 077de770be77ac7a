"""The steering group's outreach to potential partners (phase 1 of the process)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welfare_portal.fields import NAME_LENGTH, TEXT_LENGTH, BoundedTextField, NameField, max_length_check
from welfare_portal.models import StatusChange

from .organisations import OrganisationKind


class OutreachContact(models.Model):
    """A potential partner the steering group contacts until it joins or declines."""

    class Status(models.TextChoices):
        TO_CONTACT = "to_contact", pgettext_lazy("outreach status", "To contact")
        CONTACTED = "contacted", pgettext_lazy("outreach status", "Contacted")
        INTERESTED = "interested", pgettext_lazy("outreach status", "Interested")
        JOINED = "joined", pgettext_lazy("outreach status", "Joined")
        DECLINED = "declined", pgettext_lazy("outreach status", "Declined")

    # Any move forward, and back from "declined" if the body changes its mind; "joined" is
    # reached when the invited organisation registers (or set by hand) and is final.
    TRANSITIONS = {
        Status.TO_CONTACT: {Status.CONTACTED, Status.INTERESTED, Status.JOINED, Status.DECLINED},
        Status.CONTACTED: {Status.INTERESTED, Status.JOINED, Status.DECLINED},
        Status.INTERESTED: {Status.JOINED, Status.DECLINED},
        Status.DECLINED: {Status.CONTACTED, Status.INTERESTED},
        Status.JOINED: set(),
    }

    name = NameField(_("name"), max_length=NAME_LENGTH)
    email = models.EmailField(_("email"), blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        "welfare_portal.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("municipality"),
    )
    notes = BoundedTextField(_("notes"), max_length=TEXT_LENGTH, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="outreach_contacts", verbose_name=_("assigned to"),
        help_text=_("The steering-group member who follows this contact."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TO_CONTACT, editable=False
    )
    organisation = models.OneToOneField(
        "partners.Organisation", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="outreach_contact", verbose_name=_("registered organisation"),
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("outreach contact")
        verbose_name_plural = _("outreach contacts")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["to_contact", "contacted", "interested", "joined", "declined"]),
                name="outreach_status_valid",
            ),
            max_length_check("notes", TEXT_LENGTH),
        ]

    def __str__(self):
        return self.name

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())


class OutreachStatusChange(StatusChange):
    """Dated history of an outreach contact: who moved it, from and to which status, and why."""

    contact = models.ForeignKey(
        OutreachContact, on_delete=models.CASCADE, related_name="status_changes",
        verbose_name=_("contact"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=OutreachContact.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=OutreachContact.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("outreach status change")
        verbose_name_plural = _("outreach status changes")

    def __str__(self):
        return f"{self.contact}: {self.from_status or '-'} → {self.to_status}"
