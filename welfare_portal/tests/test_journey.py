"""The whole journey, as the people of the partnership walk it in a real browser.

A newcomer signs up, confirms the email and registers an organisation; staff (password and
authenticator code) confirm the newcomer as its legal representative and verify it; the
steering group (password and code too) opens a theme; the newcomer drafts a proposal and
invites a second organisation, whose referent accepts and commits resources; the newcomer
submits; two members of the steering group score it while the third, who sits for the
co-partner, declares the conflict and no longer sees the others' evaluations; the
coordinator approves it, builds the Carta with it, approves and publishes it, prepares and opens
the Patto; the newcomer signs on line (after confirming the password), the co-partner's legal
representative uploads the text for signing signed with a qualified signature; the coordinator
closes the pact; an anonymous visitor reads the Carta and the coverage map, downloads the signed
Patto and verifies it.

Everything is done through the pages, from the keyboard only (welfare_portal.tests.keyboard:
Tab to the element, a visible focus, then Enter, Space, arrows or typing), and every page the
journey reaches is scanned with axe (once per page and markup: a page reached again with the
same markup, only other words, is not scanned twice). It runs once in Italian, the default
language, and once in English, which each person chooses with the header's language switch on
their first page. The ORM only sets up who has no sign-up page (staff, the steering group, the
second organisation with its confirmed legal representative, the municipalities) and reads the
emails sent. Links in emails are opened in the address bar.

Screenshots of the key pages: test-artifacts/journey/<language>-NN-<step>.png.
"""

import datetime
import hashlib
import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.core import mail
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from charter.models import CharterVersion, Document, DocumentKind, Pact, Signature, Signatory
from charter.tests import pki
from partners.models import Membership, Organisation, OrganisationKind, SteeringGroupMember
from projects.models import Commitment, Evaluation, Proposal, ProposalPartner, Rubric, Theme
from welfare_portal.models import PolicyArea, User
from welfare_portal.tests import keyboard
from welfare_portal.tests.browser import (
    ARTIFACTS_DIR, assert_accessible, assert_no_csp_violations, current_totp_code, new_context,
)
from welfare_portal.tests.factories import DEFAULT_PASSWORD, MunicipalityFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing"),
]

SUBMIT = 'main form[method="post"] button[type="submit"]'
NEWCOMER = {"full_name": "Giulia Bianchi", "email": "giulia.bianchi@example.org", "tax_code": "BNCGLI85M41F205B"}
SECOND_REPRESENTATIVE_TAX_CODE = "RSSLCU79B12E514D"
DAY = datetime.timedelta(days=1)


def at(page, path):
    """The page's address ends with this path (a regular expression); a fragment may follow,
    as the skip link's #main carries over to the next page when a form posts to its own URL."""
    expect(page).to_have_url(re.compile(rf"{path}(#[\w-]*)?$"))


# A fingerprint of the page's markup without its text: which elements, with which ids, classes
# and roles (FNV-1a, computed in the page). A page whose path and markup were scanned already
# differs from it only in words (names, dates, numbers).
MARKUP = """() => {
    let hash = 2166136261;
    for (const element of document.body.querySelectorAll("*")) {
        const line = [element.tagName, element.id, element.getAttribute("class"), element.getAttribute("role"),
                      element.getAttribute("type"), element.getAttribute("aria-current")].join(" ") + "\\n";
        for (let i = 0; i < line.length; i++) hash = Math.imul(hash ^ line.charCodeAt(i), 16777619) >>> 0;
    }
    return hash;
}"""


class Journey:
    """The people of the journey, each in their own browser context, and the checks every
    page they reach goes through."""

    def __init__(self, browser, live_server, language, first_page):
        self.browser, self.url, self.language = browser, live_server.url, language
        self.first_page = first_page
        self.contexts = []
        self.pages = {}
        self.screens = 0
        self.current = first_page
        self.lap, self.step_name = time.monotonic(), None
        self.axe_seconds, self.axe_runs = 0.0, 0
        self.scanned, self.checks = set(), 0
        (ARTIFACTS_DIR / "journey").mkdir(parents=True, exist_ok=True)
        for old in (ARTIFACTS_DIR / "journey").glob(f"{language}-*.png"):
            old.unlink()

    def step(self, name):
        """Start a step of the journey; print how long the previous one took (shown with `-s`)."""
        now = time.monotonic()
        if self.step_name:
            print(f"  [{self.language}] {self.step_name}: {now - self.lap:.1f} s")
        self.step_name, self.lap = name, now

    def close(self):
        for context in self.contexts:
            context.close()

    def person(self, key):
        """The person's browser: opened on the home page, in the journey's language."""
        if key in self.pages:
            # Their window comes to the front: Chromium opens a file chooser only there.
            self.current = self.pages[key]
            self.current.bring_to_front()
            return self.current
        if not self.pages:
            page = self.first_page
        else:
            context = new_context(self.browser)
            self.contexts.append(context)
            page = context.new_page()
        self.pages[key] = self.current = page
        page.bring_to_front()
        page.goto(self.url + "/")
        if self.language != "it":
            keyboard.follow(page, page.locator(f'header form.language-switch button[value="{self.language}"]'))
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        self.check(page)
        return page

    def check(self, page, screenshot=None):
        """Nothing blocked by the Content-Security-Policy so far; axe on the page as it is,
        unless the same page with the same markup (text aside) was scanned already in this
        language; a screenshot of the key pages."""
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        assert_no_csp_violations(page)
        self.checks += 1
        key = (urlsplit(page.url).path, page.evaluate(MARKUP))
        if key not in self.scanned:
            before = time.monotonic()
            assert_accessible(page)
            self.axe_seconds += time.monotonic() - before
            self.axe_runs += 1
            self.scanned.add(key)
        if screenshot:
            self.screens += 1
            path = ARTIFACTS_DIR / "journey" / f"{self.language}-{self.screens:02d}-{screenshot}.png"
            page.screenshot(path=str(path), full_page=True)

    def go(self, page, selector, screenshot=None):
        """Follow a link (Enter) and check the page it leads to."""
        locator = page.locator(selector) if isinstance(selector, str) else selector
        keyboard.follow(page, locator)
        self.check(page, screenshot)

    def open_link(self, page, url, screenshot=None):
        """A link followed from an email: the address bar, not the page."""
        page.goto(self.url + urlsplit(url).path)
        self.check(page, screenshot)

    def log_in(self, page, user, totp_secret=None):
        self.go(page, 'header a[href^="/accounts/login/"]')
        keyboard.type_into(page, page.locator('input[name="login"]'), user.email)
        keyboard.type_into(page, page.locator('input[name="password"]'), DEFAULT_PASSWORD)
        keyboard.submit(page, page.locator('main form button[type="submit"]').first)
        if totp_secret:
            expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
            self.check(page)
            keyboard.type_into(page, page.locator('input[name="code"]'), current_totp_code(totp_secret))
            keyboard.submit(page, page.locator('main form button[type="submit"]').first)
        expect(page.locator('header form[action="/accounts/logout/"]')).to_be_visible()
        self.check(page)

    def reauthenticate(self, page):
        expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
        self.check(page)
        keyboard.type_into(page, page.locator('input[name="password"]'), DEFAULT_PASSWORD)
        keyboard.submit(page, page.locator('main form button[type="submit"]').first)


def starting_cast():
    """Who has no sign-up page: staff and the steering group with an authenticator app, the
    second organisation with its referent (who sits in the steering group for it) and its
    confirmed legal representative; and the municipalities, reference data."""
    legnano = MunicipalityFactory(name="Legnano")
    canegrate = MunicipalityFactory(name="Canegrate")
    MunicipalityFactory(name="Parabiago")
    # Staff and the steering group act only with two-factor authentication: each has an
    # authenticator app (tests/test_browser_two_factor.py follows its set-up).
    secrets = {key: generate_totp_secret() for key in ("staff", "coordinator", "evaluator", "referent")}
    staff = UserFactory(staff=True, full_name="Ufficio di Piano", email="ufficio@example.org", totp=secrets["staff"])
    coordinator = UserFactory(full_name="Marco Colombo", totp=secrets["coordinator"])
    evaluator = UserFactory(full_name="Chiara Ferrari", totp=secrets["evaluator"])
    second = Organisation.objects.create(
        name="Oratorio San Magno", kind=OrganisationKind.SOCIAL_PROMOTION_ASSOCIATION, tax_code="92012340151",
        seat_municipality=legnano, email="info@oratorio.example.org", status=Organisation.Status.VERIFIED,
        verified_at=timezone.now(), description="Doposcuola e spazi per il quartiere.",
    )
    second.municipalities_served.set([legnano])
    referent = UserFactory(full_name="Paola Verdi", totp=secrets["referent"])
    Membership.objects.create(
        user=referent, organisation=second, role=Membership.Role.REFERENT, status=Membership.Status.ACCEPTED,
        decided_at=timezone.now(),
    )
    representative = UserFactory(full_name="Luca Rossi")
    Membership.objects.create(
        user=representative, organisation=second, role=Membership.Role.LEGAL_REPRESENTATIVE,
        status=Membership.Status.ACCEPTED, decided_at=timezone.now(), confirmed_at=timezone.now(),
        confirmed_by=staff, representative_tax_code=SECOND_REPRESENTATIVE_TAX_CODE,
    )
    today = timezone.localdate()
    SteeringGroupMember.objects.create(
        user=coordinator, municipality=legnano, role=SteeringGroupMember.Role.COORDINATOR, start_date=today,
    )
    SteeringGroupMember.objects.create(user=evaluator, municipality=canegrate, start_date=today)
    SteeringGroupMember.objects.create(user=referent, organisation=second, start_date=today)
    return {
        "legnano": legnano, "canegrate": canegrate, "staff": staff, "secrets": secrets,
        "coordinator": coordinator, "evaluator": evaluator, "second": second, "referent": referent,
        "representative": representative,
    }


@pytest.mark.parametrize("language", [
    "it",
    # The English pass checks the pages in the other language (axe, keyboard), which does not
    # depend on the database: it runs once, on PostgreSQL, as .ci/run's second run does. The
    # Italian pass runs on both databases. (About 160 s each on an idle 2-core machine.)
    pytest.param("en", marks=pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the English pass of the journey runs on PostgreSQL",
    )),
])
def test_the_whole_journey(language, live_server, browser, browser_page, settings, tmp_path):
    settings.MFA_TOTP_TOLERANCE = 1  # a code read just before a period ends may arrive just after
    cast = starting_cast()
    housing = PolicyArea.objects.get(slug="housing")
    journey = Journey(browser, live_server, language, browser_page)
    started = time.monotonic()
    try:
        walk(journey, cast, housing, tmp_path)
    except BaseException:
        path = ARTIFACTS_DIR / "journey" / f"{language}-failure.png"
        journey.current.screenshot(path=str(path), full_page=True)
        raise
    finally:
        print(f"Journey in {language}: {time.monotonic() - started:.1f} s, of which axe "
              f"{journey.axe_seconds:.1f} s over {journey.axe_runs} distinct pages of {journey.checks} reached")
        journey.close()


def walk(journey, cast, housing, tmp_path):
    legnano, canegrate, second = cast["legnano"], cast["canegrate"], cast["second"]

    # 1. A newcomer signs up, confirms the email, registers an organisation.
    journey.step("sign-up and organisation")
    page = journey.person("newcomer")
    journey.go(page, 'header a[href="/accounts/signup/"]', "sign-up")
    keyboard.type_into(page, page.locator('input[name="full_name"]'), NEWCOMER["full_name"])
    keyboard.type_into(page, page.locator('input[name="email"]'), NEWCOMER["email"])
    keyboard.type_into(page, page.locator('input[name="password1"]'), DEFAULT_PASSWORD)
    keyboard.type_into(page, page.locator('input[name="password2"]'), DEFAULT_PASSWORD)
    keyboard.submit(page, page.locator('main form button[type="submit"]').first)
    at(page, r"/accounts/confirm-email/")
    journey.check(page)
    [message] = [m for m in mail.outbox if m.to == [NEWCOMER["email"]]]
    link = re.search(r"https?://\S+/accounts/confirm-email/[^/\s]+/", message.body).group(0)
    journey.open_link(page, link)
    keyboard.submit(page, page.locator('main form button[type="submit"]').first)
    expect(page.locator('header form[action="/accounts/logout/"]')).to_be_visible()
    journey.check(page)
    newcomer = User.objects.get(email=NEWCOMER["email"])

    journey.go(page, page.locator('nav a[href="/area-personale/"]').first)
    journey.go(page, page.locator('main a[href="/enti/miei/"]').first)
    journey.go(page, page.locator('main a[href="/enti/registra/"]').first)
    keyboard.type_into(page, page.locator('input[name="name"]'), "Cooperativa Sociale Il Ponte")
    keyboard.choose(page, page.locator('select[name="kind"]'), OrganisationKind.SOCIAL_COOPERATIVE)
    keyboard.type_into(page, page.locator('input[name="legal_form"]'), "Cooperativa sociale di tipo A")
    keyboard.type_into(page, page.locator('input[name="tax_code"]'), "00743110157")
    keyboard.choose(page, page.locator('select[name="seat_municipality"]'), str(legnano.pk))
    for municipality in (legnano, canegrate):
        keyboard.tick(page, page.locator(f'input[name="municipalities_served"][value="{municipality.pk}"]'))
    keyboard.tick(page, page.locator(f'input[name="policy_areas"][value="{housing.pk}"]'))
    keyboard.type_into(page, page.locator('textarea[name="description"]'), "Housing sociale e lavoro.")
    keyboard.type_into(page, page.locator('input[name="email"]'), "info@ilponte.example.org")
    keyboard.submit(page, page.locator(SUBMIT))
    organisation = Organisation.objects.get(name="Cooperativa Sociale Il Ponte")
    at(page, rf"/enti/{organisation.pk}/")
    journey.check(page, "organisation-registered")

    # 2. Staff log in with password and code, confirm the newcomer as legal representative,
    # verify the organisation.
    journey.step("staff")
    page = journey.person("staff")
    journey.log_in(page, cast["staff"], totp_secret=cast["secrets"]["staff"])
    journey.go(page, page.locator('nav a[href="/gestione/"]').first)
    journey.go(page, 'main a[href="/gestione/enti/"]')
    journey.go(page, f'main a[href="/gestione/enti/{organisation.pk}/"]', "staff-review")
    membership = Membership.objects.get(organisation=organisation, user=newcomer)
    journey.go(page, f'main a[href="/gestione/legali-rappresentanti/{membership.pk}/conferma/"]')
    keyboard.type_into(page, page.locator('input[name="tax_code"]'), NEWCOMER["tax_code"])
    keyboard.submit(page, page.locator(SUBMIT))
    at(page, r"/gestione/legali-rappresentanti/")
    expect(page.locator(".alert-success")).to_contain_text(NEWCOMER["full_name"])
    journey.check(page)
    journey.go(page, 'main .breadcrumb a[href="/gestione/"]')
    journey.go(page, 'main a[href="/gestione/enti/"]')
    journey.go(page, f'main a[href="/gestione/enti/{organisation.pk}/"]')
    keyboard.tick(page, page.locator("#id_checked"))
    keyboard.submit(page, page.locator(f'form[action="/gestione/enti/{organisation.pk}/verifica/"] button[type="submit"]'))
    expect(page.locator(".alert-success")).to_contain_text("Cooperativa Sociale Il Ponte")
    journey.check(page)
    organisation.refresh_from_db()
    membership.refresh_from_db()
    assert organisation.status == Organisation.Status.VERIFIED
    assert membership.is_confirmed_legal_representative

    # 3. The steering group opens a theme: its call is open from an hour ago.
    journey.step("theme")
    page = journey.person("coordinator")
    journey.log_in(page, cast["coordinator"], totp_secret=cast["secrets"]["coordinator"])
    journey.go(page, page.locator('nav a[href="/tematiche/"]').first)
    journey.go(page, 'main a[href="/tematiche/nuova/"]')
    keyboard.type_into(page, page.locator('main input[name="title"]'), "Abitare e vicinato")
    keyboard.type_into(page, page.locator('main textarea[name="description"]'), "Casa e reti di prossimità.")
    keyboard.tick(page, page.locator(f'main input[name="policy_areas"][value="{housing.pk}"]'))
    opens = timezone.localtime() - datetime.timedelta(hours=1)
    keyboard.type_date(page, page.locator('main input[name="call_opens_at"]'), opens)
    keyboard.type_date(page, page.locator('main input[name="call_closes_at"]'), opens + 60 * DAY)
    keyboard.submit(page, page.locator(SUBMIT))
    theme = Theme.objects.get()
    at(page, rf"/tematiche/{theme.pk}/")
    journey.check(page, "theme")
    assert theme.is_call_open()

    # 4. The newcomer drafts a proposal under the theme and invites the second organisation.
    journey.step("proposal")
    page = journey.person("newcomer")
    journey.go(page, page.locator('nav a[href="/tematiche/"]').first)
    journey.go(page, f'main a[href="/tematiche/{theme.pk}/"]')
    journey.go(page, "#write-proposal")
    keyboard.type_into(page, page.locator('input[name="title"]'), "Rete di vicinato")
    keyboard.type_into(page, page.locator('textarea[name="summary"]'), "Vicini che aiutano anziani soli.")
    expect(page.locator('select[name="lead_organisation"]')).to_have_value(str(organisation.pk))
    expect(page.locator('select[name="theme"]')).to_have_value(str(theme.pk))
    keyboard.type_into(page, page.locator('textarea[name="need"]'), "Anziani soli senza rete familiare.")
    keyboard.type_into(page, page.locator('textarea[name="objectives"]'), "Nessuno resta solo.")
    keyboard.type_into(page, page.locator('textarea[name="activities"]'), "Visite e spesa a domicilio.")
    keyboard.tick(page, page.locator("input[name=target_groups]").first)
    keyboard.tick(page, page.locator("input[name=age_bands]").last)
    keyboard.type_into(page, page.locator('input[name="estimated_beneficiaries"]'), "40")
    keyboard.tick(page, page.locator(f'input[name="municipalities"][value="{legnano.pk}"]'))
    keyboard.tick(page, page.locator(f'input[name="policy_areas"][value="{housing.pk}"]'))
    start = timezone.localdate() + 90 * DAY
    end = start + 365 * DAY
    keyboard.type_date(page, page.locator('input[name="start_date"]'), start)
    keyboard.type_date(page, page.locator('input[name="end_date"]'), end)
    keyboard.type_into(page, page.locator('textarea[name="rights"]'), "Una visita alla settimana.")
    keyboard.type_into(page, page.locator('textarea[name="duties"]'), "Segnalare i bisogni dei vicini.")
    keyboard.type_into(page, page.locator('textarea[name="indicators"]'), "Famiglie raggiunte ogni mese.")
    keyboard.submit(page, page.locator('main form.proposal-form button[type="submit"]'))
    proposal = Proposal.objects.get()
    at(page, rf"/proposte/{proposal.pk}/")
    journey.check(page, "proposal-draft")
    assert proposal.missing_for_submission() == []

    journey.go(page, f'main a[href="/proposte/{proposal.pk}/partner/invita/"]')
    keyboard.choose(page, page.locator('select[name="organisation"]'), str(second.pk))
    keyboard.submit(page, page.locator(SUBMIT))
    partner = ProposalPartner.objects.get()
    expect(page.locator(f'tr[data-partner="{partner.pk}"] [data-partner-status="invited"]')).to_be_visible()
    journey.check(page)

    # ... whose referent follows the invitation, accepts and commits the oratory's hall.
    journey.step("co-partner")
    page = journey.person("referent")
    journey.log_in(page, cast["referent"], totp_secret=cast["secrets"]["referent"])
    [invitation] = [m for m in mail.outbox if m.to == [cast["referent"].email]]
    journey.open_link(page, re.search(r"https?://\S+/proposte/\d+/", invitation.body).group(0))
    keyboard.submit(page, page.locator(f'form[action="/proposte/partner/{partner.pk}/risposta/"] button[type="submit"]'))
    expect(page.locator(f'tr[data-partner="{partner.pk}"] [data-partner-status="accepted"]')).to_be_visible()
    journey.check(page)
    journey.go(page, f'main a[href="/proposte/{proposal.pk}/impegni/nuovo/"]')
    keyboard.choose(page, page.locator('select[name="kind"]'), Commitment.Kind.PREMISES)
    keyboard.type_into(page, page.locator('input[name="quantity"]'), "120")
    keyboard.type_into(page, page.locator('input[name="unit"]'), "mq")
    keyboard.type_into(page, page.locator('input[name="estimated_value_eur"]'), "1500")
    keyboard.type_into(page, page.locator('textarea[name="description"]'), "Salone, due pomeriggi a settimana")
    keyboard.submit(page, page.locator(SUBMIT))
    at(page, rf"/proposte/{proposal.pk}/#commitments")
    journey.check(page)
    assert Commitment.objects.get().organisation == second

    # ... and the lead submits.
    journey.step("submission")
    page = journey.person("newcomer")
    journey.go(page, page.locator('nav a[href="/area-personale/"]').first)
    journey.go(page, page.locator('main a[href="/proposte/"]').first)
    journey.go(page, f'main table a[href="/proposte/{proposal.pk}/"]')
    journey.go(page, f'#actions a[href="/proposte/{proposal.pk}/invia/"]')
    keyboard.submit(page, page.locator(SUBMIT).first)
    expect(page.locator('main [data-status="submitted"]')).to_be_visible()
    journey.check(page, "proposal-submitted")

    # 5. The coordinator starts the evaluation and scores; a second member scores; the member
    # who sits for the co-partner declares the conflict and cannot score; the coordinator approves.
    journey.step("evaluation")
    criteria = list(Rubric.objects.active().get().criteria.all())
    assert len(criteria) <= 5
    evaluate = f"/regia/proposte/{proposal.pk}/valuta/"

    def open_evaluation(page, screenshot=None):
        journey.go(page, page.locator('nav a[href="/regia/"]').first)
        journey.go(page, page.locator('main a[href="/regia/proposte/"]').first, screenshot)
        journey.go(page, f'#review-queue a[href="{evaluate}"]')

    def score(page, values, comment):
        for criterion, value in zip(criteria, values):
            keyboard.pick_radio(page, page.locator(f"#id_score_{criterion.pk}_{value}"))
        keyboard.type_into(page, page.locator('textarea[name="comment"]'), comment)
        keyboard.submit(page, page.locator('#evaluation-form button[type="submit"]'))
        expect(page.locator(".alert-success")).to_be_visible()

    page = journey.person("coordinator")
    open_evaluation(page, "review-queue")
    keyboard.submit(page, page.locator('#start-evaluation-form button[type="submit"]'))
    journey.check(page)
    score(page, [4, 4, 3, 5, 4][: len(criteria)], "Rete solida.")
    journey.check(page, "evaluation")

    page = journey.person("evaluator")
    journey.log_in(page, cast["evaluator"], totp_secret=cast["secrets"]["evaluator"])
    open_evaluation(page)
    score(page, [3, 4, 4, 4, 3][: len(criteria)], "Buon equilibrio di costi.")
    journey.check(page)

    page = journey.person("referent")
    open_evaluation(page)
    expect(page.locator("#conflict-warning")).to_contain_text(second.name)
    expect(page.locator("#evaluation-form")).to_have_count(0)
    journey.go(page, "#declare-conflict-link")
    keyboard.type_into(page, page.locator('textarea[name="note"]'), "Siedo per l'oratorio, partner del progetto.")
    keyboard.submit(page, page.locator('#conflict-form button[type="submit"]'))
    expect(page.locator("#conflict-declared")).to_be_visible()
    expect(page.locator("#evaluations-hidden")).to_be_visible()
    expect(page.locator("#evaluation-list")).to_have_count(0)
    journey.check(page)
    evaluations = Evaluation.objects.filter(proposal=proposal)
    assert sorted((e.evaluator.full_name, e.conflict_declared, e.scores.count()) for e in evaluations) == [
        ("Chiara Ferrari", False, len(criteria)), ("Marco Colombo", False, len(criteria)),
        ("Paola Verdi", True, 0),
    ]

    page = journey.person("coordinator")
    page.reload()
    journey.check(page)
    journey.go(page, "#decide-link")
    keyboard.pick_radio(page, page.locator("#id_decision_0"))
    keyboard.type_into(page, page.locator('textarea[name="motivation"]'), "Risponde a un bisogno scoperto.")
    keyboard.submit(page, page.locator('#decision-form button[type="submit"]'))
    expect(page.locator('[data-decision="approved"]')).to_be_visible()
    journey.check(page)
    keyboard.submit(page, page.locator('#decision-confirm-form button[value="confirm"]'))
    expect(page.locator("#decision")).to_contain_text("Risponde a un bisogno scoperto.")
    journey.check(page, "proposal-approved")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED

    # 6. The steering group builds a Carta with it, approves and publishes it.
    journey.step("carta")
    journey.go(page, page.locator('nav a[href="/regia/"]').first)
    journey.go(page, 'main a[href="/carta/versioni/"]')
    journey.go(page, "#new-draft")
    keyboard.submit(page, page.locator('#open-draft-form button[type="submit"]'))
    version = CharterVersion.objects.get()
    journey.check(page)
    journey.go(page, f'#actions a[href="/regia/carta/versioni/{version.pk}/progetti/"]')
    keyboard.submit(page, page.locator(f'[data-available="{proposal.pk}"] button[data-add]'))
    expect(page.locator(f'#draft-projects [data-item="{proposal.pk}"]')).to_be_visible()
    journey.check(page, "carta-projects")
    journey.go(page, page.locator(f'main a[href="/carta/versioni/{version.pk}/"]').last)
    journey.go(page, f'#actions a[href="/regia/carta/versioni/{version.pk}/approva/"]')
    keyboard.type_into(page, page.locator('textarea[name="note"]'), "Seduta del gruppo di regia.")
    keyboard.submit(page, page.locator('#approve-form button[type="submit"]'))
    expect(page.locator("#approved-banner")).to_be_visible()
    journey.check(page)
    journey.go(page, f'#actions a[href="/regia/carta/versioni/{version.pk}/pubblica/"]')
    keyboard.submit(page, page.locator('#publish-form button[type="submit"]'))
    at(page, r"/carta/")
    journey.check(page)
    version.refresh_from_db()
    assert version.status == CharterVersion.Status.PUBLISHED

    # 7. The coordinator prepares and opens the Patto; both legal representatives sign it.
    journey.step("pact opened")
    journey.go(page, 'main a[href="/carta/versioni/"]')
    journey.go(page, f'main a[href="/carta/versioni/{version.pk}/"]')
    journey.go(page, f'#actions a[href="/regia/carta/versioni/{version.pk}/patto/nuovo/"]')
    deadline = timezone.localdate() + 30 * DAY
    keyboard.type_date(page, page.locator('input[name="deadline"]'), deadline)
    keyboard.submit(page, page.locator(SUBMIT).first)
    pact = Pact.objects.get()
    at(page, rf"/regia/patto/{pact.pk}/")
    journey.check(page)
    assert sorted(pact.signatories.values_list("organisation__name", flat=True)) == [
        "Cooperativa Sociale Il Ponte", "Oratorio San Magno",
    ]
    journey.go(page, f'main a[href="/regia/patto/{pact.pk}/apri/"]')
    keyboard.type_into(page, page.locator('textarea[name="note"]'), "Approvato in seduta.")
    keyboard.submit(page, page.locator(SUBMIT).first)
    expect(page.locator("#document-draft")).to_be_visible()
    journey.check(page, "pact-open")

    def to_sign(page, organisation):
        signatory = Signatory.objects.get(pact=pact, organisation=organisation)
        journey.go(page, page.locator('nav a[href="/area-personale/"]').first)
        expect(page.locator("#pacts-to-sign-count")).to_have_text("1")
        journey.go(page, 'main a[href="/patto/da-firmare/"]')
        keyboard.follow(page, page.locator(f'main a[href="/patto/firmatari/{signatory.pk}/firma/"]'))
        journey.reauthenticate(page)
        at(page, rf"/patto/firmatari/{signatory.pk}/firma/")
        journey.check(page)
        return signatory

    # On line, the newcomer.
    journey.step("signature on line")
    page = journey.person("newcomer")
    to_sign(page, organisation)
    keyboard.type_into(page, page.locator('input[name="full_name"]'), NEWCOMER["full_name"])
    keyboard.tick(page, page.locator('input[name="consent"]'))
    journey.check(page, "sign-on-line")
    keyboard.submit(page, page.locator('#sign-form button[type="submit"]'))
    expect(page.locator("#signature-record")).to_be_visible()
    journey.check(page)

    # With a qualified signature, the co-partner's legal representative: the text for signing
    # downloaded, signed with the person's own certificate, uploaded.
    journey.step("qualified signature")
    page = journey.person("representative")
    journey.log_in(page, cast["representative"])
    signatory = to_sign(page, second)
    journey.go(page, f'main a[href="/patto/firmatari/{signatory.pk}/firma-digitale/"]')
    text = keyboard.download(page, page.locator('main a[download]').first)
    signed = pki.Authority().issue(SECOND_REPRESENTATIVE_TAX_CODE, name="Luca Rossi").sign(text.path().read_bytes())
    signed_path = tmp_path / "patto-firmato.pdf"
    signed_path.write_bytes(signed)
    keyboard.upload(page, page.locator('input[name="signed_file"]'), signed_path)
    journey.check(page, "sign-qualified")
    keyboard.submit(page, page.locator('#qualified-form button[type="submit"]'))
    expect(page.locator("#signature-record")).to_be_visible()
    journey.check(page)
    assert Signature.objects.get(pact=pact, organisation=second).qualified_evidence is not None
    assert Signature.objects.filter(pact=pact).count() == 2

    # 8. The coordinator closes the pact.
    journey.step("pact closed")
    page = journey.person("coordinator")
    journey.go(page, page.locator('nav a[href="/carta/"]').first)
    journey.go(page, f'#pact-link a[href="/patto/{pact.pk}/"]')
    journey.go(page, f'main a[href="/regia/patto/{pact.pk}/"]')
    journey.go(page, f'main a[href="/regia/patto/{pact.pk}/chiudi/"]')
    keyboard.submit(page, page.locator(SUBMIT).first)
    at(page, rf"/patto/{pact.pk}/")
    expect(page.locator("#document-final")).to_be_visible()
    journey.check(page)
    final = Document.objects.get(kind=DocumentKind.PACT_FINAL)

    # An anonymous visitor reads the Carta and the coverage map, downloads the signed Patto
    # and checks it on the verification page.
    journey.step("visitor")
    page = journey.person("visitor")
    journey.go(page, page.locator('nav a[href="/carta/"]').first, "carta")
    expect(page.locator(f"#project-{proposal.pk}")).to_contain_text("Rete di vicinato")
    journey.go(page, '#transparency-links a[href="/copertura/"]', "coverage")
    journey.go(page, page.locator('nav a[href="/carta/"]').first)
    journey.go(page, f'#pact-link a[href="/patto/{pact.pk}/"]', "pact-closed")
    signed_pact = keyboard.download(page, page.locator("#document-final a[download]"))
    assert hashlib.sha256(signed_pact.path().read_bytes()).hexdigest() == final.sha256
    code = page.locator("#document-final [data-verification]").inner_text().strip()
    assert code == final.verification_code
    journey.go(page, 'footer a[href="/verifica/"]')
    keyboard.type_into(page, page.locator('input[name="code"]'), code)
    keyboard.submit(page, page.locator('#verification-code-form button[type="submit"]'))
    expect(page.locator("[data-sha256]")).to_have_text(final.sha256)
    journey.check(page)
    keyboard.upload(page, page.locator('input[name="file"]'), signed_pact.path())
    keyboard.submit(page, page.locator('#verification-upload-form button[type="submit"]'))
    expect(page.locator("#verification-result")).to_have_attribute("data-result", "identical")
    journey.check(page, "verified")
    journey.step("done")
