"""Public verification of issued documents: `/verifica/` asks for the code printed on a PDF,
`/verifica/<code>/` shows what the portal issued under that code (title, version, date,
SHA-256, size, seal, and the signatures of a signed Patto) and compares an uploaded PDF with
it, byte for byte through the SHA-256. Uploads are size-limited, hashed in chunks, never
stored, and limited per client address (django-ratelimit, welfare_portal.ratelimits).

Knowing the code is what opens the page: codes are unguessable and printed only on the
document itself. The download link appears only to whoever may read the document
(`charter.view_document`).
"""

import math

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from welfare_portal.ratelimits import seconds_over_limit
from welfare_portal.uploads import accepts_uploads

from ..forms.verification import VerificationCodeForm, VerificationUploadForm
from ..models import Document, DocumentKind
from ..verification import max_upload_bytes, normalise_code

UPLOADS_GROUP = "charter:verification-upload"


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


@accepts_uploads(max_upload_bytes)
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

    form, result, refusal, status, retry_after = VerificationUploadForm(), None, "", 200, None
    if request.method == "POST":
        retry_after = seconds_over_limit(request, UPLOADS_GROUP, [f"{settings.CHARTER_VERIFY_UPLOADS_PER_HOUR}/h"])
        if retry_after:
            minutes = max(1, math.ceil(retry_after / 60))
            refusal = ngettext(
                "Too many files checked from this address: please try again in about %(minutes)d minute.",
                "Too many files checked from this address: please try again in about %(minutes)d minutes.",
                minutes,
            ) % {"minutes": minutes}
            status = 429
        else:
            form = VerificationUploadForm(request.POST, request.FILES)
            if form.is_valid():
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
        "max_upload_bytes": max_upload_bytes(),
    }
    response = render(request, "charter/verification/verification_detail.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
