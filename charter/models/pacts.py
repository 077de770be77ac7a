"""The Patto di solidarietà of a published Carta: its text, the organisations asked to sign it
(signatories), their signatures and declines.

A pact is prepared as a draft (text, deadline, signatories), then opened for signing — which
renders the PDF whose SHA-256 the signatures refer to, so nothing in it may change while it is
open — and finally closed, which renders the signed document with its annex of signatures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Membership
from welfare_portal.fields import (
    LONG_TEXT_LENGTH,
    NAME_LENGTH,
    NOTE_LENGTH,
    TEXT_LENGTH,
    BoundedTextField,
    NameField,
    max_length_check,
)
from welfare_portal.models import StatusChange

from ..snapshot import commitments_of


class PactQuerySet(models.QuerySet):
    def public(self):
        """Pacts anyone may read: once opened for signing."""
        return self.exclude(status=Pact.Status.DRAFT)


class Pact(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("pact status", "Being prepared")
        OPEN = "open", pgettext_lazy("pact status", "Open for signing")
        CLOSED = "closed", pgettext_lazy("pact status", "Closed")

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    version = models.OneToOneField(
        "charter.CharterVersion", on_delete=models.PROTECT, related_name="pact", verbose_name=_("Carta version"),
    )
    title = NameField(_("title"), max_length=NAME_LENGTH)
    text = BoundedTextField(_("text"), max_length=LONG_TEXT_LENGTH)
    deadline = models.DateField(_("deadline"), help_text=_("The last day on which the pact can be signed."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("created by"),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("closed by"),
    )

    objects = PactQuerySet.as_manager()

    class Meta:
        verbose_name = _("Patto di solidarietà")
        verbose_name_plural = _("Patti di solidarietà")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed"]), name="pact_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opened_at__isnull=False), name="pact_opened_has_opened_at",
            ),
            max_length_check("text", LONG_TEXT_LENGTH),
        ]

    def __str__(self):
        return self.title

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def deadline_passed(self, today=None):
        return (today or timezone.localdate()) > self.deadline


class PactStatusChange(StatusChange):
    """One row per status move of a pact: who, from, to, when, and the note."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("pact"))
    from_status = models.CharField(_("from"), max_length=20, choices=Pact.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Pact.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("pact status change")
        verbose_name_plural = _("pact status changes")

    def __str__(self):
        return f"{self.pact}: {self.from_status or '-'} → {self.to_status}"


class SignatoryQuerySet(models.QuerySet):
    def with_answers(self):
        """Annotate `has_signed` and `has_declined`, in the same query."""
        signed = Signature.objects.filter(pact=OuterRef("pact_id"), organisation=OuterRef("organisation_id"))
        declined = Decline.objects.filter(pact=OuterRef("pact_id"), organisation=OuterRef("organisation_id"))
        return self.annotate(has_signed=Exists(signed), has_declined=Exists(declined))

    def unanswered(self):
        return self.with_answers().filter(has_signed=False, has_declined=False)

    def awaiting(self, user):
        """What the user may still sign or decline: signatories of open pacts whose
        organisation has the user as confirmed legal representative and has not answered."""
        organisations = Membership.objects.confirmed_legal_representatives().filter(user=user).values("organisation_id")
        return (
            self.unanswered()
            .filter(pact__status=Pact.Status.OPEN, pact__deadline__gte=timezone.localdate(),
                    organisation__in=organisations)
            .select_related("pact", "organisation")
        )


class Signatory(models.Model):
    """An organisation asked to sign the pact: a partner (lead or accepted co-partner) in the
    Carta's projects, or one the steering group added. Its name and tax code are copied when the
    pact opens, so the documents keep them whatever the organisation edits later."""

    class Source(models.TextChoices):
        CHARTER = "charter", _("Partner in the Carta's projects")
        ADDED = "added", _("Added by the steering group")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("pact"))
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="pact_signatories",
        verbose_name=_("organisation"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, editable=False)
    organisation_name = models.CharField(_("name in the pact"), max_length=200, editable=False)
    organisation_tax_code = models.CharField(_("tax code in the pact"), max_length=16, blank=True, editable=False)
    responsibilities = BoundedTextField(
        _("responsibilities"), max_length=TEXT_LENGTH, blank=True,
        help_text=_("What the organisation takes on, besides the commitments stated in its projects."),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("added by"),
    )
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True, editable=False)
    reminder_count = models.PositiveIntegerField(_("reminders sent"), default=0, editable=False)

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["pact", "organisation_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "organisation"], name="signatory_unique_per_pact",
                violation_error_message=_("This organisation is already a signatory of this pact."),
            ),
            max_length_check("responsibilities", TEXT_LENGTH),
        ]

    def __str__(self):
        return f"{self.organisation_name} – {self.pact}"

    def commitments(self):
        """(project title, commitment) pairs the organisation states in the Carta's frozen projects."""
        return commitments_of(self.pact.version.snapshot, self.organisation_id)


class Signature(models.Model):
    """An organisation's signature of a pact by its confirmed legal representative. It records
    the SHA-256 of the exact document signed; `record_sha256` fingerprints the whole record
    (including the client's address, which the public documents do not show)."""

    pact = models.ForeignKey(Pact, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("pact"))
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="pact_signatures",
        verbose_name=_("organisation"),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pact_signatures",
        verbose_name=_("signed by"),
    )
    signer_name = models.CharField(_("signer's name on the account"), max_length=200)
    signer_email = models.EmailField(_("signer's email address"))
    full_name = models.CharField(_("full name typed"), max_length=200)
    consent_text = BoundedTextField(_("consent statement"), max_length=NOTE_LENGTH)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    reauthenticated_at = models.DateTimeField(_("re-authenticated at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    document = models.ForeignKey(
        "charter.Document", on_delete=models.PROTECT, related_name="signatures", verbose_name=_("document signed"),
    )
    document_sha256 = models.CharField(_("SHA-256 of the document signed"), max_length=64)
    record_sha256 = models.CharField(_("SHA-256 of this record"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["pact", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "organisation"], name="signature_one_per_organisation_and_pact",
                violation_error_message=_("This organisation has already signed this pact."),
            ),
            max_length_check("consent_text", NOTE_LENGTH),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.pact} ({self.full_name})"


class Decline(models.Model):
    """An organisation's refusal to sign, with the reason its legal representative gave."""

    pact = models.ForeignKey(Pact, on_delete=models.PROTECT, related_name="declines", verbose_name=_("pact"))
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="pact_declines",
        verbose_name=_("organisation"),
    )
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("declined by"),
    )
    declined_at = models.DateTimeField(_("declined at"), default=timezone.now)
    reason = BoundedTextField(_("reason"), max_length=TEXT_LENGTH)

    class Meta:
        verbose_name = _("decline")
        verbose_name_plural = _("declines")
        ordering = ["pact", "declined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "organisation"], name="decline_one_per_organisation_and_pact",
                violation_error_message=_("This organisation has already declined this pact."),
            ),
            max_length_check("reason", TEXT_LENGTH),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.pact}"
