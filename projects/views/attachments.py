"""Attachments of a proposal: uploading (the lead, while it may edit), downloading (whoever
sees the proposal) and deleting. Files are streamed by a view that checks the reader's
permission, never served from MEDIA_URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from welfare_portal.uploads import accepts_uploads

from .. import services
from ..attachments import max_attachment_bytes
from ..forms.proposals import AttachmentForm
from ..models import Attachment
from ..rules import is_lead_member
from .proposals import get_visible_proposal, posted, proposal_queryset, refuse_unless_allowed


def _attachments_url(proposal):
    return reverse("projects:proposal-detail", args=[proposal.pk]) + "#attachments"


@accepts_uploads(max_attachment_bytes)
@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request, pk):
    proposal = get_visible_proposal(request, pk)
    refusal = refuse_unless_allowed(request, proposal, "projects.add_attachment", is_lead_member)
    if refusal:
        return refusal
    form = AttachmentForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.add_attachment(proposal, by=request.user, file=form.cleaned_data["file"])
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” has been attached.") % {"name": attachment.original_name})
            return redirect(_attachments_url(proposal))
    return render(request, "projects/proposals/attachment_form.html", {"proposal": proposal, "form": form})


def _get_attachment(request, pk):
    """The attachment, with its proposal loaded as the rules want it; 404 unless the user sees it."""
    attachment = get_object_or_404(Attachment, pk=pk)
    attachment.proposal = get_object_or_404(proposal_queryset(), pk=attachment.proposal_id)
    if not request.user.has_perm("projects.view_attachment", attachment):
        raise Http404
    return attachment


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = _get_attachment(request, pk)
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=attachment.download_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk):
    """A confirmation page; the POST deletes the file."""
    attachment = _get_attachment(request, pk)
    proposal = attachment.proposal
    refusal = refuse_unless_allowed(
        request, proposal, "projects.delete_attachment", is_lead_member, obj=attachment, role_obj=proposal,
    )
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            services.remove_attachment(attachment, by=request.user)
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("“%(name)s” has been removed.") % {"name": attachment.original_name})
        return redirect(_attachments_url(proposal))
    return render(request, "projects/proposals/attachment_delete.html", {
        "proposal": proposal, "attachment": attachment,
    })
