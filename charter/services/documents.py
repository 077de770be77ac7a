"""Documents rendered in the background: staff queue again one that failed (or whose worker
was lost), once its cause is fixed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..documents import existing_document, requeue_document_job
from ..models import DocumentJob
from .base import CharterError, require_active, require_perm

__all__ = ["retry_document"]


def retry_document(job, *, by):
    """Queue the owed document again with a fresh round of attempts."""
    require_active(by)
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if existing_document(job) is not None or job.status == DocumentJob.Status.DONE:
            raise CharterError(_("This document is ready: there is nothing to retry."))
        require_perm(by, "charter.retry_documentjob", job)
        job.retried_by, job.retried_at = by, timezone.now()
        job.save(update_fields=["retried_by", "retried_at"])
        requeue_document_job(job, reset_attempts=True)
    return job
