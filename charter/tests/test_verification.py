"""Verification codes: short, typable, unique, chosen before rendering and printed on the PDF
(cover and every page's footer) with a QR code pointing to the public page."""

import re

import pytest
from django.db import IntegrityError

from charter import services
from charter.documents import charter_context
from charter.models import Document, DocumentKind
from charter.pdf import render_html
from charter.services.versions import default_charter
from charter.tests.factories import CharterVersionFactory, OpenPactFactory, approved_proposal, steering_member
from charter.tests.pdfs import pdf_text, reader
from charter.verification import ALPHABET, CODE_PATTERN, new_code, normalise_code, print_context

CODE = re.compile(r"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}")


def test_codes_are_two_groups_of_five_unambiguous_characters():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert CODE_PATTERN.match(code) and CODE.fullmatch(code)
    assert not set("01IO") & set(ALPHABET)


@pytest.mark.parametrize("typed, expected", [
    ("abcde-23456", "ABCDE-23456"), (" ABCDE 23456 ", "ABCDE-23456"), ("abcde23456", "ABCDE-23456"),
    ("ABCDE–23456", "ABCDE-23456"), ("ABCDE-2345", None), ("ABCDE-23450", None), ("OBCDE-23456", None), ("", None),
    ("ABCDE-23456-X", None),
])
def test_what_people_type_is_normalised(typed, expected):
    assert normalise_code(typed) == expected


def test_the_qr_code_is_an_inline_svg_of_the_public_address(settings):
    settings.PORTAL_BASE_URL = "https://welfare.example.it"
    context = print_context("ABCDE-23456")
    assert context["verification_url"] == "https://welfare.example.it/verifica/ABCDE-23456/"
    assert context["verification_qr"].startswith("<svg") and "href" not in context["verification_qr"]


@pytest.mark.django_db
def test_every_document_gets_a_distinct_code_and_the_database_keeps_them_unique():
    first, second = OpenPactFactory().documents.get(), OpenPactFactory().documents.get()
    assert CODE.fullmatch(first.verification_code) and first.verification_code != second.verification_code
    with pytest.raises(IntegrityError):
        Document.objects.filter(pk=second.pk).update(verification_code=first.verification_code)


@pytest.mark.django_db
def test_the_code_and_qr_are_printed_on_the_carta(settings):
    settings.PORTAL_BASE_URL = "https://welfare.example.it"
    draft = CharterVersionFactory(charter=default_charter(), proposals=[approved_proposal("Rete di vicinato")])
    version = services.approve_version(draft, by=steering_member(coordinator=True))
    document = Document.objects.get(version=version, kind=DocumentKind.CHARTER)
    content = document.read_bytes()
    code = document.verification_code

    cover = reader(content).pages[0].extract_text()
    assert code in " ".join(cover.split())
    text = pdf_text(content)
    assert text.count(code) >= len(reader(content).pages)  # on the cover and in every footer
    assert "welfare.example.it/verifica/" in text.replace(" ", "")

    html = render_html("charter/pdf/charter.html", {**charter_context(version), **print_context(code)})
    assert "<svg" in html and 'class="verification-qr"' in html and code in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_documents_distinct_codes():
    """Documents stored before verification existed get a code (their PDFs stay as they were)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    executor = MigrationExecutor(connection)
    executor.migrate([("charter", "0001_initial")])
    old = executor.loader.project_state([("charter", "0001_initial")]).apps
    charter = old.get_model("charter", "Charter").objects.create(title="Carta", ambito_name="Ambito storico")
    versions = [
        old.get_model("charter", "CharterVersion").objects.create(
            charter=charter, number=number, status="superseded", snapshot={}, approved_at=timezone.now(),
            published_at=timezone.now(),
        )
        for number in (1, 2)
    ]
    for version in versions:
        old.get_model("charter", "Document").objects.create(
            kind="charter", version=version, file="charter/documents/old.pdf", sha256="0" * 64, size=1, page_count=1,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    codes = list(Document.objects.filter(version__charter__ambito_name="Ambito storico")
                 .values_list("verification_code", flat=True))
    assert len(codes) == 2 and len(set(codes)) == 2
    assert all(CODE.fullmatch(code) for code in codes)
    assert not Document.objects.filter(sealed=True).exists()
