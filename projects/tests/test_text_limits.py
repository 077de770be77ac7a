"""Maximum lengths and clean titles in the projects pages: an over-long text gets Django's
message next to its field and changes nothing (the textarea says its maximum), on the pages
and in the admin's actions; titles are stored NFC, without invisible characters."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from projects.models import Meeting, Proposal, Theme
from projects.tests.factories import (
    CompleteProposalFactory,
    FocusGroupFactory,
    MeetingFactory,
    ProposalFactory,
    UserFactory,
    lead_member,
    steering_member,
)
from projects.tests.proposal_pages import login, snapshot, url
from projects.tests.test_views_review import snapshot as review_snapshot
from welfare_portal.fields import LONG_TEXT_LENGTH, TEXT_LENGTH
from welfare_portal.tests.texts import RLO, too_long

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_proposal_form_says_each_maximum(client):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    html = client.get(url("proposal-update", proposal.pk)).content.decode()
    assert re.search(r'<input type="text" name="title"[^>]*maxlength="200"', html)
    assert re.search(r'<textarea name="summary"[^>]*maxlength="2000"', html)
    assert re.search(r'<textarea name="need"[^>]*maxlength="4000"', html)


def test_an_over_long_section_of_a_proposal_is_refused_and_changes_nothing(client):
    proposal = ProposalFactory(title="Titolo")
    login(client, lead_member(proposal))
    before = snapshot()
    response = client.post(url("proposal-update", proposal.pk), {
        "title": "Titolo cambiato", "theme": proposal.theme.pk, "need": "x" * (TEXT_LENGTH + 1),
    })
    assert response.status_code == 200
    assert too_long(TEXT_LENGTH) in response.content.decode()
    assert snapshot() == before
    assert Proposal.objects.get().need == proposal.need


def test_an_over_long_motivation_of_a_decision_is_refused(client):
    proposal = CompleteProposalFactory(status=Proposal.Status.IN_EVALUATION)
    login(client, steering_member(coordinator=True))
    before = review_snapshot(proposal)
    response = client.post(reverse("projects:proposal-decide", args=[proposal.pk]), {
        "decision": "approved", "motivation": "x" * (TEXT_LENGTH + 1), "step": "confirm",
    })
    assert too_long(TEXT_LENGTH) in response.content.decode()
    assert review_snapshot(proposal) == before


def test_over_long_minutes_are_refused(client):
    facilitator = steering_member()
    meeting = MeetingFactory(focus_group=FocusGroupFactory(facilitators=[facilitator]))
    login(client, facilitator)
    response = client.post(
        reverse("projects:meeting-minutes", args=[meeting.pk]), {"minutes": "x" * (LONG_TEXT_LENGTH + 1)},
    )
    assert too_long(LONG_TEXT_LENGTH) in response.content.decode()
    assert Meeting.objects.get().minutes == meeting.minutes


def test_the_admin_request_changes_action_says_the_motivation_is_too_long(client):
    """The action bar has no form of its own: the service answers with the form's message."""
    proposal = CompleteProposalFactory(status=Proposal.Status.IN_EVALUATION)
    client.force_login(UserFactory(staff=True))
    before = review_snapshot(proposal)
    response = client.post("/admin/projects/proposal/", {
        "action": "request_changes_selected", ACTION_CHECKBOX_NAME: [proposal.pk], "index": 0,
        "motivation": "x" * (TEXT_LENGTH + 1),
    }, follow=True)
    assert too_long(TEXT_LENGTH) in response.content.decode()
    assert review_snapshot(proposal) == before


def test_a_proposal_title_is_stored_without_bidi_controls_and_nfc(client):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    client.post(url("proposal-update", proposal.pk), {
        "title": f"Rete di vicinato{RLO} per la citta\u0300\u200b", "theme": proposal.theme.pk,
    })
    proposal.refresh_from_db()
    assert proposal.title == "Rete di vicinato per la città"
    assert RLO not in client.get(url("proposal-detail", proposal.pk)).content.decode()


def test_a_theme_title_written_without_a_form_is_stored_clean():
    """Whoever writes the model (a service, a script) stores the cleaned title."""
    theme = Theme.objects.create(
        title=f"Abitare{RLO}\u2066 e lavoro", call_opens_at="2026-01-01T00:00Z", call_closes_at="2026-02-01T00:00Z",
    )
    theme.refresh_from_db()
    assert theme.title == "Abitare e lavoro"
