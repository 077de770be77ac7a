"""Public verification of issued documents: `/verifica/` asks for the code printed on a PDF,
`/verifica/<code>/` shows what the portal issued under that code (title, version, date,
SHA-256, size, seal, and the signatures of a signed Patto) and compares an uploaded PDF with
it, byte for byte through the SHA-256. Uploads are size-limited, hashed in chunks, never
stored, and limited per IP address (a fixed window in the cache).

Knowing the code is what opens the page: codes are unguessable and printed only on the
document itself. The download link appears only to whoever may read the document
(`charter.view_document`).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.verification import VerificationCodeForm, VerificationUploadForm
from ..models import Document, DocumentKind
from ..verification import normalise_code
from .signing import client_ip

RATE_WINDOW_SECONDS = 3600


@require_GET
def verification_start(request):
    """The code form (GET, so the address can be shared); a valid code opens its page."""
    form = VerificationCodeForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("charter:verification-detail", form.cleaned_data["code"])
    return render(request, "charter/verification/verification_start.html", {"form": form})


def _document_title(document):
    if document.kind == DocumentKind.CHARTER:
        return document.version.charter.title
    return document.pact.title


def _signatures(document):
    if document.kind != DocumentKind.PACT_FINAL:
        return []
    return list(
        document.pact.signatures.select_related("organisation", "qualified_evidence").order_by("signed_at", "pk")
    )


def _upload_allowed(request):
    """Counts this upload in the IP's fixed window; False once over the limit."""
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"charter:verify-uploads:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count <= settings.CHARTER_VERIFY_UPLOADS_PER_HOUR


@require_http_methods(["GET", "POST"])
def verification_detail(request, code):
    normalised = normalise_code(code)
    document = None
    if normalised is not None:
        if normalised != code:
            return redirect("charter:verification-detail", normalised)
        document = (
            Document.objects.select_related("version__charter", "pact").filter(verification_code=normalised).first()
        )
    if document is None:
        context = {"code": code, "form": VerificationCodeForm()}
        return render(request, "charter/verification/verification_unknown.html", context, status=404)

    form, result, refusal, status = VerificationUploadForm(), None, "", 200
    if request.method == "POST":
        form = VerificationUploadForm(request.POST, request.FILES)
        if not _upload_allowed(request):
            form = VerificationUploadForm()
            refusal = _("Too many files checked from this address: please try again in an hour.")
            status = 429
        elif form.is_valid():
            uploaded = form.cleaned_data["sha256"]
            result = {"identical": uploaded == document.sha256, "sha256": uploaded}
            form = VerificationUploadForm()
        else:
            status = 400
    context = {
        "document": document,
        "title": _document_title(document),
        "signatures": _signatures(document),
        "can_download": request.user.has_perm("charter.view_document", document),
        "form": form,
        "result": result,
        "refusal": refusal,
        "max_upload_bytes": settings.CHARTER_VERIFY_MAX_UPLOAD_BYTES,
    }
    return render(request, "charter/verification/verification_detail.html", context, status=status)
