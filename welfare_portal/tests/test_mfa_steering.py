"""Two-factor authentication for the steering group: a seat gives no steering-group power
without an authenticator app. A member without one who opens the workspace or tries a steering
action is led to the set-up with the reason (not a bare 403 or 404), and after it continues;
their own organisation's work and the public pages keep working meanwhile."""

import datetime

import pytest
import rules
from django.contrib.messages import WARNING, get_messages
from django.urls import reverse
from django.utils import timezone

from charter.models import CharterVersion, Pact
from charter.tests.factories import CharterVersionFactory, PactFactory, PublishedVersionFactory, approved_proposal
from partners.models import Event, OutreachContact
from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import MembershipFactory, SteeringGroupMemberFactory
from projects.models import Evaluation, FocusGroup, Milestone, Phase, Proposal, Rubric, Theme
from projects.tests.factories import FocusGroupFactory, ProposalFactory, ThemeFactory
from welfare_portal.tests.factories import give_authenticator
from welfare_portal.two_factor import CONTINUE_SESSION_KEY, forget_two_factor

pytestmark = pytest.mark.django_db

SET_UP = reverse("mfa_activate_totp")
STEERING_WARNING = "You have a seat in the steering group: its pages and actions"
DAY = datetime.timedelta(days=1)
Status = Proposal.Status


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def seat_holder(coordinator=False, totp=False):
    return SteeringGroupMemberFactory(coordinator=coordinator, totp=totp).user


def warnings_of(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == WARNING]


def assert_led_to_set_up(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == SET_UP
    assert any(STEERING_WARNING in message for message in warnings_of(response))


def scores(rubric=None):
    rubric = rubric or Rubric.objects.active().get()
    return {**{f"score_{c.pk}": 4 for c in rubric.criteria.all()}, "comment": "Solida."}


def milestone_post():
    return {"phase": Phase.FOCUS_GROUPS, "title": "Primo incontro", "description": "",
            "due_date": (timezone.localdate() + 30 * DAY).isoformat(), "order": "0"}


# Every kind of steering-group action: (name, role, how to build the request, what must stay
# unchanged when it is refused). `make` returns (method, url, data).
def _evaluate(user):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    return "post", reverse("projects:proposal-evaluate", args=[proposal.pk]), scores()


def _declare(user):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    return "post", reverse("projects:proposal-declare-conflict", args=[proposal.pk]), {"note": "Parente."}


def _start(user):
    proposal = ProposalFactory(status=Status.SUBMITTED)
    return "post", reverse("projects:proposal-start-evaluation", args=[proposal.pk]), {}


def _decide(user):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    return "post", reverse("projects:proposal-decide", args=[proposal.pk]), {
        "decision": "approved", "motivation": "Risponde al bisogno.", "step": "confirm",
    }


def _request_changes(user):
    proposal = ProposalFactory(status=Status.IN_EVALUATION)
    return "post", reverse("projects:proposal-request-changes", args=[proposal.pk]), {"motivation": "Il budget."}


def _draft(user):
    return "post", reverse("charter:version-create"), {"start_from": "blank"}


def _edit_draft(user):
    version = CharterVersionFactory()
    return "get", reverse("charter:version-update", args=[version.pk]), None


def _approve(user):
    version = CharterVersionFactory(proposals=[approved_proposal()])
    return "post", reverse("charter:version-approve", args=[version.pk]), {"note": "Seduta."}


def _publish(user):
    version = PublishedVersionFactory(freeze=CharterVersion.Status.APPROVED, proposals=[approved_proposal()])
    return "post", reverse("charter:version-publish", args=[version.pk]), {"note": "Seduta."}


def _pact(user):
    version = PublishedVersionFactory(proposals=[approved_proposal()])
    deadline = (timezone.localdate() + 30 * DAY).isoformat()
    return "post", reverse("charter:pact-create", args=[version.pk]), {"deadline": deadline}


def _open_pact(user):
    pact = PactFactory()
    return "post", reverse("charter:pact-open", args=[pact.pk]), {"note": "Approvato."}


def _outreach(user):
    return "post", reverse("partners:outreach-create"), {"name": "Cooperativa Nuova", "kind": "volunteering"}


def _event(user):
    return "post", reverse("partners:event-create"), {"title": "Evento di lancio", "capacity": "50"}


def _registrations(user):
    registration = EventRegistrationFactory(email="marta.verdi@example.org")
    return "get", reverse("partners:event-registrations-csv", args=[registration.event.pk]), None


def _theme(user):
    return "post", reverse("projects:theme-create"), {"title": "Abitare", "description": "Casa."}


def _milestone(user):
    return "post", reverse("projects:milestone-create"), milestone_post()


def _focus_group(user):
    theme = ThemeFactory()
    return "post", reverse("projects:focusgroup-create", args=[theme.pk]), {"title": "Vicinato"}


def _meeting(user):
    focus_group = FocusGroupFactory(facilitators=[user])
    return "post", reverse("projects:meeting-create", args=[focus_group.pk]), {"title": "Primo incontro"}


def _rubric(user):
    return "post", reverse("projects:rubric-create"), {"name": "Griglia 2027"}


def _workspace(user):
    return "get", reverse("steering-workspace"), None


def _queue(user):
    return "get", reverse("projects:review-queue"), None


ACTIONS = {
    "workspace": ("member", _workspace), "review queue": ("member", _queue),
    "scoring": ("member", _evaluate), "declaring a conflict": ("member", _declare),
    "starting the evaluation": ("member", _start), "deciding": ("coordinator", _decide),
    "requesting changes": ("coordinator", _request_changes), "opening a Carta draft": ("member", _draft),
    "editing a Carta draft": ("member", _edit_draft), "approving the Carta": ("coordinator", _approve),
    "publishing the Carta": ("coordinator", _publish), "preparing the Pact": ("member", _pact),
    "opening the Pact": ("coordinator", _open_pact), "outreach": ("member", _outreach),
    "organising an event": ("member", _event), "event registrations": ("member", _registrations),
    "themes": ("member", _theme), "timeline": ("member", _milestone),
    "focus groups": ("member", _focus_group), "meetings of a focus group they facilitate": ("member", _meeting),
    "the rubric": ("coordinator", _rubric),
}


def state():
    """What a refused action must leave as it was."""
    return (
        sorted(Proposal.objects.values_list("pk", "status")), Evaluation.objects.count(),
        sorted(CharterVersion.objects.values_list("pk", "status")), sorted(Pact.objects.values_list("pk", "status")),
        OutreachContact.objects.count(), Event.objects.count(), Theme.objects.count(), Milestone.objects.count(),
        FocusGroup.objects.count(), Rubric.objects.count(),
    )


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_member_without_an_authenticator_app_is_led_to_set_it_up_and_nothing_changes(client, action):
    role, make = ACTIONS[action]
    user = seat_holder(coordinator=role == "coordinator")
    method, url, data = make(user)
    before = state()
    client.force_login(user)

    response = getattr(client, method)(url, data)

    assert_led_to_set_up(response)
    assert b"marta.verdi@example.org" not in response.content
    assert state() == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_member_with_an_authenticator_app_is_not_sent_away(client, action):
    role, make = ACTIONS[action]
    user = seat_holder(coordinator=role == "coordinator", totp=True)
    method, url, data = make(user)
    client.force_login(user)

    response = getattr(client, method)(url, data)

    assert response.status_code in (200, 302), response.status_code
    assert response.get("Location") != SET_UP
    assert not any(STEERING_WARNING in message for message in warnings_of(response))


def test_with_an_authenticator_app_the_actions_take_effect(client):
    """The same requests as above: a score, a milestone, a Carta draft are recorded."""
    user = seat_holder(totp=True)
    client.force_login(user)
    for make in (_evaluate, _milestone, _draft):
        method, url, data = make(user)
        getattr(client, method)(url, data)
    assert Evaluation.objects.get().evaluator == user
    assert Milestone.objects.get().title == "Primo incontro"
    assert CharterVersion.objects.get().status == CharterVersion.Status.DRAFT


def test_the_set_up_page_explains_why_and_the_member_continues_where_they_were(client):
    user = seat_holder()
    client.force_login(user)
    page = reverse("projects:review-queue")

    response = client.get(page, follow=True)

    # allauth first asks for the password again (a session made without logging in).
    assert response.resolver_match.url_name == "account_reauthenticate"
    assert STEERING_WARNING in response.content.decode().replace("&#x27;", "'")
    assert client.session[CONTINUE_SESSION_KEY] == page
    give_authenticator(user)
    html = client.get(reverse("mfa_index")).content.decode()
    assert 'id="two-factor-continue"' in html and f'href="{page}"' in html
    assert client.get(page).status_code == 200


def test_their_organisation_and_the_public_pages_keep_working_without_an_authenticator_app(client):
    user = seat_holder()
    membership = MembershipFactory(user=user)
    draft = ProposalFactory(lead_organisation=membership.organisation)
    client.force_login(user)
    for page in [
        "/", reverse("partners:steering-group"), reverse("personal-area"), reverse("projects:proposal-list"),
        reverse("projects:proposal-detail", args=[draft.pk]), reverse("projects:timeline"),
        reverse("partners:organisation-detail", args=[membership.organisation.pk]),
    ]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert not warnings_of(response), page


def test_the_menu_shows_the_workspace_to_every_seat_holder(client):
    client.force_login(seat_holder())
    assert f'href="{reverse("steering-workspace")}"' in client.get("/").content.decode()
    client.force_login(SteeringGroupMemberFactory(ended=True, totp=False).user)
    assert f'href="{reverse("steering-workspace")}"' not in client.get("/").content.decode()


def test_people_without_a_seat_get_the_plain_refusal(client):
    client.force_login(MembershipFactory().user)
    assert client.get(reverse("steering-workspace")).status_code == 403
    client.force_login(SteeringGroupMemberFactory(ended=True, totp=False).user)
    assert client.get(reverse("steering-workspace")).status_code == 403


def test_a_seat_gives_no_steering_power_without_an_authenticator_app():
    """In the rules themselves, for every app: no view can forget it."""
    member, coordinator = seat_holder(), seat_holder(coordinator=True)
    in_evaluation = ProposalFactory(status=Status.IN_EVALUATION)
    draft_version = CharterVersionFactory()
    draft_pact = PactFactory()
    event = EventFactory()
    focus_group = FocusGroupFactory(facilitators=[member])
    checks = [
        (member, "partners.view_outreachcontact", None), (member, "partners.add_event", None),
        (member, "partners.view_eventregistration", event), (member, "projects.view_review_queue", None),
        (member, "projects.view_proposal", in_evaluation), (member, "projects.review_proposal", in_evaluation),
        (member, "projects.view_evaluation", in_evaluation), (member, "projects.evaluate_proposal", in_evaluation),
        (member, "projects.declare_conflict_proposal", in_evaluation), (member, "projects.add_theme", None),
        (member, "projects.add_milestone", None), (member, "projects.add_focusgroup", None),
        (member, "projects.add_meeting", focus_group), (member, "projects.view_rubric", None),
        (member, "charter.add_charterversion", None), (member, "charter.change_charterversion", draft_version),
        (member, "charter.view_pact", draft_pact), (coordinator, "projects.decide_proposal", in_evaluation),
        (coordinator, "projects.change_rubric", None), (coordinator, "charter.open_pact", draft_pact),
    ]
    for user, perm, obj in checks:
        assert not user.has_perm(perm, obj), perm
    assert rules.test_rule("partners.holds_steering_seat", member)
    for user in (member, coordinator):
        give_authenticator(user)
        forget_two_factor(user)
    for user, perm, obj in checks:
        assert user.has_perm(perm, obj), perm
