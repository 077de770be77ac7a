"""Focus groups in a real browser: a referent asks for the organisation to join and a
facilitator accepts; a facilitator schedules a meeting, writes and publishes the minutes
(which a member reads only then) and records attendance. Every page visited is checked with
axe; elements are found by role, name attribute or URL, and text is asserted only where it is
data (titles, names, places)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import Membership
from projects.models import Attendance, FocusGroupMembership, Meeting
from projects.tests.factories import (
    FocusGroupFactory,
    FocusGroupMembershipFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
    steering_member,
)
from welfare_portal.tests.browser import assert_accessible, log_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)
SUBMIT = 'main form[method="post"] button[type="submit"]'


def test_referent_asks_to_join_and_the_facilitator_accepts(live_server, browser_page, settings):
    settings.PORTAL_BASE_URL = live_server.url
    facilitator = steering_member(user__full_name="Anna Ricci")
    theme = ThemeFactory(title="Abitare e vicinato")
    focus_group = FocusGroupFactory(theme=theme, title="Anziani soli", facilitators=[facilitator])
    referent = UserFactory(full_name="Marco Colombo")
    organisation = OrganisationFactory(verified=True, name="Auser Legnano", referent=referent)
    colleague = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    page = browser_page

    # The referent finds the focus group on the theme's page and asks to join.
    log_in_as(page, live_server, referent)
    page.goto(f"{live_server.url}/tematiche/{theme.pk}/")
    page.locator(f'#theme-focus-groups a[href="/focus-group/{focus_group.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anziani soli")
    expect(page.locator("main")).to_contain_text("Anna Ricci")
    assert_accessible(page)

    page.locator(f'main a[href="/focus-group/{focus_group.pk}/partecipa/"]').click()
    expect(page.locator('main input[name="organisation"]')).to_be_checked()  # the only choice
    assert not FocusGroupMembership.objects.exists()  # nothing before the confirmation
    assert_accessible(page)
    page.locator(SUBMIT).click()

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f'main a[href="/focus-group/{focus_group.pk}/partecipa/"]')).to_have_count(0)
    membership = FocusGroupMembership.objects.get()
    assert membership.status == FocusGroupMembership.Status.REQUESTED
    assert mail.outbox[-1].to == [facilitator.email]
    link = re.search(r"https?://\S+/focus-group/\d+/", mail.outbox[-1].body).group(0)
    assert_accessible(page)

    # The facilitator follows the link in the email and accepts.
    log_in_as(page, live_server, facilitator)
    page.goto(link)
    expect(page.locator("#pending-requests")).to_contain_text("Auser Legnano")
    assert_accessible(page)
    page.locator(f'#pending-requests form[action="/focus-group/adesioni/{membership.pk}/accetta/"] button').click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#pending-requests")).to_have_count(0)
    expect(page.locator("#focus-group-members")).to_contain_text("Auser Legnano")
    membership.refresh_from_db()
    assert membership.status == FocusGroupMembership.Status.ACCEPTED
    assert_accessible(page)

    # Every member of the organisation now finds it among their focus groups.
    log_in_as(page, live_server, colleague)
    page.goto(live_server.url + "/")
    page.locator('nav a[href="/area-personale/"]').first.click()
    page.locator('main a[href="/focus-group/miei/"]').first.click()
    expect(page.locator("#my-focus-groups")).to_contain_text("Anziani soli")
    assert_accessible(page)


def test_facilitator_schedules_a_meeting_publishes_minutes_and_records_attendance(live_server, browser_page):
    facilitator = steering_member(user__full_name="Anna Ricci")
    focus_group = FocusGroupFactory(title="Anziani soli", facilitators=[facilitator])
    auser = OrganisationFactory(verified=True, name="Auser Legnano")
    ruota = OrganisationFactory(verified=True, name="Cooperativa La Ruota")
    for organisation in (auser, ruota):
        FocusGroupMembershipFactory(focus_group=focus_group, organisation=organisation)
    member = MembershipFactory(organisation=auser).user
    page = browser_page
    log_in_as(page, live_server, facilitator)

    # Scheduling: first without a place or a link, which is refused.
    page.goto(f"{live_server.url}/focus-group/{focus_group.pk}/")
    assert_accessible(page)  # no meetings yet
    page.locator(f'main a[href="/focus-group/{focus_group.pk}/incontri/nuovo/"]').click()
    assert_accessible(page)
    starts_at = timezone.localtime() + 7 * DAY
    page.locator('main input[name="title"]').fill("Secondo incontro")
    page.locator('main input[name="starts_at"]').fill(starts_at.strftime("%Y-%m-%dT17:30"))
    page.locator('main textarea[name="agenda"]').fill("Bisogni del territorio; proposte in corso.")
    page.locator(SUBMIT).click()
    expect(page.locator("main .alert-block, main .alert-danger").first).to_be_visible()
    assert not Meeting.objects.exists()
    assert_accessible(page)

    page.locator('main input[name="place"]').fill("Villa Corvini, Parabiago")
    page.locator('main input[name="online_url"]').fill("https://meet.example.org/anziani")
    page.locator(SUBMIT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Secondo incontro")
    expect(page.locator("#meeting-where")).to_contain_text("Villa Corvini, Parabiago")
    expect(page.locator('#meeting-where a[href="https://meet.example.org/anziani"]')).to_have_attribute(
        "rel", "noopener noreferrer",
    )
    assert_accessible(page)
    upcoming = Meeting.objects.get()
    assert timezone.localtime(upcoming.starts_at).hour == 17

    # A meeting that took place: minutes, then publication after a confirmation.
    meeting = MeetingFactory(focus_group=focus_group, title="Primo incontro")
    page.goto(f"{live_server.url}/focus-group/incontri/{meeting.pk}/")
    page.locator(f'main a[href="/focus-group/incontri/{meeting.pk}/verbale/"]').click()
    assert_accessible(page)
    page.locator('main textarea[name="minutes"]').fill("Presenti due organizzazioni. Deciso il calendario.")
    page.locator(SUBMIT).click()
    expect(page.locator("#meeting-minutes")).to_contain_text("Deciso il calendario.")
    assert_accessible(page)

    log_in_as(page, live_server, member)
    page.goto(f"{live_server.url}/focus-group/incontri/{meeting.pk}/")
    expect(page.locator("#meeting-agenda")).to_be_visible()
    expect(page.locator("#meeting-minutes")).not_to_contain_text("Deciso il calendario.")
    assert_accessible(page)

    log_in_as(page, live_server, facilitator)
    page.goto(f"{live_server.url}/focus-group/incontri/{meeting.pk}/")
    page.locator(f'main a[href="/focus-group/incontri/{meeting.pk}/verbale/pubblica/"]').click()
    expect(page.locator("main .alert-warning")).to_be_visible()
    assert_accessible(page)
    page.locator(SUBMIT).click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f'main a[href="/focus-group/incontri/{meeting.pk}/verbale/"]')).to_have_count(0)
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None

    # Attendance: one choice per member organisation.
    page.locator(f'main a[href="/focus-group/incontri/{meeting.pk}/presenze/"]').click()
    assert_accessible(page)
    tick(page, f"id_org_{auser.pk}_0")  # present
    tick(page, f"id_org_{ruota.pk}_1")  # absent
    page.locator(SUBMIT).click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#meeting-attendance")).to_contain_text("Auser Legnano")
    assert dict(Attendance.objects.values_list("organisation__name", "present")) == {
        "Auser Legnano": True, "Cooperativa La Ruota": False,
    }
    assert_accessible(page)

    log_in_as(page, live_server, member)
    page.goto(f"{live_server.url}/focus-group/incontri/{meeting.pk}/")
    expect(page.locator("#meeting-minutes")).to_contain_text("Deciso il calendario.")
    assert_accessible(page)
