"""Rendered PDF documents: rendered once, when a version is approved or a pact opens or
closes, stored with their SHA-256 and served from storage, never rendered again per request.

Files live under MEDIA_ROOT, which the portal never serves directly: a view that checks
`charter.view_document` streams them.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import BoundedTextField, max_length_check

# The kept part of a failed render's error (type and message), shown to staff.
LAST_ERROR_LENGTH = 2000


class DocumentKind(models.TextChoices):
    CHARTER = "charter", _("Carta della cittadinanza")
    PACT_DRAFT = "pact_draft", _("Patto di solidarietà, text for signing")
    PACT_FINAL = "pact_final", _("Patto di solidarietà, signed")


def new_verification_code():
    """A default for documents made outside charter.documents (tests, admin); the renderer
    picks its code itself, before rendering."""
    from ..verification import new_code

    return new_code()


def document_upload_to(instance, filename):
    """A random name: the stored path reveals nothing and cannot be guessed."""
    return f"charter/documents/{instance.kind}-{secrets.token_urlsafe(18)}.pdf"


def owned_by_one_version_or_pact(prefix):
    """The database rules a Document and the DocumentJob that owes it share: a Carta's belongs to
    its version, a pact's to its pact, and there is one of each kind per owner."""
    return [
        models.CheckConstraint(
            condition=(Q(kind="charter") & Q(version__isnull=False) & Q(pact__isnull=True))
            | (Q(kind__in=["pact_draft", "pact_final"]) & Q(version__isnull=True) & Q(pact__isnull=False)),
            name=f"{prefix}_belongs_to_its_kind",
        ),
        models.UniqueConstraint(fields=["version"], condition=Q(kind="charter"), name=f"{prefix}_one_per_charter_version"),
        models.UniqueConstraint(fields=["pact", "kind"], name=f"{prefix}_one_per_pact_and_kind"),
    ]


class Document(models.Model):
    Kind = DocumentKind

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, editable=False)
    version = models.ForeignKey(
        "charter.CharterVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
        editable=False, verbose_name=_("Carta version"),
    )
    pact = models.ForeignKey(
        "charter.Pact", on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
        editable=False, verbose_name=_("pact"),
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    page_count = models.PositiveIntegerField(_("pages"), editable=False)
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now, editable=False)
    render_seconds = models.FloatField(_("rendering time (seconds)"), default=0, editable=False)
    # CPU time of the render and the machine's load while it ran: wall time alone says little
    # on a shared machine.
    render_cpu_seconds = models.FloatField(_("rendering CPU time (seconds)"), null=True, blank=True, editable=False)
    render_load_average = models.FloatField(_("load average at rendering"), null=True, blank=True, editable=False)
    # Printed on the PDF with a QR code pointing to /verifica/<code>/ (charter.verification).
    verification_code = models.CharField(
        _("verification code"), max_length=11, unique=True, default=new_verification_code, editable=False,
    )
    sealed = models.BooleanField(_("sealed by the portal"), default=False, editable=False)
    seal_subject = models.CharField(_("seal certificate's subject"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-rendered_at", "pk"]
        constraints = owned_by_one_version_or_pact("document")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.sha256[:12]})"

    @property
    def filename(self):
        """The name offered on download."""
        if self.kind == DocumentKind.CHARTER:
            return f"carta-della-cittadinanza-v{self.version.number}.pdf"
        suffix = "firmato" if self.kind == DocumentKind.PACT_FINAL else "da-firmare"
        return f"patto-di-solidarieta-{self.pact_id}-{suffix}.pdf"

    def read_bytes(self):
        with self.file.open("rb") as handle:
            return handle.read()


class DocumentJob(models.Model):
    """A document that is owed: written in the same transaction as the state that needs it
    (approval, opening or closing), so that a render lost with its worker or its queue entry is
    found again (charter.documents.sweep_owed_documents) and never silently missing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being rendered")
        FAILED = "failed", _("failed")
        DONE = "done", _("done")

    Kind = DocumentKind

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, editable=False)
    version = models.ForeignKey(
        "charter.CharterVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="document_jobs",
        editable=False, verbose_name=_("Carta version"),
    )
    pact = models.ForeignKey(
        "charter.Pact", on_delete=models.PROTECT, null=True, blank=True, related_name="document_jobs",
        editable=False, verbose_name=_("pact"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = BoundedTextField(_("last error"), max_length=LAST_ERROR_LENGTH, blank=True)
    queue_job_id = models.CharField(_("queue job"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("owed since"), default=timezone.now, editable=False)
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Touched while the render runs: a running job whose heartbeat stopped lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("retried by"),
    )
    retried_at = models.DateTimeField(_("retried at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document being prepared")
        verbose_name_plural = _("documents being prepared")
        ordering = ["-created_at", "pk"]
        constraints = [
            max_length_check("last_error", LAST_ERROR_LENGTH),
            *owned_by_one_version_or_pact("documentjob"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "failed", "done"]), name="documentjob_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="documentjob_status_idx")]

    def __str__(self):
        owner = f"v{self.version_id}" if self.version_id else f"pact {self.pact_id}"
        return f"{self.get_kind_display()} ({owner})"

    @property
    def owner_filter(self):
        """The lookup that finds this job's document (or the job of a document)."""
        if self.kind == DocumentKind.CHARTER:
            return {"kind": self.kind, "version_id": self.version_id}
        return {"kind": self.kind, "pact_id": self.pact_id}

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def is_stale(self, now=None):
        """Owed, and nothing has been heard of it for CHARTER_RENDER_STALE_SECONDS: running
        without a heartbeat, or queued that long ago (the sweeper also asks the queue)."""
        before = (now or timezone.now()) - datetime.timedelta(seconds=settings.CHARTER_RENDER_STALE_SECONDS)
        if self.status == self.Status.RUNNING:
            return (self.heartbeat_at or self.started_at or self.created_at) < before
        if self.status == self.Status.QUEUED:
            return self.enqueued_at is None or self.enqueued_at < before
        return False
