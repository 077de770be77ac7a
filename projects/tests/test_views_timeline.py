"""The cronoprogramma: the public overview grouped by phase with done / due / late, and the
steering group's pages to add and edit milestones, mark them done and reopen them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.tests.factories import SteeringGroupMemberFactory
from projects.models import Milestone, Phase
from projects.tests.factories import MembershipFactory, MilestoneFactory, UserFactory, steering_member

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
TIMELINE_URL = reverse("projects:timeline")
CREATE_URL = reverse("projects:milestone-create")


def today():
    return timezone.localdate()


def done_url(milestone):
    return reverse("projects:milestone-done", args=[milestone.pk])


def reopen_url(milestone):
    return reverse("projects:milestone-reopen", args=[milestone.pk])


def update_url(milestone):
    return reverse("projects:milestone-update", args=[milestone.pk])


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def login(client, user):
    client.force_login(user)
    return user


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def milestone_rows():
    return list(Milestone.objects.order_by("pk").values_list(
        "phase", "title", "description", "due_date", "order", "done_date", "done_by",
    ))


def milestone_post(**overrides):
    return {
        "phase": Phase.FOCUS_GROUPS, "title": "Primo incontro dei focus group",
        "description": "Un incontro per tematica.", "due_date": (today() + 30 * DAY).isoformat(),
        "order": "0", **overrides,
    }


# The public overview


def test_timeline_groups_milestones_by_phase_with_their_status(client):
    MilestoneFactory(phase=Phase.STEERING_GROUP, title="Costituzione della regia", due_date=today() - 30 * DAY,
                     done_date=today() - 40 * DAY)
    MilestoneFactory(phase=Phase.FOCUS_GROUPS, title="Focus group avviati", due_date=today() - DAY)
    MilestoneFactory(phase=Phase.SIGNING, title="Firma del Patto", due_date=today() + 90 * DAY)

    response = client.get(TIMELINE_URL)

    assert response.status_code == 200
    phases = response.context["phases"]
    assert [group["value"] for group in phases] == [Phase.STEERING_GROUP, Phase.FOCUS_GROUPS, Phase.SIGNING]
    assert [m.current_status for group in phases for m in group["milestones"]] == ["done", "late", "due"]
    assert response.context["counts"] == {"done": 1, "due": 1, "late": 1}
    html = response.content.decode()
    assert html.index("Steering group") < html.index("Focus groups") < html.index("Signing")
    assert 'data-status="late"' in html and "Late" in html


def test_timeline_empty_state(client):
    assert "No milestones yet" in client.get(TIMELINE_URL).content.decode()


def test_timeline_runs_one_query_whatever_the_number_of_milestones(client):
    counts = []
    for added in (10, 190):
        MilestoneFactory.create_batch(added)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TIMELINE_URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == 1, counts


def test_timeline_offers_no_actions_to_the_public_or_plain_members(client):
    milestone = MilestoneFactory()
    assert f'action="{done_url(milestone)}"' not in client.get(TIMELINE_URL).content.decode()
    login(client, MembershipFactory().user)
    html = client.get(TIMELINE_URL).content.decode()
    assert f'action="{done_url(milestone)}"' not in html
    assert f'href="{CREATE_URL}"' not in html


# Marking done and reopening


def test_steering_member_marks_a_milestone_done_today_by_default(client):
    milestone = MilestoneFactory(due_date=today() - DAY)
    user = login(client, steering_member())
    assert f'action="{done_url(milestone)}"' in client.get(TIMELINE_URL).content.decode()

    response = client.post(done_url(milestone), {"done_date": ""})

    assert response.status_code == 302 and response.url == f"{TIMELINE_URL}#milestone-{milestone.pk}"
    milestone.refresh_from_db()
    assert (milestone.done_date, milestone.done_by) == (today(), user)
    page = client.get(TIMELINE_URL)
    assert any("is marked done" in message for message in messages_of(page))
    assert page.context["counts"]["done"] == 1


def test_milestone_done_on_a_past_day(client):
    milestone = MilestoneFactory()
    login(client, UserFactory(staff=True, totp=True))
    client.post(done_url(milestone), {"done_date": (today() - 3 * DAY).isoformat()})
    milestone.refresh_from_db()
    assert milestone.done_date == today() - 3 * DAY


def test_milestone_cannot_be_done_in_the_future(client):
    milestone = MilestoneFactory()
    before = milestone_rows()
    login(client, steering_member())
    response = client.post(done_url(milestone), {"done_date": (today() + DAY).isoformat()}, follow=True)
    assert "A milestone cannot be marked done on a future date." in messages_of(response)
    assert milestone_rows() == before


def test_milestone_with_an_unreadable_date_changes_nothing(client):
    milestone = MilestoneFactory()
    before = milestone_rows()
    login(client, steering_member())
    response = client.post(done_url(milestone), {"done_date": "ieri"}, follow=True)
    assert "Enter a valid date, such as today's." in messages_of(response)
    assert milestone_rows() == before


def test_milestone_done_twice_is_refused(client):
    milestone = MilestoneFactory(done_date=today() - DAY)
    before = milestone_rows()
    login(client, steering_member())
    response = client.post(done_url(milestone), {"done_date": ""}, follow=True)
    assert any("already marked done" in message for message in messages_of(response))
    assert milestone_rows() == before


def test_steering_member_reopens_a_milestone(client):
    milestone = MilestoneFactory(done_date=today() - DAY, due_date=today() - 2 * DAY)
    login(client, steering_member())
    assert f'action="{reopen_url(milestone)}"' in client.get(TIMELINE_URL).content.decode()
    client.post(reopen_url(milestone))
    milestone.refresh_from_db()
    assert milestone.done_date is None and milestone.done_by is None
    assert Milestone.objects.with_status().get().current_status == "late"


def test_reopening_an_open_milestone_says_so(client):
    milestone = MilestoneFactory()
    login(client, steering_member())
    response = client.post(reopen_url(milestone), follow=True)
    assert "This milestone is not marked done." in messages_of(response)


@pytest.mark.parametrize("url_of", [done_url, reopen_url])
def test_done_and_reopen_are_post_only_and_refused_to_others(client, url_of):
    milestone = MilestoneFactory(done_date=today() - DAY) if url_of is reopen_url else MilestoneFactory()
    before = milestone_rows()
    url = url_of(milestone)

    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    login(client, MembershipFactory().user)
    assert client.post(url).status_code == 403
    login(client, SteeringGroupMemberFactory(ended=True).user)
    assert client.post(url).status_code == 403
    login(client, steering_member())
    assert client.get(url).status_code == 405
    assert milestone_rows() == before


# Adding and editing


def test_steering_member_adds_a_milestone(client):
    user = login(client, steering_member())
    assert client.get(CREATE_URL).status_code == 200
    response = client.post(CREATE_URL, milestone_post())
    milestone = Milestone.objects.get()
    assert response.status_code == 302 and response.url == f"{TIMELINE_URL}#milestone-{milestone.pk}"
    assert (milestone.title, milestone.phase, milestone.created_by) == (
        "Primo incontro dei focus group", Phase.FOCUS_GROUPS, user,
    )


def test_milestone_with_a_title_already_used_in_the_phase_is_refused(client):
    MilestoneFactory(phase=Phase.FOCUS_GROUPS, title="Primo incontro dei focus group")
    before = milestone_rows()
    login(client, steering_member())
    response = client.post(CREATE_URL, milestone_post())
    assert response.status_code == 200
    assert "This phase already has a milestone with this title." in response.content.decode()
    assert milestone_rows() == before


def test_steering_member_edits_a_milestone(client):
    milestone = MilestoneFactory(title="Vecchio titolo")
    login(client, steering_member())
    assert client.get(update_url(milestone)).status_code == 200
    client.post(update_url(milestone), milestone_post(title="Nuovo titolo", phase=Phase.APPROVAL))
    milestone.refresh_from_db()
    assert (milestone.title, milestone.phase) == ("Nuovo titolo", Phase.APPROVAL)


def test_milestone_forms_are_refused_to_others(client):
    milestone = MilestoneFactory()
    before = milestone_rows()
    for url in (CREATE_URL, update_url(milestone)):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        login(client, MembershipFactory().user)
        assert client.get(url).status_code == 403
        assert client.post(url, milestone_post()).status_code == 403
    assert milestone_rows() == before
