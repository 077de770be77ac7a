"""Themes and the timeline in a real browser: the public list and page, a steering-group
member creating a theme (an inverted call window first), and marking a milestone done on the
timeline. Every page visited is checked with axe; elements are found by role, name attribute
or URL, and text is asserted only where it is data (titles, names)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Milestone, Phase, Theme
from projects.tests.factories import FocusGroupFactory, MilestoneFactory, ThemeFactory, steering_member
from welfare_portal.models import PolicyArea
from welfare_portal.tests.browser import assert_accessible, log_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)
SUBMIT = 'main form[method="post"] button[type="submit"]'


def housing_area():
    """Data migrations load the policy areas, but the harness's serialized rollback does not
    bring them back once Playwright runs (its event loop gives Django another connection
    object, without the serialized data): make sure the one used here exists."""
    return PolicyArea.objects.get_or_create(slug="housing", defaults={"name": "Casa"})[0]


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_public_theme_list_and_page(live_server, browser_page):
    housing = housing_area()
    theme = ThemeFactory(title="Abitare e vicinato", description="Casa, vicinato e reti di prossimità.")
    theme.policy_areas.set([housing])
    ThemeFactory(title="Lavoro e formazione", closed=True)
    ThemeFactory(title="Mobilità sostenibile", upcoming=True)
    FocusGroupFactory(theme=theme, title="Anziani soli")
    page = browser_page

    page.goto(live_server.url + "/")
    page.locator('nav a[href="/tematiche/"]').first.click()
    expect(page).to_have_url(re.compile(r"/tematiche/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main [data-call-status]")).to_have_count(3)
    expect(page.locator("main")).to_contain_text(housing.name)
    assert_accessible(page)

    page.locator('main select[name="call"]').select_option("closed")
    page.locator('main form[role="search"] button[type="submit"]').click()
    expect(page.locator("main .card-title")).to_have_count(1)
    expect(page.locator("main .card-title")).to_have_text("Lavoro e formazione")
    assert_accessible(page)

    page.goto(live_server.url + "/tematiche/")
    page.locator(f'main a[href="/tematiche/{theme.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abitare e vicinato")
    expect(page.locator("main")).to_contain_text("Casa, vicinato e reti di prossimità.")
    # Anonymous: no proposal link, no focus groups, the way to the timeline.
    expect(page.locator("#write-proposal")).to_have_count(0)
    expect(page.locator("#theme-focus-groups")).to_have_count(0)
    assert_accessible(page)

    page.locator('main a[href="/cronoprogramma/"]').first.click()
    expect(page).to_have_url(re.compile(r"/cronoprogramma/$"))
    assert_accessible(page)  # the empty timeline


def test_steering_member_creates_a_theme(live_server, browser_page):
    user = steering_member(user__full_name="Anna Ricci")
    housing = housing_area()
    page = browser_page
    log_in_as(page, live_server, user)

    page.goto(live_server.url + "/tematiche/")
    assert_accessible(page)  # the empty state
    page.locator('main a[href="/tematiche/nuova/"]').click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    now = timezone.now()
    page.locator('main input[name="title"]').fill("Abitare e vicinato")
    page.locator('main textarea[name="description"]').fill("Casa, vicinato e reti di prossimità.")
    tick(page, page.locator(f'main input[name="policy_areas"][value="{housing.pk}"]').get_attribute("id"))
    page.locator('main input[name="call_opens_at"]').fill(local_input(now + 10 * DAY))
    page.locator('main input[name="call_closes_at"]').fill(local_input(now + DAY))
    page.locator(SUBMIT).click()

    # The inverted window is refused next to the closing date, and nothing is created.
    expect(page.locator("#div_id_call_closes_at .invalid-feedback")).to_be_visible()
    assert not Theme.objects.exists()
    assert_accessible(page)

    page.locator('main input[name="call_closes_at"]').fill(local_input(now + 60 * DAY))
    page.locator(SUBMIT).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Abitare e vicinato")
    expect(page.locator(".alert-success")).to_be_visible()
    theme = Theme.objects.get()
    assert theme.created_by == user and list(theme.policy_areas.all()) == [housing]
    expect(page.locator("main")).to_contain_text(housing.name)
    assert_accessible(page)


def test_steering_member_marks_a_milestone_done_on_the_timeline(live_server, browser_page):
    today = timezone.localdate()
    MilestoneFactory(phase=Phase.STEERING_GROUP, title="Costituzione della regia", due_date=today - 30 * DAY,
                     done_date=today - 31 * DAY)
    late = MilestoneFactory(phase=Phase.FOCUS_GROUPS, title="Avvio dei focus group", due_date=today - 2 * DAY)
    MilestoneFactory(phase=Phase.SIGNING, title="Firma del Patto", due_date=today + 90 * DAY)
    page = browser_page
    log_in_as(page, live_server, steering_member())

    page.goto(live_server.url + "/cronoprogramma/")
    expect(page.locator(f"#milestone-{late.pk}")).to_have_attribute("data-status", "late")
    expect(page.locator('#milestone-counts [data-count="late"]')).to_have_text("1")
    assert_accessible(page)

    row = page.locator(f"#milestone-{late.pk}")
    row.locator('input[name="done_date"]').fill((today - DAY).isoformat())
    row.locator('form[action$="/fatta/"] button[type="submit"]').click()

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"#milestone-{late.pk}")).to_have_attribute("data-status", "done")
    expect(page.locator('#milestone-counts [data-count="done"]')).to_have_text("2")
    expect(page.locator('#milestone-counts [data-count="late"]')).to_have_text("0")
    late.refresh_from_db()
    assert late.done_date == today - DAY
    assert_accessible(page)

    # Marked by mistake: reopen it, and it is late again.
    page.locator(f'#milestone-{late.pk} form[action$="/riapri/"] button[type="submit"]').click()
    expect(page.locator(f"#milestone-{late.pk}")).to_have_attribute("data-status", "late")
    assert Milestone.objects.get(pk=late.pk).done_date is None
    assert_accessible(page)
