"""Co-partners of a proposal and the resources every partner commits to it."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welfare_portal.fields import NOTE_LENGTH, BoundedTextField, max_length_check


class ProposalPartner(models.Model):
    """An organisation the lead invites as co-partner; its referent accepts or declines. A
    declined invitation can be sent again."""

    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("co-partner status", "Invited")
        ACCEPTED = "accepted", pgettext_lazy("co-partner status", "Accepted")
        DECLINED = "declined", pgettext_lazy("co-partner status", "Declined")

    TRANSITIONS = {
        Status.INVITED: {Status.ACCEPTED, Status.DECLINED},
        Status.ACCEPTED: set(),
        Status.DECLINED: {Status.INVITED},
    }
    # Invited organisations read the proposal to decide; a declined one no longer does.
    SEES_PROPOSAL = (Status.INVITED, Status.ACCEPTED)

    proposal = models.ForeignKey(
        "projects.Proposal", on_delete=models.CASCADE, related_name="partners", verbose_name=_("proposal"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="proposal_partnerships",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INVITED, editable=False,
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("invited by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("co-partner")
        verbose_name_plural = _("co-partners")
        ordering = ["proposal", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="proposal_partner_unique",
                violation_error_message=_("This organisation is already invited to this proposal."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "accepted", "declined"]),
                name="proposal_partner_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.proposal} ({self.get_status_display()})"

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())


class CommitmentKind(models.TextChoices):
    MONEY = "money", _("Money")
    STAFF_HOURS = "staff_hours", _("Staff hours")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")
    PREMISES = "premises", _("Premises")
    GOODS = "goods", _("Goods")
    SERVICES = "services", _("Services")


class CommitmentQuerySet(models.QuerySet):
    def totals_by_organisation(self):
        """One row per organisation: `organisation_id`, `organisation__name`, `total_value`
        (euro) and `commitment_count`, in one query."""
        return (
            self.order_by()
            .values("organisation_id", "organisation__name")
            .annotate(total_value=Sum("estimated_value_eur"), commitment_count=Count("pk"))
            .order_by("organisation__name")
        )

    def totals_by_kind(self):
        """One row per kind: `kind`, `total_quantity`, `total_value`, in one query. Quantities of
        one kind may have different units; the euro value is what adds up across kinds."""
        return (
            self.order_by()
            .values("kind")
            .annotate(total_quantity=Sum("quantity"), total_value=Sum("estimated_value_eur"))
            .order_by("kind")
        )


class Commitment(models.Model):
    """What a partner (the lead or an accepted co-partner) puts into the project: the seed's
    resources put in the network, an investment in social capital."""

    Kind = CommitmentKind

    proposal = models.ForeignKey(
        "projects.Proposal", on_delete=models.CASCADE, related_name="commitments", verbose_name=_("proposal"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="commitments",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(
        _("unit"), max_length=40, help_text=_("For example: euro, hours, square metres, meals."),
    )
    estimated_value_eur = models.DecimalField(_("estimated value (euro)"), max_digits=12, decimal_places=2)
    description = BoundedTextField(_("description"), max_length=NOTE_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["proposal", "organisation__name", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="commitment_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_value_eur__gte=0), name="commitment_value_not_negative",
                violation_error_message=_("The estimated value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[value for value, _label in CommitmentKind.choices]),
                name="commitment_kind_valid",
            ),
            max_length_check("description", NOTE_LENGTH),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_kind_display()} {self.quantity} {self.unit}"


