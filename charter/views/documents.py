"""Downloading a rendered PDF: the stored bytes, whose SHA-256 is published next to the link.

Documents are never rendered here: a download serves exactly the file stored when the version
was approved or the pact opened or closed, so the fingerprint people hold stays valid. Who may
read a document follows what it belongs to (`charter.view_document`); 404 for everyone else,
so nobody learns that a draft's document exists.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ..models import Document


@require_GET
def document_download(request, pk):
    document = get_object_or_404(Document.objects.select_related("version", "pact"), pk=pk)
    if not request.user.has_perm("charter.view_document", document):
        raise Http404
    try:
        file = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Inline: browsers show a PDF in place; the name is the one offered when it is saved.
    response = FileResponse(file, as_attachment=False, filename=document.filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
