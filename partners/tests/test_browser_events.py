"""Events in a real browser: registering (a confirmed seat, then the waiting list), cancelling
with the link in the email, and an organiser creating an event, working the registrations and
exporting them as CSV. Every page visited is checked with axe; elements are found by role, name
attribute or URL, and text is asserted only where it is data (names, titles, places)."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from partners import services
from partners.models import Event, EventRegistration
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import SteeringGroupMemberFactory
from welfare_portal.tests.browser import ARTIFACTS_DIR, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = EventRegistration.Status
FORMULA = '=HYPERLINK("http://example.org","x")'


def fill_registration(page, name, email, organisation=""):
    page.locator('main input[name="name"]').fill(name)
    page.locator('main input[name="email"]').fill(email)
    page.locator('main input[name="organisation_name"]').fill(organisation)
    # Bootstrap Italia draws its own box over the checkbox: tick it from the keyboard.
    page.locator('main input[name="privacy_consent"]').focus()
    page.keyboard.press("Space")
    expect(page.locator('main input[name="privacy_consent"]')).to_be_checked()
    page.locator('main form button[type="submit"]').click()


def test_people_register_until_the_event_is_full_then_join_the_waiting_list(live_server, browser_page):
    event = EventFactory(title="Evento di lancio del welfare generativo", place="Legnano, Sala Ratti", capacity=1)
    EventFactory(title="Incontro preparatorio", past=True)
    page = browser_page

    page.goto(live_server.url + "/")
    page.locator('nav a[href="/eventi/"]').first.click()
    expect(page).to_have_url(re.compile(r"/eventi/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Incontro preparatorio")
    assert_accessible(page)

    page.locator(f'main a[href="/eventi/{event.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    expect(page.locator("main")).to_contain_text("Legnano, Sala Ratti")
    expect(page.locator('main #div_id_privacy_consent a[href="/privacy/"]')).to_be_visible()
    assert_accessible(page)

    # Submitting without the privacy consent is refused next to the checkbox.
    page.locator('main input[name="name"]').fill("Giulia Bianchi")
    page.locator('main input[name="email"]').fill("giulia.bianchi@example.org")
    page.locator('main form button[type="submit"]').click()
    expect(page.locator("#div_id_privacy_consent .invalid-feedback")).to_be_visible()
    assert not EventRegistration.objects.exists()
    assert_accessible(page)

    fill_registration(page, "Giulia Bianchi", "giulia.bianchi@example.org", "Cooperativa La Ruota")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("giulia.bianchi@example.org")
    assert EventRegistration.objects.get(email="giulia.bianchi@example.org").status == Status.CONFIRMED
    assert mail.outbox[-1].to == ["giulia.bianchi@example.org"]
    # The event is now full: the page says so before anyone else fills the form.
    expect(page.locator("main .alert-warning")).to_be_visible()
    assert_accessible(page)

    fill_registration(page, "Marco Colombo", "marco.colombo@example.org")
    expect(page.locator(".alert-success")).to_contain_text("marco.colombo@example.org")
    assert EventRegistration.objects.get(email="marco.colombo@example.org").status == Status.WAITING
    assert mail.outbox[-1].to == ["marco.colombo@example.org"]
    assert_accessible(page)


def test_a_stranger_typing_address_after_address_reaches_the_limit_and_sends_nothing(
    live_server, browser_page, settings,
):
    """The same answer for an address already registered; past the limit of emails from one
    connection, a page that says why (HTTP 429), and nothing stored or sent."""
    settings.PORTAL_PUBLIC_MAIL_PER_CLIENT = ["2/d"]
    event = EventFactory(title="Evento di lancio del welfare generativo", capacity=10)
    EventRegistrationFactory(event=event, name="Giulia Bianchi", email="giulia.bianchi@example.org")
    page = browser_page
    page.goto(f"{live_server.url}/eventi/{event.pk}/")

    fill_registration(page, "Marco Colombo", "marco.colombo@example.org")
    expect(page.locator(".alert-success")).to_contain_text("marco.colombo@example.org")
    new_answer = page.locator(".alert-success").inner_text().replace("marco.colombo@example.org", "X")
    fill_registration(page, "Un Estraneo", "giulia.bianchi@example.org")
    expect(page.locator(".alert-success")).to_contain_text("giulia.bianchi@example.org")
    assert page.locator(".alert-success").inner_text().replace("giulia.bianchi@example.org", "X") == new_answer
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "event_registration_same_answer.png"), full_page=True)
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [["marco.colombo@example.org"], ["giulia.bianchi@example.org"]]

    response = None

    def remember(answer):
        nonlocal response
        if answer.request.method == "POST":
            response = answer

    page.on("response", remember)
    fill_registration(page, "Un Estraneo", "terzo@example.org")
    expect(page.locator("#rate-limit-message")).to_be_visible()
    assert response is not None and response.status == 429
    expect(page.locator(f'main a[href="/eventi/{event.pk}/"]')).to_be_visible()
    assert_accessible(page)
    assert not EventRegistration.objects.filter(email="terzo@example.org").exists()
    assert len(mail.outbox) == 2
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS_DIR / "event_registration_429_phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_cancelling_with_the_emailed_link_gives_the_seat_to_the_first_waiting(live_server, browser_page, settings):
    settings.PORTAL_BASE_URL = live_server.url
    event = EventFactory(title="Evento di lancio", capacity=1)
    services.register_for_event(
        event, name="Giulia Bianchi", email="giulia@example.org", organisation_name="", privacy_consent=True
    )
    waiting = services.register_for_event(
        event, name="Marco Colombo", email="marco@example.org", organisation_name="", privacy_consent=True
    )
    link = re.search(r"https?://\S+/eventi/annulla/\S+/", mail.outbox[0].body).group(0)
    page = browser_page

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Giulia Bianchi")
    expect(page.locator("main")).to_contain_text("Evento di lancio")
    assert_accessible(page)

    page.locator('main form button[type="submit"]').click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator('main form button[type="submit"]')).to_have_count(0)  # nothing left to cancel
    assert_accessible(page)

    waiting.refresh_from_db()
    assert EventRegistration.objects.get(email="giulia@example.org").status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED and waiting.promoted_at is not None
    # After the two confirmations: Giulia's cancellation notice and Marco's seat.
    assert {m.to[0] for m in mail.outbox[2:]} == {"giulia@example.org", "marco@example.org"}


def test_organiser_creates_an_event_works_the_list_and_exports_csv(live_server, browser_page):
    organiser = SteeringGroupMemberFactory(user__full_name="Anna Ricci").user
    page = browser_page
    log_in_as(page, live_server, organiser)

    page.goto(live_server.url + "/eventi/")
    page.locator('main a[href="/gruppo-di-regia/eventi/"]').click()
    expect(page).to_have_url(re.compile(r"/gruppo-di-regia/eventi/$"))
    assert_accessible(page)  # the empty state

    page.locator('main a[href="/gruppo-di-regia/eventi/nuovo/"]').click()
    assert_accessible(page)
    starts_at = timezone.localtime() + datetime.timedelta(days=30)
    page.locator('main input[name="title"]').fill("Evento di lancio del welfare generativo")
    page.locator('main input[name="starts_at"]').fill(starts_at.strftime("%Y-%m-%dT18:00"))
    page.locator('main input[name="place"]').fill("Parabiago, Villa Corvini")
    page.locator('main textarea[name="description"]').fill("Presentazione del percorso e dei tavoli tematici.")
    page.locator('main input[name="capacity"]').fill("2")
    page.locator('main form button[type="submit"]').click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Evento di lancio del welfare generativo")
    event = Event.objects.get()
    assert (event.capacity, event.created_by, timezone.localtime(event.starts_at).hour) == (2, organiser, 18)
    assert_accessible(page)

    hours_ago = lambda hours: timezone.now() - datetime.timedelta(hours=hours)  # noqa: E731
    EventRegistrationFactory(
        event=event, name="Niccolò Bàrberi", organisation_name=FORMULA, registered_at=hours_ago(3)
    )
    EventRegistrationFactory(event=event, name="Sara Neri", registered_at=hours_ago(2))
    EventRegistrationFactory(event=event, name="Elena Galli", waiting=True, registered_at=hours_ago(1))

    page.locator(f'main a[href="/gruppo-di-regia/eventi/{event.pk}/iscrizioni/"]').click()
    expect(page.locator('#registration-counts [data-count="confirmed"]')).to_have_text("2")
    expect(page.locator('#registration-counts [data-count="waiting"]')).to_have_text("1")
    assert_accessible(page)

    page.locator('main select[name="status"]').select_option("waiting")
    page.locator('main form[role="search"] button[type="submit"]').click()
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("Elena Galli")
    page.locator('main select[name="status"]').select_option("")
    page.locator('main form[role="search"] button[type="submit"]').click()
    expect(page.locator("main tbody tr")).to_have_count(3)

    # Sara Neri cannot come: the organiser cancels her seat, which goes to Elena Galli.
    sara = EventRegistration.objects.get(name="Sara Neri")
    page.locator(f'main a[href="/gruppo-di-regia/eventi/iscrizioni/{sara.pk}/annulla/"]').click()
    expect(page.locator("main")).to_contain_text("Sara Neri")
    assert_accessible(page)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/gruppo-di-regia/eventi/{event.pk}/iscrizioni/$"))
    expect(page.locator('#registration-counts [data-count="cancelled"]')).to_have_text("1")
    expect(page.locator('#registration-counts [data-count="confirmed"]')).to_have_text("2")
    assert EventRegistration.objects.get(name="Elena Galli").status == Status.CONFIRMED

    with page.expect_download() as download_info:
        page.locator(f'main a[href="/gruppo-di-regia/eventi/{event.pk}/iscrizioni.csv"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for accents
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    assert [row[0] for row in rows[1:]] == ["Niccolò Bàrberi", "Sara Neri", "Elena Galli"]
    assert rows[1][2] == "'" + FORMULA  # a spreadsheet shows it as text
    assert rows[3][5] != ""  # Elena Galli's promotion time
