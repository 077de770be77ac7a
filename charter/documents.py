"""Render a frozen version or a pact into a stored Document.

Called by the services right after the state change, inside their transaction: the document
exists exactly when the state that needs it does, and its SHA-256 is known before anyone can
sign. These functions check no permission; only charter.services and the demo call them.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile

from .models import Document, DocumentKind
from .pdf import render_pdf
from .resources import resources_summary, totals_by_organisation
from .snapshot import commitments_of, projects_of
from .verification import print_context, unused_code


def _portal():
    return {"portal_name": settings.PORTAL_NAME, "ambito_name": settings.PORTAL_AMBITO_NAME}


def _render(template, context, *, seal=True):
    """Render with a fresh verification code: the code is printed in the PDF, so it is chosen
    before the bytes exist. The platform seal, when configured, is applied last (charter.pdf)."""
    code = unused_code()
    return code, render_pdf(template, {**context, **print_context(code)}, seal=seal)


def _store(code, rendered, **owner):
    document = Document(
        sha256=hashlib.sha256(rendered.content).hexdigest(), size=len(rendered.content),
        page_count=rendered.page_count, render_seconds=rendered.seconds, verification_code=code,
        sealed=rendered.sealed, seal_subject=rendered.seal_subject, **owner,
    )
    document.file.save("document.pdf", ContentFile(rendered.content), save=False)
    document.save()
    return document


def charter_context(version):
    snapshot = version.snapshot
    return {
        **_portal(),
        "version": version,
        "snapshot": snapshot,
        "projects": projects_of(snapshot),
        "summary": resources_summary(snapshot),
    }


def render_charter_document(version):
    """The Carta's PDF, from the version's snapshot (the version must be approved)."""
    assert version.snapshot is not None, "Only a frozen version is rendered."
    code, rendered = _render("charter/pdf/charter.html", charter_context(version))
    return _store(code, rendered, kind=DocumentKind.CHARTER, version=version)


def signatory_rows(pact, snapshot):
    """Each signatory with its commitments from the snapshot and their total."""
    totals = totals_by_organisation(snapshot)
    signatories = pact.signatories.select_related("organisation").order_by("organisation_name", "pk")
    return [
        {
            "signatory": signatory,
            "commitments": commitments_of(snapshot, signatory.organisation_id),
            "total_eur": totals.get(signatory.organisation_id),
        }
        for signatory in signatories
    ]


def pact_context(pact, *, final=False):
    version = pact.version
    snapshot = version.snapshot
    rows = signatory_rows(pact, snapshot)
    context = {
        **_portal(),
        "pact": pact,
        "version": version,
        "snapshot": snapshot,
        "final": final,
        "signatories": rows,
        "summary": resources_summary(snapshot, organisation_ids={row["signatory"].organisation_id for row in rows}),
    }
    if final:
        signatures = {s.organisation_id: s for s in pact.signatures.select_related("signer", "qualified_evidence")}
        names = {row["signatory"].organisation_id: row["signatory"].organisation_name for row in rows}
        for signature in signatures.values():
            signature.organisation_name = names.get(signature.organisation_id, "")
        declines = {d.organisation_id: d for d in pact.declines.all()}
        context.update(
            draft=pact.documents.filter(kind=DocumentKind.PACT_DRAFT).first(),
            signatures=sorted(signatures.values(), key=lambda s: (s.signed_at, s.pk)),
            unsigned=[
                {"signatory": row["signatory"], "decline": declines.get(row["signatory"].organisation_id)}
                for row in rows if row["signatory"].organisation_id not in signatures
            ],
        )
    return context


def render_pact_document(pact, *, final=False):
    """The pact for signing (`final=False`, when it opens) or signed, with the annex of
    signatures (`final=True`, when it closes)."""
    # The text for signing stays unsealed: legal representatives sign it with their own
    # qualified signature (charter.qualified), which must be the file's only signature.
    code, rendered = _render("charter/pdf/pact.html", pact_context(pact, final=final), seal=final)
    kind = DocumentKind.PACT_FINAL if final else DocumentKind.PACT_DRAFT
    return _store(code, rendered, kind=kind, pact=pact)

