"""PDFs prepared in the background, in a real browser: the coordinator approves the Carta and
the page says "PDF in preparazione" (no link, no code) on a desktop and on a phone; the render
fails on a broken seal; staff find the error on their page and press "Riprova"; once the worker
has run, the page shows the PDF's link, fingerprint and code. Jobs go to a real Redis queue; the
worker runs in this process (RQ's SimpleWorker, in burst mode) when the test says so.
Every page is checked with axe.
"""

import re

import django_rq
import pytest
from django.core import mail
from playwright.sync_api import expect
from rq.worker import SimpleWorker

from charter.models import Document, DocumentJob
from charter.services.versions import default_charter
from charter.tests.factories import CharterVersionFactory, approved_proposal, steering_member
from projects.tests.factories import UserFactory
from welfare_portal.tests.browser import assert_accessible, log_in_as, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def run_worker_once():
    django_rq.get_worker("documents", worker_class=SimpleWorker).work(burst=True)


def test_the_carta_pdf_is_shown_as_being_prepared_and_staff_retry_a_failed_render(
    live_server, browser_page, jobs_redis, settings, tmp_path,
):
    settings.CHARTER_RENDER_ATTEMPTS = 1
    settings.CHARTER_SEAL_CERT_PATH = str(tmp_path / "missing-cert.pem")  # a bad deployment of the seal
    settings.CHARTER_SEAL_KEY_PATH = str(tmp_path / "missing-key.pem")
    staff = UserFactory(staff=True, totp=True, full_name="Giulia Ferrari")
    version = CharterVersionFactory(
        charter=default_charter(), number=1, proposals=[approved_proposal("Rete di vicinato per anziani soli")],
    )
    page = browser_page

    # The coordinator approves: the page answers at once and says the PDF is being prepared.
    log_in_as(page, live_server, steering_member(coordinator=True))
    page.goto(f"{live_server.url}/regia/carta/versioni/{version.pk}/approva/")
    assert_accessible(page)
    submit(page)
    expect(page).to_have_url(re.compile(rf"/carta/versioni/{version.pk}/$"))
    pending = page.locator("#document [data-document-pending]")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text("PDF in preparazione")
    expect(page.locator('a[href^="/documenti/"]')).to_have_count(0)
    expect(page.locator("[data-sha256], [data-verification]")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=str(_artifact("document-pending-desktop.png")), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    expect(pending).to_be_visible()
    assert pending.bounding_box()["width"] <= PHONE["width"]
    assert_accessible(page)
    page.screenshot(path=str(_artifact("document-pending-phone.png")), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The worker fails on the seal: staff are emailed and find the error on their page.
    run_worker_once()
    job = DocumentJob.objects.get()
    assert job.status == DocumentJob.Status.FAILED and not Document.objects.exists()
    assert [m.to for m in mail.outbox] == [[staff.email]]

    log_in_as(page, live_server, staff)
    page.goto(f"{live_server.url}/gestione/")
    page.locator('a[href="/gestione/documenti/"]').click()
    expect(page).to_have_url(re.compile(r"/gestione/documenti/$"))
    row = page.locator(f'tr[data-job="{job.pk}"]')
    expect(row).to_have_attribute("data-status", "failed")
    expect(row).to_contain_text("ImproperlyConfigured")
    assert_accessible(page)
    page.screenshot(path=str(_artifact("document-jobs-failed.png")), full_page=True)

    # The cause is fixed; "Riprova" asks for confirmation, then queues it again.
    settings.CHARTER_SEAL_CERT_PATH = settings.CHARTER_SEAL_KEY_PATH = ""
    row.locator('a[href$="/riprova/"]').click()
    expect(page).to_have_url(re.compile(rf"/gestione/documenti/{job.pk}/riprova/$"))
    assert_accessible(page)
    submit(page)
    expect(page).to_have_url(re.compile(r"/gestione/documenti/$"))
    expect(page.locator(f'tr[data-job="{job.pk}"]')).to_have_attribute("data-status", "queued")
    assert_accessible(page)

    run_worker_once()
    page.reload()
    expect(page.locator(f'tr[data-job="{job.pk}"]')).to_have_count(0)
    assert_accessible(page)

    # The version's page now offers the PDF with its fingerprint and code.
    document = Document.objects.get()
    page.goto(f"{live_server.url}/carta/versioni/{version.pk}/")
    expect(page.locator("[data-document-pending]")).to_have_count(0)
    expect(page.locator("[data-sha256]")).to_have_text(document.sha256)
    expect(page.locator("[data-verification]")).to_have_text(document.verification_code)
    expect(page.locator(f'a[href="/documenti/{document.pk}/"]')).to_be_visible()
    assert_accessible(page)


def _artifact(name):
    from welfare_portal.tests.browser import ARTIFACTS_DIR

    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR / name


def test_a_pact_whose_text_for_signing_is_being_prepared_cannot_be_signed_yet(
    live_server, browser_page, jobs_redis,
):
    from charter import services
    from charter.tests.factories import PactFactory, legal_representative

    pact = PactFactory()
    signatory = pact.signatories.select_related("organisation").first()
    representative = legal_representative(signatory.organisation)
    services.open_pact(pact, by=steering_member(coordinator=True))  # commits; the render waits in Redis
    page = browser_page

    page.goto(f"{live_server.url}/patto/{pact.pk}/")
    draft = page.locator("#document-draft [data-document-pending]")
    expect(draft).to_contain_text("PDF in preparazione")
    expect(page.locator('a[href^="/documenti/"]')).to_have_count(0)
    assert_accessible(page)

    log_in_as(page, live_server, representative)
    page.goto(f"{live_server.url}/patto/firmatari/{signatory.pk}/firma/")
    expect(page.locator("#closed-reason")).to_contain_text("in preparazione")
    expect(page.locator('input[name="consent"]')).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=str(_artifact("pact-sign-pending.png")), full_page=True)

    run_worker_once()
    page.reload()  # now the signing goes on: first, confirm it is you
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.goto(f"{live_server.url}/patto/{pact.pk}/")
    document = pact.documents.get()
    expect(page.locator("#document-draft")).to_contain_text(document.sha256)
    assert_accessible(page)
