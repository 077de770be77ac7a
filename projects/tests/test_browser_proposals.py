"""Proposals in a real browser, from the partners' side: writing one (a validation error
first), inviting a co-partner who accepts, adding a commitment, uploading and downloading an
attachment, submitting (refused with the list of missing fields, then accepted) and
withdrawing. Every page visited is checked with axe; elements are found by role, name
attribute or URL, and Italian text is asserted only where it is data."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from partners.models import Membership
from projects.models import Attachment, Commitment, Proposal, ProposalPartner
from projects.tests.factories import (
    CompleteProposalFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ThemeFactory,
    lead_member,
    steering_member,
)
from projects.tests.test_attachments import tiny_pdf
from welfare_portal.models import AgeBand, PolicyArea, TargetGroup
from welfare_portal.tests.browser import assert_accessible, field_error, log_in_as, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reference_data():
    """What CompleteProposalFactory picks: transactional tests may find the data migrations'
    rows flushed, depending on what ran before them."""
    TargetGroup.objects.get_or_create(slug="older-people", defaults={"name": "Anziani"})
    AgeBand.objects.get_or_create(label="65 e oltre", defaults={"min_age": 65})
    for slug, name in [("social-services", "Servizi sociali"), ("transport", "Trasporti")]:
        PolicyArea.objects.get_or_create(slug=slug, defaults={"name": name})


def test_write_a_proposal(live_server, browser_page):
    membership = MembershipFactory(organisation__name="Cooperativa Il Ponte")
    theme = ThemeFactory(title="Abitare insieme")
    page = browser_page
    log_in_as(page, live_server, membership.user)

    # "My proposals" from the menu: the empty state leads to the form.
    page.goto(live_server.url + "/")
    page.locator('nav a[href="/area-personale/"]').first.click()
    page.locator('main a[href="/proposte/"]').first.click()
    expect(page).to_have_url(re.compile(r"/proposte/$"))
    assert_accessible(page)
    page.locator('main .alert a[href="/proposte/nuova/"]').click()
    expect(page).to_have_url(re.compile(r"/proposte/nuova/$"))
    expect(page.locator("main form > fieldset > legend")).to_have_count(7)
    assert_accessible(page)

    page.locator('input[name="title"]').fill("Rete di vicinato")
    page.locator('select[name="theme"]').select_option(str(theme.pk))
    page.locator('textarea[name="need"]').fill("Anziani soli senza rete familiare.")
    page.locator('input[name="start_date"]').fill("2027-06-01")
    page.locator('input[name="end_date"]').fill("2027-01-01")  # before the start
    submit(page)

    expect(field_error(page, "end_date")).to_be_visible()
    expect(page.locator('textarea[name="need"]')).to_have_value("Anziani soli senza rete familiare.")
    expect(page.locator('input[name="title"]')).to_have_value("Rete di vicinato")
    assert not Proposal.objects.exists()
    assert_accessible(page)

    page.locator('input[name="end_date"]').fill("2028-05-31")
    submit(page)

    proposal = Proposal.objects.get()
    expect(page).to_have_url(re.compile(rf"/proposte/{proposal.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rete di vicinato")
    expect(page.locator('main [data-status="draft"]')).to_be_visible()
    expect(page.locator("#submission-readiness li").first).to_be_visible()  # what is still missing
    assert_accessible(page)
    assert proposal.lead_organisation == membership.organisation
    assert proposal.need == "Anziani soli senza rete familiare."

    page.locator('nav a[href="/area-personale/"]').first.click()
    page.locator('main a[href="/proposte/"]').first.click()
    expect(page.locator(f'main table a[href="/proposte/{proposal.pk}/"]')).to_have_text("Rete di vicinato")
    assert_accessible(page)


def test_invite_a_co_partner_who_accepts_then_commits(live_server, browser_page):
    proposal = ProposalFactory(title="Doposcuola diffuso")
    lead = lead_member(proposal)
    guest = OrganisationFactory(verified=True, name="Oratorio San Magno")
    referent = MembershipFactory(organisation=guest, role=Membership.Role.REFERENT).user
    page = browser_page
    log_in_as(page, live_server, lead)

    page.goto(f"{live_server.url}/proposte/{proposal.pk}/")
    page.locator(f'main a[href="/proposte/{proposal.pk}/partner/invita/"]').click()
    assert_accessible(page)
    page.locator('select[name="organisation"]').select_option(str(guest.pk))
    submit(page)
    expect(page).to_have_url(re.compile(rf"/proposte/{proposal.pk}/#partners$"))
    partner = ProposalPartner.objects.get()
    expect(page.locator(f'tr[data-partner="{partner.pk}"] [data-partner-status="invited"]')).to_be_visible()
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [[referent.email]]

    # The referent follows the link in the email and accepts.
    log_in_as(page, live_server, referent)
    link = re.search(r"https?://\S+/proposte/\d+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Doposcuola diffuso")
    assert_accessible(page)
    page.locator(f'form[action="/proposte/partner/{partner.pk}/risposta/"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/proposte/{proposal.pk}/#commitments$"))
    expect(page.locator(f'tr[data-partner="{partner.pk}"] [data-partner-status="accepted"]')).to_be_visible()
    assert_accessible(page)
    partner.refresh_from_db()
    assert partner.status == ProposalPartner.Status.ACCEPTED

    # Now a co-partner, it states what it puts in: a wrong quantity first.
    page.locator(f'main a[href="/proposte/{proposal.pk}/impegni/nuovo/"]').click()
    assert_accessible(page)
    page.locator('select[name="kind"]').select_option(Commitment.Kind.PREMISES)
    page.locator('input[name="quantity"]').fill("0")
    page.locator('input[name="unit"]').fill("mq")
    page.locator('input[name="estimated_value_eur"]').fill("1234.5")
    page.locator('textarea[name="description"]').fill("Salone dell'oratorio, due pomeriggi a settimana")
    submit(page)
    expect(field_error(page, "quantity")).to_be_visible()
    expect(page.locator('input[name="unit"]')).to_have_value("mq")
    assert not Commitment.objects.exists()
    assert_accessible(page)

    page.locator('input[name="quantity"]').fill("120")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/proposte/{proposal.pk}/#commitments$"))
    expect(page.locator(f'[data-subtotal="{guest.pk}"]')).to_have_text("€ 1.234,50")
    expect(page.locator("#commitment-total strong")).to_have_text("€ 1.234,50")
    assert_accessible(page)
    assert Commitment.objects.get().organisation == guest


def test_upload_and_download_an_attachment(live_server, browser_page):
    proposal = ProposalFactory()
    page = browser_page
    log_in_as(page, live_server, lead_member(proposal))

    page.goto(f"{live_server.url}/proposte/{proposal.pk}/")
    page.locator(f'main a[href="/proposte/{proposal.pk}/allegati/nuovo/"]').click()
    assert_accessible(page)

    # A text file called .pdf is refused, with the reason next to the field.
    page.locator('input[name="file"]').set_input_files(
        {"name": "finto.pdf", "mimeType": "application/pdf", "buffer": b"not really a PDF"}
    )
    submit(page)
    expect(field_error(page, "file")).to_be_visible()
    assert not Attachment.objects.exists()
    assert_accessible(page)

    page.locator('input[name="file"]').set_input_files(
        {"name": "Lettera di impegno.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}
    )
    submit(page)
    attachment = Attachment.objects.get()
    expect(page).to_have_url(re.compile(rf"/proposte/{proposal.pk}/#attachments$"))
    link = page.locator(f'main a[href="/proposte/allegati/{attachment.pk}/"]')
    expect(link).to_have_text("Lettera di impegno.pdf")
    assert_accessible(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Lettera di impegno.pdf"
    with open(download.path(), "rb") as file:
        assert file.read() == tiny_pdf()


def test_submit_refused_with_the_missing_fields_then_accepted_then_withdrawn(live_server, browser_page):
    reference_data()
    proposal = CompleteProposalFactory(title="Spesa sospesa", indicators="")
    lead = lead_member(proposal)
    steering = steering_member()
    page = browser_page
    log_in_as(page, live_server, lead)

    page.goto(f"{live_server.url}/proposte/{proposal.pk}/")
    page.locator(f'#actions a[href="/proposte/{proposal.pk}/invia/"]').click()
    expect(page.locator("#missing-fields li")).to_have_count(1)
    assert_accessible(page)
    submit(page)
    expect(page.locator("#submit-error")).to_be_visible()
    expect(page.locator("#missing-fields li")).to_have_count(1)
    assert_accessible(page)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT

    page.locator(f'#missing-fields a[href="/proposte/{proposal.pk}/modifica/"]').click()
    assert_accessible(page)
    page.locator('textarea[name="indicators"]').fill("Numero di famiglie raggiunte ogni mese.")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/proposte/{proposal.pk}/$"))

    page.locator(f'#actions a[href="/proposte/{proposal.pk}/invia/"]').click()
    expect(page.locator("#missing-fields")).to_have_count(0)
    submit(page)
    expect(page).to_have_url(re.compile(rf"/proposte/{proposal.pk}/$"))
    expect(page.locator('main [data-status="submitted"]')).to_be_visible()
    expect(page.locator(f'main a[href="/proposte/{proposal.pk}/modifica/"]')).to_have_count(0)
    assert_accessible(page)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, steering.email])

    # Withdrawing needs an explicit confirmation, and is final.
    page.locator(f'#actions a[href="/proposte/{proposal.pk}/ritira/"]').click()
    assert_accessible(page)
    submit(page)
    expect(field_error(page, "confirm")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    page.locator('label[for="id_confirm"]').click()
    expect(page.locator("#id_confirm")).to_be_checked()
    page.locator('textarea[name="note"]').fill("Il partner principale si è ritirato.")
    submit(page)
    expect(page.locator('main [data-status="withdrawn"]')).to_be_visible()
    expect(page.locator("#actions")).to_have_count(0)
    expect(page.locator("#history")).to_be_visible()
    expect(page.locator("main table").last).to_contain_text("Il partner principale si è ritirato.")
    assert_accessible(page)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
