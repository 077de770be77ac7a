"""The Carta and the Patto as a public body keeps and publishes them: PDF/A-2 level A (tagged,
every font embedded, title and language set, bookmarks, alternative text for the QR code),
sealed without losing any of it; what people wrote printed exactly as they wrote it, in any
script, with emoji; no heading left alone at the foot of a page.

The files are read back as an archivist's or a reader's tools read them: pikepdf (qpdf) for the
structure, poppler's pdftotext for the text."""

import copy
import datetime
import logging
import os
import re
import shutil
import unicodedata

import pytest
from django.utils import timezone

from charter import services
from charter.documents import charter_context
from charter.models import Document, DocumentKind
from charter.pdf import STATIC_BASE, render_pdf
from charter.pdf_fonts import FOLDER, fallback_font_faces
from charter.tests.factories import CharterVersionFactory, approved_proposal, legal_representative, steering_member
from charter.tests.pdfs import (
    catalog,
    characters_without_their_glyph,
    font_names,
    fonts_not_embedded,
    info_xmp_mismatches,
    outline_titles,
    pdfa_identification,
    pdftotext_pages,
    structure_types,
)
from charter.tests.test_seal import validate
from projects.tests.factories import OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def pdftotext():
    """poppler-utils' pdftotext (.ci/run installs it); a developer without it is told to."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        pytest.skip("pdftotext is missing: sudo apt-get install poppler-utils")


@pytest.fixture
def coordinator():
    return steering_member(coordinator=True)


def assert_archival_and_accessible(content, *, title):
    """The read-back checks every Carta and Patto passes."""
    assert pdfa_identification(content) == ("2", "A")
    assert info_xmp_mismatches(content) == []
    assert catalog(content) == {
        "lang": "it", "title": title, "display_doc_title": True, "marked": True, "tagged": True,
        "output_intent": True,
    }
    assert fonts_not_embedded(content) == set()
    counts, figures = structure_types(content)
    assert counts["/Document"] == 1 and counts["/H1"] == 1
    for kind in ["/H2", "/P", "/Table", "/TH", "/TD", "/L", "/LI"]:
        assert counts.get(kind), f"no {kind} in the structure tree"
    # The one image is the QR code, and it says where it leads.
    assert len(figures) == 1
    assert re.fullmatch(r"Codice QR della pagina di verifica https?://\S+/verifica/\S+/", figures[0])
    return counts


def test_the_carta_is_pdfa_tagged_and_stays_so_once_sealed(seal, coordinator, caplog):
    proposal = approved_proposal("Custodi di vicinato", theme=ThemeFactory(title="Abitare e vicinato solidale"))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        version = services.approve_version(CharterVersionFactory(proposals=[proposal]), by=coordinator)
    # WeasyPrint says when a tagged PDF lacks something (a language, an image's alternative text).
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    document = Document.objects.get(version=version, kind=DocumentKind.CHARTER)
    content = document.read_bytes()

    assert document.sealed and validate(content, seal).bottom_line
    counts = assert_archival_and_accessible(content, title=f"{version.charter.title} – versione {version.number}")
    assert counts["/H3"] >= 1 and counts.get("/Caption")  # the project's title, its table's caption
    # Bookmarks follow the headings: the cover's title, then chapters, themes and projects.
    titles = outline_titles(content)
    assert titles[0] == version.charter.title
    for title in ["Introduzione", "Principi", "Abitare e vicinato solidale", "Custodi di vicinato", "Partner"]:
        assert title in titles


def test_the_pact_for_signing_and_the_signed_pact_are_pdfa_tagged(seal, coordinator):
    version = CharterVersionFactory(proposals=[approved_proposal("Custodi di vicinato")])
    version = services.publish_version(services.approve_version(version, by=coordinator), by=coordinator)
    pact = services.create_pact(version, by=coordinator, deadline=timezone.localdate() + 10 * DAY)
    municipality = OrganisationFactory(verified=True, name="Comune di Legnano")
    services.add_signatory(pact, by=coordinator, organisation=municipality, responsibilities="- Sale\n- Personale")
    services.open_pact(pact, by=coordinator)
    representative = legal_representative(municipality)
    services.sign_pact(
        pact, by=representative, organisation=municipality, full_name=representative.full_name,
        consent=True, ip="198.51.100.4", user_agent="UA", reauthenticated_at=timezone.now(),
    )
    pact.__class__.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)
    services.close_pact(pact, by=coordinator)

    draft = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    final = pact.documents.get(kind=DocumentKind.PACT_FINAL)
    assert not draft.sealed and final.sealed  # the text for signing takes only the signers' signatures
    for document in [draft, final]:
        content = document.read_bytes()
        assert_archival_and_accessible(content, title=pact.title)
        assert "Firmatari e relativi impegni" in outline_titles(content)
    assert validate(final.read_bytes(), seal).bottom_line
    assert "Allegato: firme" in outline_titles(final.read_bytes())


# Strings that a typographer's filter, a template engine or a font would change: quotes of every
# kind and unbalanced, markup and template syntax, apostrophes, dashes and dots that "smart"
# punctuation rewrites, ligatures, a soft hyphen, Arabic (right to left), Chinese, accented
# Italian, emoji.
HOSTILE = {
    "title": 'Il "Doposcuola\' {% now "Y" %} «aperto “chiuso’ l\'anno -- e ... <script>alert(1)</script> ffi😀',
    "summary": (
        "Testo con {{ x }} e {% now \"Y\" %}, virgolette \" ' ` ´ „ ‚ ‹ › sbilanciate, "
        "un'«apertura senza chiusura, affinché l'ufficio fluffi sia efficiente -- davvero... "
        "Citt\u00e0 \u00e8 perch\u00e9 pi\u00f9 Niccol\u00f2 \u00c8 - trattino\u00admorbido. "
        "arabo مرحبا بالعالم e cinese 中文汉字测试, Ελληνικά, Кириллица, 🎉 👍🏽 ❤️ ✓ ≥ → fine"
    ),
    "partner": "Associazione \"L'Approdo' & <b>figli</b> ‘Ω’ — ente مؤسسة النور di 希望 🙂",
}


def _without_invisibles(text):
    """The text without format characters (the portal strips them on input: soft hyphens,
    joiners, bidirectional controls; pdftotext adds the latter around right-to-left runs) and
    variation selectors (U+FE0F asks for an emoji's colour form: our monochrome font has one)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf" and char not in "\ufe0e\ufe0f")


def _as_printed(written):
    """A pattern of `written` as the PDF gives it back: every character, in order, with a line
    break allowed between any two of them (Chinese breaks between any two characters) and any
    run of whitespace standing for a space. The one liberty: pdftotext turns right-to-left runs
    back to logical order from the page, where a space beside the run may land on its other
    side, so a space touching Arabic may be missing there. Nothing else may differ."""
    words = _without_invisibles(written).split()
    pattern = r"\s*".join(re.escape(char) for char in words[0])
    for previous, word in zip(words, words[1:]):
        rtl = {unicodedata.bidirectional(previous[-1]), unicodedata.bidirectional(word[0])} & {"R", "AL"}
        pattern += (r"\s*" if rtl else r"\s+") + r"\s*".join(re.escape(char) for char in word)
    return re.compile(pattern)


def test_what_people_wrote_comes_back_exactly_and_prints_in_every_script(pdftotext, caplog, coordinator):
    partner = OrganisationFactory(verified=True, name=HOSTILE["partner"])
    proposal = approved_proposal(
        HOSTILE["title"], summary=HOSTILE["summary"], lead_organisation=partner,
        theme=ThemeFactory(title="Abitare 🏠 家"),  # also printed in the pages' running header
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        version = services.approve_version(CharterVersionFactory(proposals=[proposal]), by=coordinator)
    content = Document.objects.get(version=version, kind=DocumentKind.CHARTER).read_bytes()

    text = _without_invisibles("\n".join(pdftotext_pages(content)))
    for key, written in HOSTILE.items():
        assert _as_printed(written).search(text), f"{key}: {written!r} not in {text!r}"
    assert "»" not in text and "’anno" not in text  # nothing "corrected"
    # Every character has a glyph: none drawn as the empty .notdef box (which PDF/A forbids too),
    # none drawn with another font's glyph (what pdftotext cannot see).
    assert not [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]
    assert characters_without_their_glyph(content) == []
    names = " ".join(font_names(content))
    for font in ["Titillium-Web", "Noto-Emoji", "Vazirmatn", "Noto-Sans-SC", "Noto-Sans"]:  # all of them shipped
        assert font in names
    assert fonts_not_embedded(content) == set()


def test_only_the_fallback_fonts_a_document_needs_are_declared():
    """Each declared face costs its unpacking at every render: Italian needs none."""
    assert fallback_font_faces("Perché è così: «Carta» – 1.500,00 € · l’anno", STATIC_BASE) == ""
    css = fallback_font_faces("Ciao 🎉 مرحبا", STATIC_BASE)
    assert css.count("@font-face") == 2
    assert all(url.startswith(STATIC_BASE + FOLDER) for url in re.findall(r'url\("([^"]+)"\)', css))
    # Each file is a family of its own, named after Titillium Web in the text's font list.
    families = re.findall(r'font-family: "([^"]+)";', css)
    assert [family.rsplit(" ", 1)[0] for family in families] == ["Vazirmatn", "Noto Emoji"]
    assert re.search(r'html \{ font-family: "Titillium Web", "%s", "%s", sans-serif; \}' % tuple(families), css)


def _carta_with_varied_projects(coordinator, count):
    """A Carta of `count` projects whose summaries grow by a line each, so that some project's
    table of resources falls at the foot of a page (as it does without `break-after: avoid`)."""
    proposal = approved_proposal("Progetto di base", co_partner=False)
    version = services.approve_version(CharterVersionFactory(proposals=[proposal]), by=coordinator)
    snapshot = copy.deepcopy(version.snapshot)
    theme = snapshot["themes"][0]
    base = theme["projects"][0]
    for key in ["need", "objectives", "activities", "rights", "duties", "indicators"]:
        base[key] = ""
    theme["projects"] = []
    for number in range(count):
        project = copy.deepcopy(base)
        project["proposal_id"] = 100_000 + number
        project["title"] = f"Progetto numero {number}"
        lines = range(number % 9 + 1)
        project["summary"] = "\n".join(f"Riga {line} della sintesi del progetto {number}." for line in lines)
        project["commitments"][0]["organisation"] = f"Ente del progetto {number}"
        theme["projects"].append(project)
    version.snapshot = snapshot
    return version


def test_a_table_caption_never_ends_a_page_without_its_table(pdftotext, coordinator):
    version = _carta_with_varied_projects(coordinator, 40)
    rendered = render_pdf("charter/pdf/charter.html", {**charter_context(version), "verification_code": ""}, seal=False)
    caption = "Responsabilità e risorse messe in rete"

    pages = pdftotext_pages(rendered.content)
    assert sum(page.count(caption) for page in pages) == 40
    for number, page in enumerate(pages, start=1):
        if caption in page:
            # The caption is followed, on its page, by its table's first row: a partner's name.
            assert "Ente del progetto" in page.rsplit(caption, 1)[1], f"page {number} ends with a caption"
