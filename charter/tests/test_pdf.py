"""The PDFs read back: the Carta finds its projects and partners, the Patto its signatories
and, once closed, its signatures; the stored SHA-256 is the file's; approved content never
changes, whatever is edited afterwards."""

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from charter import services
from charter.models import Document, DocumentKind
from charter.pdf import render_html
from charter.tests.factories import CharterVersionFactory, approved_proposal, legal_representative, steering_member
from charter.tests.pdfs import contents_entries, font_names, pdf_text, reader
from projects.models import Commitment, ProposalPartner
from projects.tests.factories import OrganisationFactory, ProposalPartnerFactory, ThemeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def coordinator():
    return steering_member(coordinator=True)


@pytest.fixture
def proposals():
    theme = ThemeFactory(title="Abitare e vicinato solidale")
    first = approved_proposal(
        "Custodi di vicinato", theme=theme, lead_organisation=OrganisationFactory(verified=True, name="Il Melograno"),
    )
    second = approved_proposal('Il "Doposcuola" diffuso', theme=ThemeFactory(title="Giovani e lavoro"))
    return first, second


def _stored(document):
    content = document.read_bytes()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content) and content.startswith(b"%PDF-")
    assert document.page_count == len(reader(content).pages)
    return content


def _approve(coordinator, proposals, **texts):
    version = CharterVersionFactory(proposals=list(proposals), **texts)
    return services.approve_version(version, by=coordinator)


def test_the_carta_pdf_lists_projects_partners_and_resources(coordinator, proposals):
    version = _approve(coordinator, proposals, introduction="Un'introduzione scritta dal gruppo di regia.")
    content = _stored(Document.objects.get(version=version, kind=DocumentKind.CHARTER))
    text = pdf_text(content)
    first, second = proposals
    # Printed as written: no guillemets, no curled apostrophe (charter.templatetags.charter_pdf).
    assert "Custodi di vicinato" in text and 'Il "Doposcuola" diffuso' in text
    assert "Un'introduzione scritta dal gruppo di regia." in text
    partner = first.partners.get(status=ProposalPartner.Status.ACCEPTED).organisation
    invited = first.partners.get(status=ProposalPartner.Status.INVITED).organisation
    assert "Il Melograno" in text and partner.name in text and second.lead_organisation.name in text
    assert invited.name not in text
    assert "Volontari per le visite." in text and "5.000,00" in text  # a commitment and its value
    assert "Abitare e vicinato solidale" in text and "Giovani e lavoro" in text
    # The table of contents gives each project's page (its dot leaders are drawn, not text).
    contents = contents_entries(content)
    heading_page = next(n for n, page in enumerate(reader(content).pages, start=1)
                        if n > 2 and "Custodi di vicinato" in page.extract_text())
    assert contents["Custodi di vicinato"] == heading_page
    assert any("Titillium" in name for name in font_names(content))


def test_every_page_after_the_cover_carries_the_title_and_footer_as_written(coordinator, proposals, settings):
    """The running header and footer are CSS strings of the template's @page rule: what people
    wrote comes back exactly, quotes, ampersands and angle brackets included."""
    title = 'Carta "dell\'ambito" & <vicinato> \\ 🏠'
    version = CharterVersionFactory(proposals=list(proposals), charter__title=title)
    version = services.approve_version(version, by=coordinator)
    document = Document.objects.get(version=version, kind=DocumentKind.CHARTER)
    pages = [" ".join((page.extract_text() or "").split()) for page in reader(document.read_bytes()).pages]
    assert f"{title} · versione" not in pages[0]  # the cover has no running header
    for text in pages[1:]:
        assert f"{title} · versione {version.number}" in text
        assert f"{settings.PORTAL_NAME} · {settings.PORTAL_AMBITO_NAME} · Codice di verifica {document.verification_code}" in text
        assert re.search(rf"Pagina \d+ / {len(pages)}", text)


def test_the_print_template_is_italian_whoever_approves(coordinator, proposals):
    version = _approve(coordinator, proposals)
    html = render_html("charter/pdf/charter.html", {"version": version, "snapshot": version.snapshot, "projects": [],
                                                    "summary": None, "portal_name": "P", "ambito_name": "A"})
    assert '<html lang="it">' in html


def test_publishing_serves_the_pdf_rendered_at_approval(coordinator, proposals):
    version = _approve(coordinator, proposals)
    document = Document.objects.get(version=version)
    services.publish_version(version, by=coordinator)
    assert list(Document.objects.filter(version=version)) == [document]


def test_edits_after_approval_change_neither_the_version_nor_its_pdf(coordinator, proposals):
    first, _second = proposals
    version = _approve(coordinator, proposals)
    snapshot = version.snapshot
    document = Document.objects.get(version=version)
    content = document.read_bytes()

    first.title, first.summary = "Titolo cambiato", "Sintesi riscritta"
    first.save()
    first.lead_organisation.name = "Nome nuovo dell'ente"
    first.lead_organisation.save()
    Commitment.objects.filter(proposal=first).update(estimated_value_eur=Decimal("99999.00"))
    ProposalPartnerFactory(proposal=first, status=ProposalPartner.Status.ACCEPTED)
    services.publish_version(version, by=coordinator)

    version.refresh_from_db()
    assert version.snapshot == snapshot
    document.refresh_from_db()
    assert document.read_bytes() == content and document.sha256 == hashlib.sha256(content).hexdigest()
    text = pdf_text(content)
    assert "Custodi di vicinato" in text and "Titolo cambiato" not in text and "Nome nuovo" not in text
    # A new draft reads the live data: the change shows in the next version, not in this one.
    draft = services.open_draft(by=coordinator, charter=version.charter)
    assert "Titolo cambiato" in [p.proposal.title for p in draft.items.select_related("proposal")]


def test_the_pact_pdfs_list_signatories_and_then_the_signatures(coordinator, proposals):
    version = services.publish_version(_approve(coordinator, proposals), by=coordinator)
    pact = services.create_pact(version, by=coordinator, deadline=timezone.localdate() + 10 * DAY)
    municipality = OrganisationFactory(verified=True, name="Comune di Legnano")
    services.add_signatory(
        pact, by=coordinator, organisation=municipality, responsibilities="Mette a disposizione le sale.",
    )
    services.open_pact(pact, by=coordinator)
    draft = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    draft_content = _stored(draft)
    draft_text = pdf_text(draft_content)
    first, second = proposals
    for name in ["Il Melograno", second.lead_organisation.name, "Comune di Legnano"]:
        assert name in draft_text
    assert "Mette a disposizione le sale." in draft_text and "Volontari per le visite." in draft_text

    representative = legal_representative(first.lead_organisation)
    signature = services.sign_pact(
        pact, by=representative, organisation=first.lead_organisation, full_name=representative.full_name,
        consent=True, ip="198.51.100.4", user_agent="UA", reauthenticated_at=timezone.now(),
    )
    services.decline_pact(
        pact, by=legal_representative(municipality), organisation=municipality, reason="Bilancio non approvato.",
    )
    pact.__class__.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)
    services.close_pact(pact, by=coordinator)

    final_content = _stored(pact.documents.get(kind=DocumentKind.PACT_FINAL))
    text = pdf_text(final_content)
    assert representative.full_name in text and "Il Melograno" in text
    assert signature.record_sha256[:16] in text.replace(" ", "")
    assert draft.sha256[:16] in text.replace(" ", "")
    assert "Bilancio non approvato." in text
    assert "198.51.100.4" not in text  # audit details stay in the database
    assert draft.read_bytes() == draft_content  # the signed text is never rendered again
