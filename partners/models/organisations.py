"""Who takes part: partner organisations, the people who belong to them, the steering group.

Statuses change only through partners.services; the tables below say which moves exist.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welfare_portal.fields import NAME_LENGTH, NOTE_LENGTH, TEXT_LENGTH, BoundedTextField, NameField, max_length_check
from welfare_portal.models import StatusChange

from ..validators import normalise_tax_code, validate_organisation_tax_code


class OrganisationKind(models.TextChoices):
    """The kinds of actor the seed document names as partners of generative welfare."""

    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    PRIVATE_SOCIAL_SECTOR = "private_social_sector", _("Private social sector")
    VOLUNTEERING = "volunteering", _("Volunteering")
    SOCIAL_COOPERATIVE = "social_cooperative", _("Social cooperation")
    SOCIAL_PROMOTION_ASSOCIATION = (
        "social_promotion_association",
        _("Social and family promotion association"),
    )
    INFORMAL_SOLIDARITY_NETWORK = "informal_solidarity_network", _("Informal solidarity network")
    FOUNDATION = "foundation", _("Foundation")
    SCHOOL = "school", _("School")
    CULTURE = "culture", _("Culture")
    RESEARCH = "research", _("Research")
    EDUCATIONAL_AGENCY = "educational_agency", _("Educational agency")
    BUSINESS = "business", _("Business and enterprise")
    TRADE_UNION = "trade_union", _("Trade union")


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Organisation.Status.VERIFIED)


class Organisation(models.Model):
    """A partner body. Registered by a user who becomes its referent; verified by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("organisation status", "Awaiting verification")
        VERIFIED = "verified", pgettext_lazy("organisation status", "Verified")
        REJECTED = "rejected", pgettext_lazy("organisation status", "Rejected")

    TRANSITIONS = {
        Status.PENDING: {Status.VERIFIED, Status.REJECTED},
        Status.REJECTED: {Status.PENDING},
        Status.VERIFIED: set(),
    }

    name = NameField(_("name"), max_length=NAME_LENGTH)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    legal_form = models.CharField(
        _("legal form"), max_length=120, blank=True,
        help_text=_("For example: association, social cooperative, foundation, municipality."),
    )
    tax_code = models.CharField(
        _("tax code or VAT number"), max_length=16, blank=True,
        validators=[validate_organisation_tax_code],
        help_text=_(
            "Codice fiscale (11 digits, or 16 characters) or partita IVA of the organisation. "
            "Only an informal solidarity network may leave it empty."
        ),
    )
    seat_municipality = models.ForeignKey(
        "welfare_portal.Municipality", on_delete=models.PROTECT, related_name="seated_organisations",
        verbose_name=_("seat municipality"),
    )
    municipalities_served = models.ManyToManyField(
        "welfare_portal.Municipality", blank=True, related_name="served_by_organisations",
        verbose_name=_("municipalities served"),
    )
    policy_areas = models.ManyToManyField(
        "welfare_portal.PolicyArea", blank=True, related_name="organisations",
        verbose_name=_("policy areas"),
    )
    description = BoundedTextField(_("description"), max_length=TEXT_LENGTH, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, editable=False
    )
    rejection_reason = BoundedTextField(
        _("reason for rejection"), max_length=NOTE_LENGTH, blank=True, editable=False,
        help_text=_("Shown to the organisation's referents, so they can correct and resubmit."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("verified by"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="organisation_tax_code_unique",
                violation_error_code="unique",
                violation_error_message=_("An organisation with this tax code is already registered."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "verified", "rejected"]),
                name="organisation_status_valid",
            ),
            max_length_check("description", TEXT_LENGTH),
            max_length_check("rejection_reason", NOTE_LENGTH),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Stored compact and upper-case, so the unique constraint compares like with like.
        self.tax_code = normalise_tax_code(self.tax_code)
        if not self.tax_code and self.kind != OrganisationKind.INFORMAL_SOLIDARITY_NETWORK:
            raise ValidationError(
                {"tax_code": _("Enter the tax code; only an informal solidarity network may have none.")},
                code="required",
            )

    def save(self, *args, **kwargs):
        self.tax_code = normalise_tax_code(self.tax_code)
        super().save(*args, **kwargs)

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())


class OrganisationStatusChange(StatusChange):
    """One row per status move of an organisation: who, from, to, when, and why."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="status_changes",
        verbose_name=_("organisation"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Organisation.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Organisation.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("organisation status change")
        verbose_name_plural = _("organisation status changes")

    def __str__(self):
        return f"{self.organisation}: {self.from_status or '-'} → {self.to_status}"


class MembershipQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Membership.Status.ACCEPTED)

    def confirmed_legal_representatives(self):
        """Accepted legal representatives whom staff confirmed: the only people who may sign the
        Patto for their organisation."""
        return self.accepted().filter(role=Membership.Role.LEGAL_REPRESENTATIVE, confirmed_at__isnull=False)

    def managing(self):
        """Accepted memberships that may manage the organisation (see Membership.is_managing)."""
        return self.accepted().filter(
            Q(role=Membership.Role.REFERENT)
            | Q(role=Membership.Role.LEGAL_REPRESENTATIVE, confirmed_at__isnull=False)
        )


class Membership(models.Model):
    """A person's place in an organisation.

    Whoever registers the organisation is its first referent. Others ask to join and a referent
    (or staff) decides. The legal-representative role is confirmed by staff, because only that
    person may sign the Patto for the organisation. A membership ends when its person closes
    their account: it grants nothing more, and the row stays as the record of who belonged where.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        REFERENT = "referent", _("Referent")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("membership status", "Requested")
        ACCEPTED = "accepted", pgettext_lazy("membership status", "Accepted")
        REFUSED = "refused", pgettext_lazy("membership status", "Refused")
        ENDED = "ended", pgettext_lazy("membership status", "Ended")

    TRANSITIONS = {
        Status.PENDING: {Status.ACCEPTED, Status.REFUSED, Status.ENDED},
        Status.ACCEPTED: {Status.ENDED},
        Status.REFUSED: set(),
        Status.ENDED: set(),
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, editable=False
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("decided by"),
    )
    refusal_reason = BoundedTextField(_("reason for refusal"), max_length=NOTE_LENGTH, blank=True, editable=False)
    representative_tax_code = models.CharField(
        _("legal representative's tax code"), max_length=16, blank=True, editable=False,
        help_text=_("The person's own codice fiscale, recorded when staff confirm the role."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("confirmed by"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_user_and_organisation",
                violation_error_message=_("This person has already asked to join this organisation."),
            ),
            # An ended confirmation stays as a record; its codice fiscale only while a kept
            # signature needs it (welfare_portal.accounts.closure).
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True)
                | (Q(role="legal_representative", status="accepted") & ~Q(representative_tax_code=""))
                | Q(role="legal_representative", status="ended"),
                name="membership_confirmed_only_accepted_legal_representative",
            ),
            max_length_check("refusal_reason", NOTE_LENGTH),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_confirmed_legal_representative(self):
        return (
            self.status == self.Status.ACCEPTED
            and self.role == self.Role.LEGAL_REPRESENTATIVE
            and self.confirmed_at is not None
        )

    @property
    def is_managing(self):
        """Referents manage the organisation; so does its confirmed legal representative, who
        may have registered it and must not lose that right when staff confirm the role."""
        return self.status == self.Status.ACCEPTED and (
            self.role == self.Role.REFERENT or self.is_confirmed_legal_representative
        )


class MembershipStatusChange(StatusChange):
    """One row per status move of a membership: who, from, to, when, and why."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="status_changes",
        verbose_name=_("membership"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Membership.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Membership.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("membership status change")
        verbose_name_plural = _("membership status changes")

    def __str__(self):
        return f"{self.membership}: {self.from_status or '-'} → {self.to_status}"


class SteeringGroupMemberQuerySet(models.QuerySet):
    def current(self, on=None):
        """Members whose appointment covers the given day (today by default), both ends included."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class SteeringGroupMember(models.Model):
    """A seat in the gruppo di regia. Being a current member is what grants steering-group
    rights everywhere else; the seat represents an organisation or a municipality."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", pgettext_lazy("steering group role", "Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="steering_seats",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="steering_seats",
        verbose_name=_("organisation represented"),
    )
    municipality = models.ForeignKey(
        "welfare_portal.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="steering_seats", verbose_name=_("municipality represented"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("to"), null=True, blank=True)
    appointed_at = models.DateTimeField(_("appointed at"), default=timezone.now, editable=False)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("appointed by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("ended by"),
    )

    objects = SteeringGroupMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("steering group member")
        verbose_name_plural = _("steering group members")
        ordering = ["-start_date", "user__full_name"]
        indexes = [models.Index(fields=["user", "start_date", "end_date"], name="steering_user_dates_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(municipality__isnull=True))
                | (Q(organisation__isnull=True) & Q(municipality__isnull=False)),
                name="steering_member_represents_organisation_xor_municipality",
                violation_error_message=_(
                    "A steering group member represents either an organisation or a municipality."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="steering_member_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(end_date__isnull=True),
                name="steering_member_one_open_seat_per_user",
                violation_error_message=_("This person already has an open-ended seat in the steering group."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def represents(self):
        return self.organisation or self.municipality

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)
