"""The admin is usable by staff and its actions go through the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.utils import timezone

from projects.models import FocusGroupMembership, Milestone, Proposal, Rubric
from projects.tests.factories import (
    CommitmentFactory,
    CriterionFactory,
    EvaluationFactory,
    FocusGroupFactory,
    FocusGroupMembershipFactory,
    MeetingFactory,
    MilestoneFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    ScoreFactory,
    ThemeFactory,
    UserFactory,
    lead_member,
    steering_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(staff=True)  # with an authenticator app, as staff need
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assert on the English msgids
    client.user = user
    return client


def _action(client, model, action, objects, app="projects", **extra):
    return client.post(
        f"/admin/{app}/{model}/",
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0, **extra},
        follow=True,
    )


@pytest.fixture
def some_of_everything():
    proposal = ProposalFactory(status=Proposal.Status.IN_EVALUATION)
    ProposalPartnerFactory(proposal=proposal)
    CommitmentFactory(proposal=proposal)
    ScoreFactory(evaluation=EvaluationFactory(proposal=proposal))
    meeting = MeetingFactory(focus_group=FocusGroupFactory(theme=proposal.theme))
    FocusGroupMembershipFactory(focus_group=meeting.focus_group)
    MilestoneFactory()
    return proposal


@pytest.mark.parametrize(
    "model",
    [
        "theme", "focusgroup", "focusgroupmembership", "meeting", "milestone", "proposal", "rubric", "evaluation",
    ],
)
def test_admin_lists_and_change_pages_open_for_staff(admin_client, some_of_everything, model):
    response = admin_client.get(f"/admin/projects/{model}/")
    assert response.status_code == 200
    obj = response.context["cl"].result_list[0]
    assert admin_client.get(f"/admin/projects/{model}/{obj.pk}/change/").status_code == 200


@pytest.mark.parametrize("model", ["theme", "focusgroup", "meeting", "milestone", "rubric"])
def test_admin_add_pages_open(admin_client, model):
    assert admin_client.get(f"/admin/projects/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", ["proposal", "evaluation", "focusgroupmembership"])
def test_records_written_by_people_cannot_be_added_in_the_admin(admin_client, model):
    assert admin_client.get(f"/admin/projects/{model}/add/").status_code == 403


@pytest.mark.parametrize("model", ["targetgroup", "ageband"])
def test_reference_data_pages(admin_client, model):
    assert admin_client.get(f"/admin/welfare_portal/{model}/").status_code == 200
    assert admin_client.get(f"/admin/welfare_portal/{model}/add/").status_code == 200


def test_focus_group_form_refuses_facilitators_outside_the_steering_group(admin_client):
    theme = ThemeFactory()
    outsider = UserFactory()
    response = admin_client.post(
        "/admin/projects/focusgroup/add/",
        {"theme": theme.pk, "title": "Giovani", "facilitators": [outsider.pk],
         "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0},
    )
    assert response.status_code == 200
    assert "Facilitators must be current members of the steering group" in response.content.decode()
    facilitator = steering_member()
    response = admin_client.post(
        "/admin/projects/focusgroup/add/",
        {"theme": theme.pk, "title": "Giovani", "facilitators": [facilitator.pk],
         "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0},
    )
    assert response.status_code == 302
    assert list(theme.focus_groups.get().facilitators.all()) == [facilitator]


def test_proposal_actions_call_the_services(admin_client, django_capture_on_commit_callbacks):
    submitted = ProposalFactory(status=Proposal.Status.SUBMITTED)
    draft = ProposalFactory()
    _action(admin_client, "proposal", "start_evaluation_selected", [submitted, draft])
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == (Proposal.Status.IN_EVALUATION, Proposal.Status.DRAFT)
    assert submitted.status_changes.latest("pk").changed_by == admin_client.user

    author = lead_member(submitted)
    response = _action(admin_client, "proposal", "approve_selected", [submitted])
    assert "Give the motivation of the decision" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _action(admin_client, "proposal", "approve_selected", [submitted], motivation="Coerente con la tematica.")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision_motivation) == (Proposal.Status.APPROVED, "Coerente con la tematica.")
    assert [m.to for m in mail.outbox] == [[author.email]]
    response = _action(admin_client, "proposal", "reject_selected", [submitted], motivation="No.")
    assert "already been decided" in response.content.decode()


def test_meeting_and_milestone_actions(admin_client):
    meeting = MeetingFactory(minutes="Verbale dell'incontro.")
    _action(admin_client, "meeting", "publish_selected_minutes", [meeting])
    meeting.refresh_from_db()
    assert meeting.minutes_published_by == admin_client.user

    milestone = MilestoneFactory()
    _action(admin_client, "milestone", "mark_done_today", [milestone])
    milestone.refresh_from_db()
    assert (milestone.done_date, milestone.status) == (timezone.localdate(), Milestone.Status.DONE)


def test_focus_group_membership_actions(admin_client):
    membership = FocusGroupMembershipFactory(status=FocusGroupMembership.Status.REQUESTED)
    _action(admin_client, "focusgroupmembership", "accept_selected", [membership])
    membership.refresh_from_db()
    assert membership.status == FocusGroupMembership.Status.ACCEPTED


def test_activate_rubric_action(admin_client):
    rubric = CriterionFactory().rubric
    _action(admin_client, "rubric", "activate_selected", [rubric])
    assert list(Rubric.objects.active()) == [rubric]


def test_rubric_admin_keeps_the_weight_of_a_used_criterion(admin_client):
    rubric = Rubric.objects.active().get()
    criteria = list(rubric.criteria.all())
    ScoreFactory(criterion=criteria[0])

    def post(weight):
        data = {"name": rubric.name, "description": rubric.description,
                "criteria-TOTAL_FORMS": len(criteria), "criteria-INITIAL_FORMS": len(criteria),
                "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000}
        for index, criterion in enumerate(criteria):
            data.update({
                f"criteria-{index}-id": criterion.pk, f"criteria-{index}-rubric": rubric.pk,
                f"criteria-{index}-order": criterion.order, f"criteria-{index}-name": criterion.name,
                f"criteria-{index}-description": criterion.description,
                f"criteria-{index}-weight": weight if index == 0 else criterion.weight,
            })
        return admin_client.post(f"/admin/projects/rubric/{rubric.pk}/change/", data)

    response = post("99")
    assert response.status_code == 200
    assert "weight cannot change" in response.content.decode()
    criteria[0].refresh_from_db()
    assert criteria[0].weight == 25
    assert post("25").status_code == 302
