"""The Ufficio di Piano's page of PDFs being prepared in the background: what is owed, what
failed and why, and a "Riprova" that queues a failed (or stuck) one again after a confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from welfare_portal.pagination import paginate

from .. import services
from ..models import DocumentJob


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
@require_GET
def document_job_list(request):
    """Every document not ready yet, failed ones first, then the oldest owed."""
    _require(request, "charter.view_documentjob")
    failed_first = Case(When(status=DocumentJob.Status.FAILED, then=Value(0)), default=Value(1))
    jobs = (
        DocumentJob.objects.exclude(status=DocumentJob.Status.DONE)
        .select_related("version", "pact__version", "retried_by")
        .order_by(failed_first, "created_at", "pk")
    )
    page = paginate(request, jobs)
    rows = [(job, request.user.has_perm("charter.retry_documentjob", job)) for job in page.object_list]
    return render(request, "charter/documents/document_job_list.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def document_job_retry(request, pk):
    """A confirmation page; the POST queues the document again."""
    job = get_object_or_404(DocumentJob.objects.select_related("version", "pact__version"), pk=pk)
    _require(request, "charter.view_documentjob")
    if request.method == "POST":
        try:
            services.retry_document(job, by=request.user)
        except services.CharterError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The document is queued again: it appears here until it is ready."))
        return redirect("charter:document-job-list")
    if not request.user.has_perm("charter.retry_documentjob", job):
        raise PermissionDenied
    return render(request, "charter/documents/document_job_retry.html", {"job": job})
