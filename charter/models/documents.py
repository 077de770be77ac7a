"""Rendered PDF documents: rendered once, when a version is approved or a pact opens or
closes, stored with their SHA-256 and served from storage, never rendered again per request.

Files live under MEDIA_ROOT, which the portal never serves directly: a view that checks
`charter.view_document` streams them.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="charter") & Q(version__isnull=False) & Q(pact__isnull=True))
                | (Q(kind__in=["pact_draft", "pact_final"]) & Q(version__isnull=True) & Q(pact__isnull=False)),
                name="document_belongs_to_its_kind",
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(kind="charter"), name="document_one_per_charter_version",
            ),
            models.UniqueConstraint(fields=["pact", "kind"], name="document_one_per_pact_and_kind"),
        ]

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
