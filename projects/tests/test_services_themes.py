"""Themes and the cronoprogramma, kept by the steering group and staff."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Milestone, Phase, Theme
from projects.services import ProjectsError
from projects.tests.factories import MembershipFactory, MilestoneFactory, ThemeFactory, UserFactory, steering_member
from welfare_portal.models import PolicyArea

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _window(**overrides):
    now = timezone.now()
    return {"call_opens_at": now, "call_closes_at": now + 30 * DAY, **overrides}


@pytest.mark.parametrize("actor", ["steering", "staff"])
def test_create_theme_by_steering_or_staff(actor):
    user = steering_member() if actor == "steering" else UserFactory(is_staff=True)
    areas = list(PolicyArea.objects.filter(slug__in=["housing", "work"]))
    theme = services.create_theme(by=user, title="Abitare solidale", policy_areas=areas, **_window())
    assert (theme.created_by, set(theme.policy_areas.all())) == (user, set(areas))


def test_create_theme_refused_to_partners_and_with_a_backwards_window():
    with pytest.raises(ProjectsError, match="not allowed"):
        services.create_theme(by=MembershipFactory().user, title="X", **_window())
    now = timezone.now()
    with pytest.raises(ValidationError, match="The call must close after it opens"):
        services.create_theme(by=steering_member(), title="X", **_window(call_closes_at=now - DAY))
    assert not Theme.objects.exists()


def test_update_theme_moves_the_call_window():
    theme = ThemeFactory()
    new_close = theme.call_closes_at + 10 * DAY
    services.update_theme(theme, by=steering_member(), call_closes_at=new_close, title="Nuovo titolo")
    theme.refresh_from_db()
    assert (theme.call_closes_at, theme.title) == (new_close, "Nuovo titolo")
    with pytest.raises(ProjectsError, match="not allowed"):
        services.update_theme(theme, by=UserFactory(), title="Altro")


def test_create_and_edit_milestones_by_steering_member():
    user = steering_member()
    milestone = services.create_milestone(
        by=user, phase=Phase.STEERING_GROUP, title="Costituzione del gruppo di regia",
        due_date=timezone.localdate() + DAY,
    )
    services.update_milestone(milestone, by=user, due_date=timezone.localdate() - DAY)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.LATE
    with pytest.raises(ProjectsError, match="not allowed"):
        services.update_milestone(milestone, by=MembershipFactory().user, title="X")


def test_mark_milestone_done_then_reopen():
    user = steering_member()
    milestone = MilestoneFactory(due_date=timezone.localdate() - 3 * DAY)
    services.mark_milestone_done(milestone, by=user, done_date=timezone.localdate() - DAY)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.done_by) == (Milestone.Status.DONE, user)
    with pytest.raises(ProjectsError, match="already marked done"):
        services.mark_milestone_done(milestone, by=user)
    services.reopen_milestone(milestone, by=user)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.LATE
    with pytest.raises(ProjectsError, match="not marked done"):
        services.reopen_milestone(milestone, by=user)


def test_mark_milestone_done_refused_in_the_future_or_to_partners():
    milestone = MilestoneFactory()
    with pytest.raises(ProjectsError, match="future date"):
        services.mark_milestone_done(milestone, by=steering_member(), done_date=timezone.localdate() + DAY)
    with pytest.raises(ProjectsError, match="not allowed"):
        services.mark_milestone_done(milestone, by=MembershipFactory().user)
    milestone.refresh_from_db()
    assert milestone.done_date is None
