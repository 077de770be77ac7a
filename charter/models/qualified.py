"""What proves a signature given with a qualified digital signature (PAdES) rather than on the
portal: the uploaded signed file, kept in private storage, and what the certificate said."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def signed_file_upload_to(instance, filename):
    """A random name under MEDIA_ROOT, which is never served by URL."""
    return f"charter/signed/patto-firmato-{secrets.token_urlsafe(18)}.pdf"


class QualifiedSignatureEvidence(models.Model):
    """One per Signature given by upload: the Signature row stays the single record of the
    answer (one per organisation and pact); this one says how it was given and checked."""

    class Trust(models.TextChoices):
        ISSUER_VERIFIED = "issuer_verified", _("qualified, issuer verified")
        INTEGRITY_ONLY = "integrity_only", _("integrity verified, issuer not verified")

    signature = models.OneToOneField(
        "charter.Signature", on_delete=models.PROTECT, related_name="qualified_evidence",
        verbose_name=_("signature"),
    )
    signed_file = models.FileField(_("signed file"), upload_to=signed_file_upload_to, max_length=255, editable=False)
    signed_file_sha256 = models.CharField(_("SHA-256 of the signed file"), max_length=64, editable=False)
    signed_file_size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    certificate_subject = models.CharField(_("certificate subject"), max_length=500, editable=False)
    certificate_issuer = models.CharField(_("certificate issuer"), max_length=500, editable=False)
    certificate_serial_number = models.CharField(_("certificate serial number"), max_length=100, editable=False)
    certificate_tax_code = models.CharField(_("codice fiscale in the certificate"), max_length=16, editable=False)
    certificate_not_before = models.DateTimeField(_("certificate valid from"), editable=False)
    certificate_not_after = models.DateTimeField(_("certificate valid until"), editable=False)
    signing_time = models.DateTimeField(_("signing time reported by the file"), editable=False)
    trust = models.CharField(_("trust status"), max_length=20, choices=Trust.choices, editable=False)
    trust_detail = models.CharField(_("trust detail"), max_length=300, blank=True, editable=False)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("qualified signature evidence")
        verbose_name_plural = _("qualified signature evidence")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.signature} ({self.get_trust_display()})"

    @property
    def issuer_verified(self):
        return self.trust == self.Trust.ISSUER_VERIFIED
