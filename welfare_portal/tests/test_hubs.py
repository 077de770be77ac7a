"""The personal area and the steering-group workspace: who reaches them and what they link to."""

import pytest
from django.urls import reverse

from partners.tests.factories import SteeringGroupMemberFactory
from welfare_portal.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.mark.parametrize("name", ["personal-area", "steering-workspace"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_personal_area_links_to_what_is_the_persons_own(client):
    client.force_login(UserFactory())
    html = client.get(reverse("personal-area")).content.decode()
    for name in ["partners:my-organisations", "projects:proposal-list", "projects:my-focusgroups", "account_email", "mfa_index"]:
        assert f'href="{reverse(name)}"' in html, name


def test_the_steering_workspace_is_refused_to_people_without_a_current_seat(client):
    client.force_login(UserFactory())
    assert client.get(reverse("steering-workspace")).status_code == 403
    ended = SteeringGroupMemberFactory(ended=True)
    client.force_login(ended.user)
    assert client.get(reverse("steering-workspace")).status_code == 403


def test_a_current_steering_member_reaches_every_tool_from_the_workspace(client):
    client.force_login(SteeringGroupMemberFactory().user)
    response = client.get(reverse("steering-workspace"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["partners:outreach-board", "partners:event-manage-list", "projects:review-queue", "projects:rubric", "charter:version-list"]:
        assert f'href="{reverse(name)}"' in html, name
