"""A conflict of interest hides the evaluation: a steering-group member whose organisation leads
or co-partners a proposal, who sits in the group for such an organisation, or who declared a
conflict, sees none of its evaluations (who scored, scores, comments, averages, not even the
rank a sort by score gives), before and after declaring; in the pages, and no email carries
them. The others see them; the decision, once taken, is for everyone who reads the proposal."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Evaluation, Proposal, ProposalPartner, Rubric, Score
from projects.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    SteeringGroupMemberFactory,
    ThemeFactory,
    UserFactory,
    steering_member,
)

pytestmark = pytest.mark.django_db

Status = Proposal.Status
QUEUE = reverse("projects:review-queue")
NAMES = ("Chiara Colombo", "Marco Rossi")
COMMENTS = ("Rete solida e ben radicata", "Costi sostenibili nel tempo")
CONFLICTS = ["lead_member", "accepted_partner_member", "invited_partner_member", "seat_for_partner", "declared"]


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def criteria():
    return list(Rubric.objects.active().get().criteria.all())


def score(proposal, evaluator, value, criteria, comment=""):
    evaluation = Evaluation.objects.create(
        proposal=proposal, evaluator=evaluator, submitted_at=timezone.now(), comment=comment,
    )
    Score.objects.bulk_create(Score(evaluation=evaluation, criterion=c, value=value) for c in criteria)
    Proposal.objects.filter(pk=proposal.pk).refresh_scores()  # as the services leave it
    return evaluation


@pytest.fixture
def proposal(criteria):
    """In evaluation, with an accepted and an invited co-partner, scored 4 and 2 (average 3.00)
    by two members who commented."""
    proposal = ProposalFactory(status=Status.IN_EVALUATION, title="Rete di vicinato")
    ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
    ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.INVITED)
    for name, value, comment in zip(NAMES, (4, 2), COMMENTS):
        score(proposal, steering_member(user__full_name=name), value, criteria, comment)
    return proposal


def in_conflict(kind, proposal, **seat):
    """A current member of the steering group in the given kind of conflict with the proposal."""
    accepted = proposal.partners.get(status=ProposalPartner.Status.ACCEPTED).organisation
    invited = proposal.partners.get(status=ProposalPartner.Status.INVITED).organisation
    if kind == "seat_for_partner":
        return SteeringGroupMemberFactory(organisation=accepted, municipality=None, **seat).user
    user = SteeringGroupMemberFactory(**seat).user
    if kind == "declared":
        Evaluation.objects.create(proposal=proposal, evaluator=user, conflict_declared=True,
                                  conflict_declared_at=timezone.now(), conflict_note="Mio fratello ci lavora.")
    else:
        organisation = {"lead_member": proposal.lead_organisation, "accepted_partner_member": accepted,
                        "invited_partner_member": invited}[kind]
        MembershipFactory(user=user, organisation=organisation)
    return user


def leaks(html):
    """What of the evaluation a page shows: names, comments, the average, the lists."""
    shown = [text for text in (*NAMES, *COMMENTS, "3.00") if text in html]
    shown += [marker for marker in ('id="evaluation-list"', 'id="weighted-average"', 'id="conflict-list"')
              if marker in html]
    return shown


def evaluation_page(client, proposal):
    response = client.get(reverse("projects:proposal-evaluate", args=[proposal.pk]))
    assert response.status_code == 200
    return response.content.decode()


# The evaluation page


@pytest.mark.parametrize("kind", CONFLICTS)
def test_a_member_in_conflict_sees_no_evaluation_before_or_after_declaring(client, proposal, kind):
    client.force_login(in_conflict(kind, proposal))
    html = evaluation_page(client, proposal)
    assert leaks(html) == []
    assert 'id="evaluations-hidden"' in html
    if kind != "declared":
        assert 'id="declare-conflict-link"' in html  # the page still lets them declare it
        client.post(reverse("projects:proposal-declare-conflict", args=[proposal.pk]), {"note": "Socio."})
        html = evaluation_page(client, proposal)
        assert 'id="conflict-declared"' in html
        assert leaks(html) == []


@pytest.mark.parametrize("who", ["member", "coordinator", "staff"])
def test_members_without_a_conflict_and_staff_see_every_evaluation(client, proposal, who):
    user = {"member": steering_member, "coordinator": lambda: steering_member(coordinator=True),
            "staff": lambda: UserFactory(staff=True)}[who]()
    client.force_login(user)
    html = evaluation_page(client, proposal)
    assert sorted(leaks(html)) == sorted([*NAMES, *COMMENTS, "3.00", 'id="evaluation-list"', 'id="weighted-average"'])
    assert 'id="evaluations-hidden"' not in html


def test_a_member_who_only_scored_another_proposal_is_not_in_conflict(client, proposal, criteria):
    user = steering_member()
    score(ProposalFactory(status=Status.IN_EVALUATION), user, 3, criteria)
    client.force_login(user)
    assert "3.00" in evaluation_page(client, proposal)


# The decision page


ABSTAIN = "You are in a conflict of interest with this proposal, so you abstain from deciding on it"


@pytest.mark.parametrize("who", ["coordinator", "staff"])
@pytest.mark.parametrize("kind", ["lead_member", "declared"])
def test_whoever_is_in_conflict_abstains_from_the_decision(client, proposal, who, kind):
    """A coordinator (or staff member) in conflict neither decides nor asks for changes: the
    pages say why, the buttons are not there, and a forged POST changes nothing."""
    if who == "coordinator":
        user = in_conflict(kind, proposal, coordinator=True)
    else:
        user = UserFactory(staff=True)
        if kind == "declared":
            Evaluation.objects.create(proposal=proposal, evaluator=user, conflict_declared=True,
                                      conflict_declared_at=timezone.now(), conflict_note="Parente.")
        else:
            MembershipFactory(user=user, organisation=proposal.lead_organisation)
    client.force_login(user)
    assert 'id="decide-link"' not in evaluation_page(client, proposal)
    for name, data in [("projects:proposal-decide", {"decision": "approved", "motivation": "Bene.", "step": "confirm"}),
                       ("projects:proposal-request-changes", {"motivation": "Rivedere il budget."})]:
        page = client.get(reverse(name, args=[proposal.pk]), follow=True).content.decode()
        assert ABSTAIN in page and leaks(page) == []
        response = client.post(reverse(name, args=[proposal.pk]), data, follow=True)
        assert ABSTAIN in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_EVALUATION and proposal.decided_by is None
    with pytest.raises(services.ProjectsError, match="abstain"):
        services.decide_proposal(proposal, by=user, decision=Status.APPROVED, motivation="Bene.")
    with pytest.raises(services.ProjectsError, match="abstain"):
        services.request_changes(proposal, by=user, motivation="Rivedere il budget.")


def test_a_coordinator_without_a_conflict_decides(client, proposal):
    client.force_login(steering_member(coordinator=True))
    assert 'id="decide-link"' in evaluation_page(client, proposal)
    client.post(reverse("projects:proposal-decide", args=[proposal.pk]),
                {"decision": "approved", "motivation": "Bene.", "step": "confirm"})
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED


def test_a_coordinator_without_a_conflict_sees_the_average_on_the_decision_page(client, proposal):
    client.force_login(steering_member(coordinator=True))
    html = client.get(reverse("projects:proposal-decide", args=[proposal.pk])).content.decode()
    assert "Weighted average: 3.00 out of 5, from 2 evaluations." in html
    assert 'id="evaluations-hidden"' not in html


# The proposal page


@pytest.mark.parametrize("kind", ["lead_member", "accepted_partner_member"])
def test_the_proposal_page_shows_a_member_in_conflict_no_evaluation(client, proposal, kind):
    client.force_login(in_conflict(kind, proposal))
    response = client.get(reverse("projects:proposal-detail", args=[proposal.pk]))
    assert response.status_code == 200
    assert leaks(response.content.decode()) == []


def test_the_decision_once_taken_is_shown_to_a_member_in_conflict(client, proposal):
    user = in_conflict("lead_member", proposal)
    services.decide_proposal(proposal, by=steering_member(coordinator=True), decision=Status.APPROVED,
                             motivation="Risponde a un bisogno scoperto.")
    client.force_login(user)
    for page in ("projects:proposal-detail", "projects:proposal-evaluate"):
        html = client.get(reverse(page, args=[proposal.pk])).content.decode()
        assert "Risponde a un bisogno scoperto." in html, page
        assert leaks(html) == [], page


# The review queue


def queue_rows(client, **params):
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response, [p.title for p in response.context["page"].object_list]


def test_the_queue_hides_the_score_and_count_of_a_proposal_in_conflict(client, proposal, criteria):
    other = ProposalFactory(status=Status.IN_EVALUATION, title="Orti sociali")
    score(other, steering_member(), 1, criteria)
    client.force_login(in_conflict("accepted_partner_member", proposal))
    response, _titles = queue_rows(client)
    rows = {p.title: p for p in response.context["page"].object_list}
    assert (rows["Rete di vicinato"].weighted_score, rows["Rete di vicinato"].evaluation_count) == (None, None)
    assert (rows["Orti sociali"].weighted_score, rows["Orti sociali"].evaluation_count) == (1.0, 1)
    html = response.content.decode()
    assert f'data-proposal="{proposal.pk}"' in html and "3.00" not in html
    assert html.count('data-hidden="conflict"') == 2  # the count and the average of one row
    assert "1.00" in html


def test_the_queue_shows_every_score_to_a_member_without_a_conflict(client, proposal):
    client.force_login(steering_member())
    response, _titles = queue_rows(client)
    [row] = response.context["page"].object_list
    assert (row.weighted_score, row.evaluation_count) == (3.0, 2)
    html = response.content.decode()
    assert "3.00" in html and 'data-hidden="conflict"' not in html


def test_sorting_by_score_gives_no_rank_to_a_proposal_in_conflict(client, proposal, criteria):
    """Best scored (3.00), yet for the member in conflict it sorts with the unscored ones."""
    now = timezone.now()
    low = ProposalFactory(status=Status.IN_EVALUATION, title="Bassa", submitted_at=now)
    score(low, steering_member(), 1, criteria)
    ProposalFactory(status=Status.SUBMITTED, title="Senza voti", submitted_at=now)
    Proposal.objects.filter(pk=proposal.pk).update(submitted_at=now - datetime.timedelta(days=1))
    client.force_login(steering_member())
    assert queue_rows(client, sort="score")[1] == ["Rete di vicinato", "Bassa", "Senza voti"]
    client.force_login(in_conflict("lead_member", proposal))
    assert queue_rows(client, sort="score")[1] == ["Bassa", "Rete di vicinato", "Senza voti"]
    assert queue_rows(client, sort="score_asc")[1] == ["Bassa", "Rete di vicinato", "Senza voti"]


@pytest.mark.parametrize("rows", [10, 200])
def test_the_queue_runs_the_same_number_of_queries_with_conflicts(
    client, criteria, rows, django_assert_max_num_queries
):
    """Half the proposals are led by the member's organisation: the conflict of each row is in
    the rows' query, and the rules read it from there."""
    theme = ThemeFactory()
    mine, other = OrganisationFactory(verified=True), OrganisationFactory(verified=True)
    user = steering_member()
    MembershipFactory(user=user, organisation=mine)
    proposals = Proposal.objects.bulk_create(
        Proposal(lead_organisation=mine if n % 2 else other, theme=theme, title=f"Proposta {n}",
                 status=Status.IN_EVALUATION, submitted_at=timezone.now())
        for n in range(rows)
    )
    evaluator = steering_member()
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(proposal=p, evaluator=evaluator, submitted_at=timezone.now()) for p in proposals
    )
    Score.objects.bulk_create(Score(evaluation=e, criterion=criteria[0], value=3) for e in evaluations)
    Proposal.objects.refresh_scores()
    client.force_login(user)
    # session, user, the seat and the authenticator app (once for the whole page), count, the
    # page's ids (sorted on scores hidden by conflicts), its rows (counts, conflicts and my work
    # in subqueries), the theme and municipality choices.
    with django_assert_max_num_queries(9):
        response = client.get(QUEUE, {"sort": "newest"})  # newest first: mine and the others' in turn
    assert response.context["page"].paginator.count == rows
    # Half the rows shown are in conflict; two cells each (count, average).
    assert response.content.decode().count('data-hidden="conflict"') == 2 * min(rows, 20) // 2


# Emails


def test_no_email_carries_the_evaluation_to_anyone(proposal, criteria, django_capture_on_commit_callbacks):
    """Every notification of an evaluation's life, the decision included: none names an
    evaluator or carries a score or a comment, so none can reach a member in conflict."""
    in_conflict("lead_member", proposal)
    coordinator = steering_member(coordinator=True)
    fresh = ProposalFactory(status=Status.SUBMITTED, lead_organisation=proposal.lead_organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_evaluation(fresh, by=coordinator)
        services.submit_evaluation(fresh, by=coordinator, scores={c.pk: 5 for c in criteria},
                                   comment="Commento riservato della regia")
        services.decide_proposal(fresh, by=coordinator, decision=Status.APPROVED, motivation="Approvata.")
        services.decide_proposal(proposal, by=coordinator, decision=Status.REJECTED, motivation="Respinta.")
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        assert not any(secret in text for secret in (*NAMES, *COMMENTS, "Commento riservato", "3.00", "5.00"))


# The rules


@pytest.mark.parametrize("kind", CONFLICTS)
def test_view_evaluation_excludes_a_member_in_conflict_who_still_reviews(proposal, kind):
    user = in_conflict(kind, proposal)
    assert user.has_perm("projects.review_proposal", proposal)
    assert not user.has_perm("projects.view_evaluation", proposal)
    # The same answer from a row of the queue, which carries the conflict for this user...
    row = Proposal.objects.review_queue(user).get(pk=proposal.pk)
    assert not user.has_perm("projects.view_evaluation", row)
    # ...and never another user's.
    assert steering_member().has_perm("projects.view_evaluation", row)


def test_an_ended_seat_for_a_partner_is_no_conflict(proposal):
    accepted = proposal.partners.get(status=ProposalPartner.Status.ACCEPTED).organisation
    SteeringGroupMemberFactory(organisation=accepted, municipality=None, ended=True,
                               user=(user := steering_member()))
    assert user.has_perm("projects.view_evaluation", proposal)


# The admin, where superusers pass every has_perm


@pytest.mark.parametrize("conflicted", [True, False])
def test_the_admin_shows_the_evaluations_only_to_staff_without_a_conflict(client, proposal, conflicted):
    staff = UserFactory(staff=True)
    if conflicted:
        MembershipFactory(user=staff, organisation=proposal.lead_organisation)
    client.force_login(staff)
    pages = [
        reverse("admin:projects_proposal_change", args=[proposal.pk]),
        reverse("admin:projects_evaluation_changelist"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert all(name in html for name in NAMES) is not conflicted, page
        assert any(name in html for name in NAMES) is not conflicted, page
    if not conflicted:
        assert COMMENTS[0] in client.get(pages[0]).content.decode()
    evaluation = Evaluation.objects.filter(proposal=proposal).first()
    response = client.get(reverse("admin:projects_evaluation_change", args=[evaluation.pk]))
    assert (response.status_code == 200) is not conflicted
