"""Limits before reading, in a real browser: a file over the attachment limit gets the Italian
page that names the limit and leads back to the form (checked with axe); a PDF sent as
evil.html is kept and downloaded as evil.pdf."""

import pytest
from playwright.sync_api import expect

from projects.models import Attachment
from projects.tests.factories import ProposalFactory, lead_member
from projects.tests.test_attachments import tiny_pdf
from welfare_portal.tests.browser import ARTIFACTS_DIR, assert_accessible, log_in_as, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_file_over_the_limit_gets_a_page_that_names_it(live_server, browser_page, settings):
    settings.PROJECTS_ATTACHMENT_MAX_BYTES = 100 * 1024
    proposal = ProposalFactory()
    page = browser_page
    log_in_as(page, live_server, lead_member(proposal))
    form_url = f"{live_server.url}/proposte/{proposal.pk}/allegati/nuovo/"
    page.goto(form_url)

    page.locator('input[name="file"]').set_input_files(
        {"name": "Bilancio.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf() + b"%" + b"0" * 300_000}
    )
    submit(page)
    expect(page.locator("h1")).to_have_text("File troppo grande")
    expect(page.locator("main")).to_contain_text("Questa pagina accetta file fino a 100,0\xa0KB")
    assert not Attachment.objects.exists()
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS_DIR / "upload-limits-413.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS_DIR / "upload-limits-413-phone.png"), full_page=True)

    page.locator("main a", has_text="Torna al modulo").click()
    expect(page).to_have_url(form_url)


def test_a_pdf_sent_as_html_is_downloaded_as_pdf(live_server, browser_page):
    proposal = ProposalFactory()
    page = browser_page
    log_in_as(page, live_server, lead_member(proposal))
    page.goto(f"{live_server.url}/proposte/{proposal.pk}/allegati/nuovo/")
    page.locator('input[name="file"]').set_input_files(
        {"name": "evil.html", "mimeType": "text/html", "buffer": tiny_pdf()}
    )
    submit(page)
    attachment = Attachment.objects.get()
    link = page.locator(f'main a[href="/proposte/allegati/{attachment.pk}/"]')
    expect(link).to_have_text("evil.pdf")
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename == "evil.pdf"
