"""A person's codice fiscale never reaches a public page, a public PDF or open data.

A qualified certificate carries its holder's codice fiscale in the subject's serialNumber
(`TINIT-…`): the signature annex of the Patto, its public page and the verification page name
the certificate by issuer and serial number instead. A sole trader's organisation has the
person's own codice fiscale as tax code: public pages and open data leave it out, while a legal
body's numeric code stays public.
"""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from charter import services
from charter.models import DocumentKind, Pact
from charter.tests import pki
from charter.tests.factories import OpenPactFactory, legal_representative
from charter.tests.pdfs import pdf_text
from partners.models import Organisation
from partners.validators import public_tax_code, without_personal_tax_codes
from projects.tests.factories import OrganisationFactory, SteeringGroupMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNER_TAX_CODE = "RSSMRA80A01F205X"
SOLE_TRADER_TAX_CODE = "VRDLGU75C12F205G"
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(scope="module")
def authority():
    return pki.Authority("Esempio Firma Qualificata CA")


@pytest.fixture
def closed_pact(authority, settings):
    """A pact signed by one organisation with a qualified signature whose certificate carries
    TINIT-RSSMRA80A01F205X, with a sole trader among its signatories, then closed: the final
    PDF is rendered for real."""
    settings.CHARTER_TRUSTED_ROOTS_DIR = ""
    pact = OpenPactFactory()
    signed_for, sole_trader = pact.signatories.order_by("pk")
    Organisation.objects.filter(pk=sole_trader.organisation_id).update(tax_code=SOLE_TRADER_TAX_CODE)
    sole_trader.organisation_tax_code = SOLE_TRADER_TAX_CODE
    sole_trader.save(update_fields=["organisation_tax_code"])

    representative = legal_representative(
        signed_for.organisation, user=UserFactory(full_name="Mario Rossi"), representative_tax_code=SIGNER_TAX_CODE,
    )
    issued = pki.use_real_draft(pact)
    credential = authority.issue(SIGNER_TAX_CODE, name="Mario Rossi")
    signature = services.sign_pact_qualified(
        pact, by=representative, organisation=signed_for.organisation, signed_file=credential.sign(issued),
        ip="198.51.100.7", user_agent="test", reauthenticated_at=timezone.now(),
    )
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)
    coordinator = SteeringGroupMemberFactory(coordinator=True, user=UserFactory(totp=True)).user
    services.close_pact(pact, by=coordinator)
    pact.signature = signature
    return pact


def evidence_of(pact):
    return pact.signature.qualified_evidence


def test_the_certificate_carries_the_code_that_must_stay_private(closed_pact):
    """The premise: the portal keeps the code for staff (the evidence), not for the public."""
    evidence = evidence_of(closed_pact)
    assert evidence.certificate_tax_code == SIGNER_TAX_CODE
    assert f"TINIT-{SIGNER_TAX_CODE}" in evidence.certificate_subject
    assert SIGNER_TAX_CODE not in closed_pact.signature.consent_text
    assert "Esempio Firma Qualificata CA" in closed_pact.signature.consent_text


def test_the_final_pdf_annex_names_issuer_and_serial_not_the_codice_fiscale(closed_pact):
    final = closed_pact.documents.get(kind=DocumentKind.PACT_FINAL)
    text = pdf_text(final.read_bytes())
    compact = text.replace(" ", "")
    evidence = evidence_of(closed_pact)
    assert SIGNER_TAX_CODE not in compact and "TINIT" not in compact
    assert SOLE_TRADER_TAX_CODE not in compact
    # Documents are written in the portal's language, Italian.
    assert "Mario Rossi, legale rappresentante" in text
    assert "Firma digitale qualificata (PAdES)" in text
    assert "Esempio Firma Qualificata CA" in text
    assert evidence.certificate_serial_number in compact


def test_the_public_pages_name_issuer_and_serial_not_the_codice_fiscale(client, closed_pact):
    evidence = evidence_of(closed_pact)
    final = closed_pact.documents.get(kind=DocumentKind.PACT_FINAL)
    pact_page = client.get(reverse("charter:pact-detail", args=[closed_pact.pk]))
    verification_page = client.get(reverse("charter:verification-detail", args=[final.verification_code]))
    for response in (pact_page, verification_page):
        content = response.content.decode()
        assert response.status_code == 200
        assert SIGNER_TAX_CODE not in content and SOLE_TRADER_TAX_CODE not in content
        assert "Mario Rossi" in content
        assert "Esempio Firma Qualificata CA" in content and evidence.certificate_serial_number in content
    assert "Qualified digital signature" in verification_page.content.decode()


def test_open_data_leaves_out_personal_tax_codes_and_keeps_legal_bodies(client, settings, closed_pact):
    settings.PORTAL_AMBITO_NAME = closed_pact.version.charter.ambito_name
    Organisation.objects.filter(pk__in=closed_pact.signatories.values("organisation")).update(
        status=Organisation.Status.VERIFIED,
    )
    legal_body = closed_pact.signatories.exclude(organisation_tax_code=SOLE_TRADER_TAX_CODE).get()
    for dataset, key in [("partner", "tax_code"), ("risorse-patto", "organisation_tax_code")]:
        for fmt in ["csv", "json"]:
            response = client.get(reverse("charter:opendata-export", args=[dataset, fmt]))
            assert response.status_code == 200, (dataset, fmt)
            content = b"".join(response.streaming_content).decode()
            assert SIGNER_TAX_CODE not in content and SOLE_TRADER_TAX_CODE not in content
            assert legal_body.organisation_tax_code in content
            if fmt == "json":
                records = json.loads(content)["records"]
                assert "" in {record[key] for record in records}  # the sole trader's, left empty


def test_a_sole_traders_profile_hides_the_code_from_the_public_not_from_its_referent(client):
    referent = UserFactory()
    organisation = OrganisationFactory(verified=True, tax_code=SOLE_TRADER_TAX_CODE, referent=referent)
    url = reverse("partners:organisation-detail", args=[organisation.pk])
    public = client.get(url).content.decode()
    assert SOLE_TRADER_TAX_CODE not in public and "not published" in public
    client.force_login(referent)
    assert SOLE_TRADER_TAX_CODE in client.get(url).content.decode()


@pytest.mark.parametrize("value, public", [
    ("01234567890", "01234567890"),
    ("IT01234567890", "01234567890"),
    (SOLE_TRADER_TAX_CODE, ""),
    (SOLE_TRADER_TAX_CODE.lower(), ""),
    ("", ""),
])
def test_public_tax_code(value, public):
    assert public_tax_code(value) == public


def test_without_personal_tax_codes_blanks_codes_and_keeps_the_rest():
    text = f"Common Name: Mario Rossi, Serial Number: TINIT-{SIGNER_TAX_CODE}, Country: IT; omocodia RSSMRA8LALMFR0MX"
    cleaned = without_personal_tax_codes(text)
    assert SIGNER_TAX_CODE not in cleaned and "TINIT" not in cleaned and "RSSMRA8LALMFR0MX" not in cleaned
    assert cleaned.startswith("Common Name: Mario Rossi, Serial Number: [") and "Country: IT" in cleaned
    assert without_personal_tax_codes("Partita IVA 01234567890, hash 3f2a9c") == "Partita IVA 01234567890, hash 3f2a9c"


def test_a_common_name_that_quotes_the_codice_fiscale_stays_out_of_the_record(authority, settings):
    """Some certificates put the code in the common name too ("RSSMRA80A01F205X/Mario Rossi")."""
    settings.CHARTER_TRUSTED_ROOTS_DIR = ""
    pact = OpenPactFactory()
    organisation = pact.signatories.order_by("pk").first().organisation
    representative = legal_representative(organisation, user=UserFactory(full_name=""),
                                          representative_tax_code=SIGNER_TAX_CODE)
    issued = pki.use_real_draft(pact)
    credential = authority.issue(SIGNER_TAX_CODE, name=f"{SIGNER_TAX_CODE}/Mario Rossi")
    signature = services.sign_pact_qualified(
        pact, by=representative, organisation=organisation, signed_file=credential.sign(issued),
        ip="198.51.100.7", user_agent="test", reauthenticated_at=timezone.now(),
    )
    assert SIGNER_TAX_CODE not in signature.consent_text and "Mario Rossi" in signature.consent_text
    assert SIGNER_TAX_CODE not in signature.full_name and "Mario Rossi" in signature.full_name
