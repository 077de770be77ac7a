"""The steering group's review pages: the queue, the evaluation (scores, conflicts of
interest), starting the evaluation, requesting changes and deciding. Each action for the role
that may do it, refused to the others; every forbidden move gives a clear message and changes
nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from projects.models import Evaluation, Proposal, ProposalPartner, ProposalStatusChange, Rubric, Score
from projects.tests.factories import (
    CommitmentFactory,
    CompleteProposalFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    SteeringGroupMemberFactory,
    ThemeFactory,
    UserFactory,
    lead_member,
    steering_member,
)
from welfare_portal.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

Status = Proposal.Status
QUEUE = "/regia/proposte/"


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages follow the browser's language: ask for English to assert on the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def criteria():
    """The active rubric loaded by the data migration: five criteria, weights 25/20/20/15/20."""
    return list(Rubric.objects.active().get().criteria.all())


@pytest.fixture
def proposal():
    proposal = CompleteProposalFactory(
        status=Status.IN_EVALUATION, title="Rete di vicinato per gli anziani",
        lead_organisation__name="Cooperativa Sociale Il Ponte",
    )
    ProposalPartnerFactory(
        proposal=proposal, organisation__name="Associazione Auser Legnano", status=ProposalPartner.Status.ACCEPTED,
    )
    CommitmentFactory(proposal=proposal, estimated_value_eur=Decimal("1500.00"))
    CommitmentFactory(proposal=proposal, estimated_value_eur=Decimal("2500.50"))
    return proposal


@pytest.fixture
def member():
    return steering_member(user__full_name="Chiara Colombo")


@pytest.fixture
def coordinator():
    return steering_member(coordinator=True, user__full_name="Marco Rossi")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def login(client, user):
    client.force_login(user)
    return user


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def snapshot(proposal):
    """What a refused action must leave untouched."""
    proposal = Proposal.objects.get(pk=proposal.pk)
    return (
        proposal.status, proposal.decided_at, proposal.decided_by_id, proposal.decision_motivation,
        proposal.changes_requested_note, ProposalStatusChange.objects.filter(proposal=proposal).count(),
        list(Evaluation.objects.filter(proposal=proposal).values_list(
            "evaluator_id", "conflict_declared", "submitted_at", "comment",
        )),
        list(Score.objects.filter(evaluation__proposal=proposal).values_list("criterion_id", "value")),
    )


def score_data(criteria, values=None, comment=""):
    values = values or [4] * len(criteria)
    return {**{f"score_{c.pk}": v for c, v in zip(criteria, values)}, "comment": comment}


def test_urls_are_italian_and_named():
    assert url("review-queue") == QUEUE
    assert url("proposal-evaluate", 7) == QUEUE + "7/valuta/"
    assert url("proposal-decide", 7) == QUEUE + "7/decisione/"
    assert url("proposal-start-evaluation", 7) == QUEUE + "7/avvia-valutazione/"
    assert url("proposal-request-changes", 7) == QUEUE + "7/modifiche/"
    assert url("proposal-declare-conflict", 7) == QUEUE + "7/conflitto/"


# --- Who may open what ----------------------------------------------------------------------


def _pages(proposal, criteria):
    """(method, url, data) of every review page and action on the proposal."""
    return [
        ("get", url("proposal-evaluate", proposal.pk), None),
        ("post", url("proposal-evaluate", proposal.pk), score_data(criteria)),
        ("get", url("proposal-declare-conflict", proposal.pk), None),
        ("post", url("proposal-declare-conflict", proposal.pk), {"note": "x"}),
        ("post", url("proposal-start-evaluation", proposal.pk), None),
        ("get", url("proposal-request-changes", proposal.pk), None),
        ("post", url("proposal-request-changes", proposal.pk), {"motivation": "Rivedere il budget."}),
        ("get", url("proposal-decide", proposal.pk), None),
        ("post", url("proposal-decide", proposal.pk), {
            "decision": "approved", "motivation": "Ottimo.", "step": "confirm",
        }),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, proposal, criteria):
    before = snapshot(proposal)
    for method, page_url, data in [("get", QUEUE, None), *_pages(proposal, criteria)]:
        response = getattr(client, method)(page_url, data)
        assert response.status_code == 302, page_url
        assert response["Location"].startswith("/accounts/login/?next="), page_url
    assert snapshot(proposal) == before


@pytest.mark.parametrize("who", ["partner", "ex_member"])
def test_people_outside_the_steering_group_are_refused_the_queue_and_do_not_see_the_proposal(
    client, proposal, criteria, who
):
    """A partner of another organisation and an ex-member of the group: 403 on the queue, and
    the proposal does not exist for them (404)."""
    user = MembershipFactory().user if who == "partner" else SteeringGroupMemberFactory(ended=True).user
    login(client, user)
    assert client.get(QUEUE).status_code == 403
    before = snapshot(proposal)
    for method, page_url, data in _pages(proposal, criteria):
        assert getattr(client, method)(page_url, data).status_code == 404, page_url
    assert snapshot(proposal) == before
    assert mail.outbox == []


def test_the_lead_partner_sees_the_proposal_but_not_the_review(client, proposal, criteria):
    login(client, lead_member(proposal))
    assert client.get(QUEUE).status_code == 403
    before = snapshot(proposal)
    for method, page_url, data in _pages(proposal, criteria):
        assert getattr(client, method)(page_url, data).status_code == 403, page_url
    assert snapshot(proposal) == before


def test_a_plain_steering_member_cannot_request_changes_or_decide(client, proposal, member):
    login(client, member)
    before = snapshot(proposal)
    for page_url in (url("proposal-request-changes", proposal.pk), url("proposal-decide", proposal.pk)):
        assert client.get(page_url).status_code == 403
    assert client.post(url("proposal-request-changes", proposal.pk), {"motivation": "No"}).status_code == 403
    assert client.post(url("proposal-decide", proposal.pk), {
        "decision": "approved", "motivation": "Sì", "step": "confirm",
    }).status_code == 403
    assert snapshot(proposal) == before


def test_drafts_are_not_there_for_the_steering_group(client, member):
    draft = CompleteProposalFactory()
    login(client, member)
    assert client.get(url("proposal-evaluate", draft.pk)).status_code == 404
    assert client.post(url("proposal-start-evaluation", draft.pk)).status_code == 404


def test_action_views_accept_only_post(client, proposal, member):
    login(client, member)
    assert client.get(url("proposal-start-evaluation", proposal.pk)).status_code == 405


def test_menu_shows_the_queue_only_to_the_steering_group_and_staff(client, member):
    # The menu leads to the steering group's workspace, which links to the queue.
    login(client, MembershipFactory().user)
    assert 'href="/regia/"' not in client.get("/").content.decode()
    login(client, SteeringGroupMemberFactory(ended=True).user)
    assert 'href="/regia/"' not in client.get("/").content.decode()
    login(client, member)
    assert 'href="/regia/"' in client.get("/").content.decode()
    assert f'href="{QUEUE}"' in client.get("/regia/").content.decode()
    login(client, UserFactory(staff=True, totp=True))
    assert 'href="/regia/"' in client.get("/").content.decode()
    assert f'href="{QUEUE}"' in client.get("/regia/").content.decode()


# --- The queue ------------------------------------------------------------------------------


def _score(proposal, evaluator, value, criteria):
    evaluation = Evaluation.objects.create(proposal=proposal, evaluator=evaluator, submitted_at=timezone.now())
    Score.objects.bulk_create(Score(evaluation=evaluation, criterion=c, value=value) for c in criteria)
    Proposal.objects.filter(pk=proposal.pk).refresh_scores()  # as the services leave it
    return evaluation


def titles(response):
    return [proposal.title for proposal in response.context["page"].object_list]


def test_queue_lists_every_submitted_proposal_but_drafts_and_withdrawn_ones(client, member):
    for status in Status:
        ProposalFactory(status=status, title=f"P {status.value}")
    ProposalFactory(status=Status.WITHDRAWN, submitted_at=timezone.now(), title="P withdrawn after submission")
    login(client, member)
    response = client.get(QUEUE, {"sort": "title"})
    assert response.status_code == 200
    assert titles(response) == [
        "P approved", "P changes_requested", "P in_evaluation", "P rejected", "P submitted",
    ]
    assert titles(client.get(QUEUE, {"status": "withdrawn"})) == ["P withdrawn after submission"]
    assert sorted(titles(client.get(QUEUE, {"status": "awaiting"}))) == ["P in_evaluation", "P submitted"]
    assert titles(client.get(QUEUE, {"status": "approved"})) == ["P approved"]


def test_queue_shows_counts_average_and_my_own_work(client, member, criteria):
    scored = ProposalFactory(status=Status.IN_EVALUATION, title="Valutata", lead_organisation__name="Ente capofila")
    conflicted = ProposalFactory(status=Status.IN_EVALUATION, title="In conflitto")
    untouched = ProposalFactory(status=Status.SUBMITTED, title="Da valutare")
    _score(scored, member, 4, criteria)
    _score(scored, steering_member(), 2, criteria)
    Evaluation.objects.create(proposal=conflicted, evaluator=member, conflict_declared=True)
    login(client, member)
    response = client.get(QUEUE)
    rows = {p.title: p for p in response.context["page"].object_list}
    assert rows["Valutata"].evaluation_count == 2
    assert rows["Valutata"].weighted_score == pytest.approx(3.0)
    assert (rows["Valutata"].scored_by_me, rows["Valutata"].conflict_by_me) == (True, False)
    assert (rows["In conflitto"].scored_by_me, rows["In conflitto"].conflict_by_me) == (False, True)
    assert (rows["Da valutare"].scored_by_me, rows["Da valutare"].conflict_by_me) == (False, False)
    html = response.content.decode()
    assert "Ente capofila" in html and scored.theme.title in html
    assert f'data-proposal="{scored.pk}"' in html and "3.00" in html
    assert 'data-mine="scored"' in html and 'data-mine="conflict"' in html and 'data-mine="none"' in html
    assert f'href="{url("proposal-evaluate", untouched.pk)}"' in html


def test_queue_sorts_by_score_both_ways_unscored_last_and_by_date_and_title(client, member, criteria):
    now = timezone.now()
    low = ProposalFactory(status=Status.IN_EVALUATION, title="B bassa", submitted_at=now - datetime.timedelta(days=3))
    high = ProposalFactory(status=Status.IN_EVALUATION, title="C alta", submitted_at=now - datetime.timedelta(days=1))
    ProposalFactory(status=Status.SUBMITTED, title="A senza voti", submitted_at=now - datetime.timedelta(days=2))
    _score(low, steering_member(), 1, criteria)
    _score(high, steering_member(), 5, criteria)
    login(client, member)
    assert titles(client.get(QUEUE)) == ["C alta", "B bassa", "A senza voti"]
    assert titles(client.get(QUEUE, {"sort": "score"})) == ["C alta", "B bassa", "A senza voti"]
    assert titles(client.get(QUEUE, {"sort": "score_asc"})) == ["B bassa", "C alta", "A senza voti"]
    assert titles(client.get(QUEUE, {"sort": "newest"})) == ["C alta", "A senza voti", "B bassa"]
    assert titles(client.get(QUEUE, {"sort": "oldest"})) == ["B bassa", "A senza voti", "C alta"]
    assert titles(client.get(QUEUE, {"sort": "title"})) == ["A senza voti", "B bassa", "C alta"]


def test_queue_filters_by_theme_status_municipality_and_search(client, member):
    housing = ThemeFactory(title="Abitare")
    legnano, parabiago = MunicipalityFactory(name="Legnano"), MunicipalityFactory(name="Parabiago")
    a = ProposalFactory(status=Status.SUBMITTED, theme=housing, title="Casa comune",
                        lead_organisation__name="Cooperativa Arcobaleno")
    a.municipalities.set([legnano, parabiago])
    b = ProposalFactory(status=Status.IN_EVALUATION, title="Orti sociali", summary="Orti per famiglie a Legnano")
    b.municipalities.set([parabiago])
    ProposalFactory(status=Status.APPROVED, theme=housing, title="Housing first")
    login(client, member)
    assert sorted(titles(client.get(QUEUE, {"theme": housing.pk}))) == ["Casa comune", "Housing first"]
    assert titles(client.get(QUEUE, {"theme": housing.pk, "status": "submitted"})) == ["Casa comune"]
    assert sorted(titles(client.get(QUEUE, {"municipality": parabiago.pk}))) == ["Casa comune", "Orti sociali"]
    assert titles(client.get(QUEUE, {"municipality": legnano.pk})) == ["Casa comune"]
    assert titles(client.get(QUEUE, {"q": "arcobaleno"})) == ["Casa comune"]
    assert titles(client.get(QUEUE, {"q": "famiglie"})) == ["Orti sociali"]
    response = client.get(QUEUE, {"q": "nessuna proposta così"})
    assert "No proposal matches these filters." in response.content.decode()


def test_queue_empty_state(client, member):
    ProposalFactory()  # a draft
    login(client, member)
    assert "No proposals have been submitted to the steering group yet." in client.get(QUEUE).content.decode()


def test_queue_is_paginated(client, member):
    theme = ThemeFactory()
    lead = OrganisationFactory(verified=True)
    Proposal.objects.bulk_create(
        Proposal(lead_organisation=lead, theme=theme, title=f"Proposta {n:02d}", status=Status.SUBMITTED,
                 submitted_at=timezone.now())
        for n in range(25)
    )
    login(client, member)
    first = client.get(QUEUE, {"sort": "title", "status": "submitted"})
    assert len(first.context["page"].object_list) == 20
    html = first.content.decode()
    assert 'aria-label="Pages"' in html and "page=2" in html and "status=submitted" in html
    second = client.get(QUEUE, {"sort": "title", "status": "submitted", "page": 2})
    assert titles(second) == [f"Proposta {n}" for n in range(20, 25)]


@pytest.mark.parametrize("rows", [10, 500])
def test_queue_runs_the_same_number_of_queries_however_long(client, member, criteria, rows,
                                                           django_assert_max_num_queries):
    theme = ThemeFactory()
    lead = OrganisationFactory(verified=True)
    municipality = MunicipalityFactory()
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(lead_organisation=lead, theme=theme, title=f"Proposta {n}", status=Status.IN_EVALUATION,
                 submitted_at=now - datetime.timedelta(minutes=n))
        for n in range(rows)
    )
    Proposal.municipalities.through.objects.bulk_create(
        Proposal.municipalities.through(proposal_id=p.pk, municipality_id=municipality.pk) for p in proposals
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(proposal=p, evaluator=member, submitted_at=now) for p in proposals
    )
    Score.objects.bulk_create(Score(evaluation=e, criterion=criteria[0], value=n % 6) for n, e in enumerate(evaluations))
    Proposal.objects.refresh_scores()
    login(client, member)
    # session, user, the queue permission (steering seat), the chosen municipality, count, the
    # page's ids, then its rows (lead, theme, score, counts and my work in subqueries), the
    # theme and municipality choices, the rubric link's seat check and the menu's.
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE, {"municipality": municipality.pk, "sort": "score_asc"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


# --- The evaluation page --------------------------------------------------------------------


def test_evaluation_page_shows_the_proposal_and_the_rubric(client, proposal, member, criteria):
    login(client, member)
    response = client.get(url("proposal-evaluate", proposal.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Rete di vicinato per gli anziani", "Cooperativa Sociale Il Ponte", "Associazione Auser Legnano",
        proposal.summary, proposal.need, "Ridurre l&#x27;isolamento.", "4,000.50",
    ]:
        assert text in html, text
    assert 'id="evaluation-form"' in html
    for criterion in criteria:
        assert criterion.name in html
        assert html.count(f'name="score_{criterion.pk}"') == 6  # 0 to 5
    assert "<fieldset" in html and "<legend" in html
    assert "Weight 25, 25% of the total." in html
    assert f'href="{url("proposal-declare-conflict", proposal.pk)}"' in html
    assert 'id="no-evaluations"' in html


def test_evaluation_page_links_to_the_full_proposal_when_that_page_exists(client, proposal, member):
    login(client, member)
    html = client.get(url("proposal-evaluate", proposal.pk)).content.decode()
    try:
        detail = url("proposal-detail", proposal.pk)
    except NoReverseMatch:
        pytest.skip("the proposal page does not exist yet")
    assert f'href="{detail}"' in html


def test_member_scores_a_proposal_then_sees_the_weighted_average(client, proposal, member, criteria):
    login(client, member)
    response = client.post(
        url("proposal-evaluate", proposal.pk), score_data(criteria, [5, 4, 3, 2, 1], "Buon progetto."),
    )
    assert response.status_code == 302
    assert response["Location"] == url("proposal-evaluate", proposal.pk)
    evaluation = Evaluation.objects.get(proposal=proposal, evaluator=member)
    assert evaluation.comment == "Buon progetto."
    assert sorted(evaluation.scores.values_list("value", flat=True)) == [1, 2, 3, 4, 5]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Your evaluation of “Rete di vicinato per gli anziani” has been saved." in messages_of(page)
    # (5×25 + 4×20 + 3×20 + 2×15 + 1×20) / 100 = 3.15
    assert "Weighted average: <strong>3.15</strong> out of 5, from 1 evaluation." in html
    assert "Chiara Colombo" in html and "Buon progetto." in html


def test_scoring_again_replaces_the_earlier_scores_and_the_form_shows_them(client, proposal, member, criteria):
    login(client, member)
    client.post(url("proposal-evaluate", proposal.pk), score_data(criteria, [1] * 5, "Prima"))
    form = client.get(url("proposal-evaluate", proposal.pk)).context["form"]
    assert form.initial == {**{f"score_{c.pk}": 1 for c in criteria}, "comment": "Prima"}
    client.post(url("proposal-evaluate", proposal.pk), score_data(criteria, [5] * 5, "Rivista"))
    evaluation = Evaluation.objects.get()
    assert evaluation.comment == "Rivista"
    assert list(evaluation.scores.values_list("value", flat=True)) == [5] * 5


def test_a_missing_or_invalid_score_is_named_and_nothing_is_saved(client, proposal, member, criteria):
    login(client, member)
    data = score_data(criteria)
    del data[f"score_{criteria[0].pk}"]
    data[f"score_{criteria[1].pk}"] = "9"
    response = client.post(url("proposal-evaluate", proposal.pk), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"score_{criteria[0].pk}"] == ["Give a score from 0 to 5 for this criterion."]
    assert f"score_{criteria[1].pk}" in errors
    assert not Evaluation.objects.exists()


def test_a_member_whose_organisation_is_a_partner_must_declare_the_conflict_and_cannot_score(
    client, proposal, criteria
):
    partner_org = proposal.partners.get().organisation
    user = steering_member(user__full_name="Luca Ferrari")
    MembershipFactory(organisation=partner_org, user=user)
    login(client, user)
    html = client.get(url("proposal-evaluate", proposal.pk)).content.decode()
    assert 'id="conflict-warning"' in html and "Associazione Auser Legnano" in html
    assert "You must declare the conflict of interest, and you cannot score this proposal." in html
    assert 'id="evaluation-form"' not in html
    before = snapshot(proposal)
    response = client.post(url("proposal-evaluate", proposal.pk), score_data(criteria), follow=True)
    assert any("You have a conflict of interest" in m for m in messages_of(response))
    assert snapshot(proposal) == before


def test_declaring_a_conflict_goes_through_a_confirmation_and_removes_earlier_scores(
    client, proposal, member, criteria
):
    login(client, member)
    client.post(url("proposal-evaluate", proposal.pk), score_data(criteria))
    confirm = client.get(url("proposal-declare-conflict", proposal.pk))
    assert confirm.status_code == 200
    assert "This cannot be undone." in confirm.content.decode()
    assert Evaluation.objects.get().conflict_declared is False  # the page alone changes nothing
    response = client.post(url("proposal-declare-conflict", proposal.pk), {"note": "Mia sorella lavora lì."})
    assert response["Location"] == url("proposal-evaluate", proposal.pk)
    evaluation = Evaluation.objects.get()
    assert evaluation.conflict_declared and evaluation.conflict_note == "Mia sorella lavora lì."
    assert not evaluation.scores.exists()
    page = client.get(url("proposal-evaluate", proposal.pk))
    html = page.content.decode()
    assert 'id="conflict-declared"' in html and 'id="evaluation-form"' not in html
    # Their own declaration, not the group's evaluations: they are now in conflict.
    assert "Mia sorella lavora lì." in html
    assert 'id="evaluations-hidden"' in html and 'id="conflict-list"' not in html
    # Scoring afterwards is refused with the service's message.
    response = client.post(url("proposal-evaluate", proposal.pk), score_data(criteria), follow=True)
    assert "You declared a conflict of interest with this proposal, so you cannot score it." in messages_of(response)
    assert not Score.objects.exists()


def test_declaring_a_conflict_twice_says_so(client, proposal, member):
    login(client, member)
    client.post(url("proposal-declare-conflict", proposal.pk))
    response = client.post(url("proposal-declare-conflict", proposal.pk), follow=True)
    assert "You have already declared a conflict of interest with this proposal." in messages_of(response)
    assert Evaluation.objects.count() == 1


def test_staff_read_the_evaluations_but_do_not_score(client, proposal, criteria, member):
    _score(proposal, member, 3, criteria)
    login(client, UserFactory(staff=True, totp=True))
    html = client.get(url("proposal-evaluate", proposal.pk)).content.decode()
    assert 'id="not-an-evaluator"' in html and 'id="evaluation-form"' not in html
    assert "Chiara Colombo" in html
    before = snapshot(proposal)
    response = client.post(url("proposal-evaluate", proposal.pk), score_data(criteria), follow=True)
    assert "Only current members of the steering group can do this." in messages_of(response)
    assert snapshot(proposal) == before


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.WITHDRAWN])
def test_scoring_outside_the_evaluation_is_refused_with_a_message(client, member, criteria, status):
    proposal = ProposalFactory(status=status, submitted_at=timezone.now())
    login(client, member)
    html = client.get(url("proposal-evaluate", proposal.pk)).content.decode()
    assert 'id="evaluation-form"' not in html
    assert ('id="not-started"' if status == Status.SUBMITTED else 'id="scoring-closed"') in html
    response = client.post(url("proposal-evaluate", proposal.pk), score_data(criteria), follow=True)
    assert any("Only a proposal in evaluation can be scored" in m for m in messages_of(response))
    assert not Evaluation.objects.exists()


# --- Starting the evaluation ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "coordinator", "staff"])
def test_the_steering_group_and_staff_start_the_evaluation(client, who):
    proposal = CompleteProposalFactory(status=Status.SUBMITTED)
    user = {
        "member": steering_member, "coordinator": lambda: steering_member(coordinator=True),
        "staff": lambda: UserFactory(staff=True, totp=True),
    }[who]()
    login(client, user)
    response = client.post(url("proposal-start-evaluation", proposal.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("proposal-evaluate", proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_EVALUATION
    change = ProposalStatusChange.objects.get(proposal=proposal)
    assert (change.from_status, change.to_status, change.changed_by) == (Status.SUBMITTED, Status.IN_EVALUATION, user)
    assert any("has started" in m for m in messages_of(response))


@pytest.mark.parametrize("status", [Status.IN_EVALUATION, Status.WITHDRAWN, Status.APPROVED])
def test_starting_the_evaluation_again_or_on_a_closed_proposal_is_refused(client, member, status):
    proposal = ProposalFactory(status=status, submitted_at=timezone.now())
    login(client, member)
    before = snapshot(proposal)
    response = client.post(url("proposal-start-evaluation", proposal.pk), follow=True)
    message = {
        Status.IN_EVALUATION: "A proposal cannot go from “In evaluation” to “In evaluation”.",
        Status.WITHDRAWN: "This proposal has been withdrawn; nothing can change it any more.",
        Status.APPROVED: "This proposal has already been decided (“Approved”); the decision cannot change.",
    }[status]
    assert message in messages_of(response)
    assert snapshot(proposal) == before


# --- Requesting changes ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_the_coordinator_or_staff_request_changes_and_the_lead_is_told(client, proposal, on_commit, who):
    lead = lead_member(proposal, user__email="lead@ilponte.example.org")
    user = login(client, steering_member(coordinator=True) if who == "coordinator" else UserFactory(staff=True, totp=True))
    assert client.get(url("proposal-request-changes", proposal.pk)).status_code == 200
    with on_commit():
        response = client.post(
            url("proposal-request-changes", proposal.pk), {"motivation": "  Chiarire il piano economico.  "},
        )
    assert response["Location"] == url("proposal-evaluate", proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == Status.CHANGES_REQUESTED
    assert proposal.changes_requested_note == "Chiarire il piano economico."
    change = ProposalStatusChange.objects.get(proposal=proposal)
    assert (change.changed_by, change.note) == (user, "Chiarire il piano economico.")
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert "Chiarire il piano economico." in mail.outbox[0].body


def test_requesting_changes_without_a_motivation_is_refused(client, proposal, coordinator, on_commit):
    lead_member(proposal)
    login(client, coordinator)
    before = snapshot(proposal)
    with on_commit():
        response = client.post(url("proposal-request-changes", proposal.pk), {"motivation": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["motivation"] == [
        "Explain which changes are needed: the lead partner will read it."
    ]
    assert snapshot(proposal) == before
    assert mail.outbox == []


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.WITHDRAWN, Status.REJECTED])
def test_requesting_changes_outside_the_evaluation_is_refused(client, coordinator, status):
    proposal = ProposalFactory(status=status, submitted_at=timezone.now())
    login(client, coordinator)
    before = snapshot(proposal)
    page = client.get(url("proposal-request-changes", proposal.pk), follow=True)
    assert page.redirect_chain[-1][0] == url("proposal-evaluate", proposal.pk)
    assert messages_of(page)
    response = client.post(url("proposal-request-changes", proposal.pk), {"motivation": "Rivedere."}, follow=True)
    assert messages_of(response) == messages_of(page)
    assert snapshot(proposal) == before


# --- Deciding ---------------------------------------------------------------------------------


def decide(client, proposal, step, decision="approved", motivation="Risponde a un bisogno scoperto."):
    return client.post(url("proposal-decide", proposal.pk), {
        "decision": decision, "motivation": motivation, "step": step,
    })


def test_deciding_asks_for_confirmation_then_approves_and_tells_the_partners(client, proposal, coordinator, on_commit):
    lead = lead_member(proposal)
    co_partner = MembershipFactory(organisation=proposal.partners.get().organisation).user
    login(client, coordinator)
    form_page = client.get(url("proposal-decide", proposal.pk))
    assert form_page.status_code == 200 and 'id="decision-form"' in form_page.content.decode()

    before = snapshot(proposal)
    confirm = decide(client, proposal, "review")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "The decision is final: once confirmed it cannot be changed." in html
    assert 'data-decision="approved"' in html and "Risponde a un bisogno scoperto." in html
    assert snapshot(proposal) == before  # nothing is recorded before the confirmation

    with on_commit():
        response = decide(client, proposal, "confirm")
    assert response["Location"] == url("proposal-evaluate", proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert (proposal.decided_by, proposal.decision_motivation) == (coordinator, "Risponde a un bisogno scoperto.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, co_partner.email])
    assert "Risponde a un bisogno scoperto." in mail.outbox[0].body
    page = client.get(response["Location"])
    assert "“Rete di vicinato per gli anziani” has been approved; the partners have been notified." in messages_of(page)
    assert 'id="decision"' in page.content.decode()


def test_the_coordinator_can_go_back_and_change_before_confirming(client, proposal, coordinator):
    login(client, coordinator)
    response = decide(client, proposal, "edit", decision="rejected", motivation="Budget insufficiente.")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="decision-form"' in html and "Budget insufficiente." in html
    assert Proposal.objects.get(pk=proposal.pk).status == Status.IN_EVALUATION


def test_staff_reject_a_proposal(client, proposal, on_commit):
    lead = lead_member(proposal)
    login(client, UserFactory(staff=True, totp=True))
    with on_commit():
        decide(client, proposal, "confirm", decision="rejected", motivation="Non sostenibile.")
    proposal.refresh_from_db()
    assert proposal.status == Status.REJECTED and proposal.decision_motivation == "Non sostenibile."
    assert [m.to for m in mail.outbox] == [[lead.email]]


@pytest.mark.parametrize("motivation", ["", "   "])
def test_deciding_without_a_motivation_is_refused(client, proposal, coordinator, motivation):
    login(client, coordinator)
    before = snapshot(proposal)
    for step in ("review", "confirm"):
        response = decide(client, proposal, step, motivation=motivation)
        assert response.status_code == 200
        assert response.context["form"].errors["motivation"] == [
            "Give the motivation of the decision: the lead partner will read it."
        ]
    assert snapshot(proposal) == before


def test_deciding_without_choosing_is_refused(client, proposal, coordinator):
    login(client, coordinator)
    response = client.post(url("proposal-decide", proposal.pk), {"motivation": "Sì.", "step": "confirm"})
    assert response.context["form"].errors["decision"] == ["Choose whether to approve or reject the proposal."]
    assert Proposal.objects.get(pk=proposal.pk).status == Status.IN_EVALUATION


def test_approving_twice_from_a_second_tab_shows_a_clear_message_and_changes_nothing(
    client, proposal, coordinator, on_commit
):
    lead_member(proposal)
    login(client, coordinator)
    second_tab = decide(client, proposal, "review", motivation="Seconda scheda.")  # opened before the first
    assert second_tab.status_code == 200
    with on_commit():
        decide(client, proposal, "confirm")
    before = snapshot(proposal)
    sent = len(mail.outbox)
    with on_commit():
        response = client.post(url("proposal-decide", proposal.pk), {
            "decision": "rejected", "motivation": "Seconda scheda.", "step": "confirm",
        }, follow=True)
    assert "This proposal has already been decided (“Approved”); the decision cannot change." in messages_of(response)
    assert snapshot(proposal) == before
    assert len(mail.outbox) == sent


def test_a_withdrawn_proposal_cannot_be_decided(client, coordinator):
    proposal = ProposalFactory(status=Status.WITHDRAWN, submitted_at=timezone.now())
    login(client, coordinator)
    before = snapshot(proposal)
    page = client.get(url("proposal-decide", proposal.pk), follow=True)
    assert "This proposal has been withdrawn; nothing can change it any more." in messages_of(page)
    response = client.post(url("proposal-decide", proposal.pk), {
        "decision": "approved", "motivation": "Sì.", "step": "confirm",
    }, follow=True)
    assert "This proposal has been withdrawn; nothing can change it any more." in messages_of(response)
    assert snapshot(proposal) == before


def test_a_submitted_proposal_is_decided_only_after_its_evaluation(client, coordinator):
    proposal = ProposalFactory(status=Status.SUBMITTED)
    login(client, coordinator)
    response = client.post(url("proposal-decide", proposal.pk), {
        "decision": "approved", "motivation": "Sì.", "step": "confirm",
    }, follow=True)
    assert "A proposal cannot go from “Submitted” to “Approved”." in messages_of(response)
    assert Proposal.objects.get(pk=proposal.pk).status == Status.SUBMITTED


def test_the_lead_reads_the_motivation_on_the_proposal_page(client, proposal, coordinator):
    try:
        detail = url("proposal-detail", proposal.pk)
    except NoReverseMatch:
        pytest.skip("the proposal page does not exist yet")
    login(client, coordinator)
    decide(client, proposal, "confirm", decision="rejected", motivation="Manca la rete con i comuni.")
    login(client, lead_member(proposal))
    response = client.get(detail)
    assert response.status_code == 200
    assert "Manca la rete con i comuni." in response.content.decode()


# --- The actions on the proposal pages ------------------------------------------------------


def _actions(client, proposal):
    html = client.get(url("proposal-evaluate", proposal.pk)).content.decode()
    return {
        name for name, marker in [
            ("start", 'id="start-evaluation-form"'), ("changes", 'id="request-changes-link"'),
            ("decide", 'id="decide-link"'), ("none", 'id="no-actions"'),
        ] if marker in html
    }


def test_actions_follow_the_role_and_the_status(client, coordinator, member):
    submitted = ProposalFactory(status=Status.SUBMITTED)
    in_evaluation = ProposalFactory(status=Status.IN_EVALUATION)
    approved = ProposalFactory(status=Status.APPROVED)
    staff = UserFactory(staff=True, totp=True)
    expected = {
        (member, submitted): {"start"}, (member, in_evaluation): {"none"}, (member, approved): {"none"},
        (coordinator, submitted): {"start"}, (coordinator, in_evaluation): {"changes", "decide"},
        (coordinator, approved): {"none"},
        (staff, submitted): {"start"}, (staff, in_evaluation): {"changes", "decide"}, (staff, approved): {"none"},
    }
    for (user, proposal), actions in expected.items():
        login(client, user)
        assert _actions(client, proposal) == actions, (user, proposal.status)


def test_the_proposal_page_shows_the_steering_group_actions(client, proposal, coordinator, member):
    try:
        detail = url("proposal-detail", proposal.pk)
    except NoReverseMatch:
        pytest.skip("the proposal page does not exist yet")
    login(client, coordinator)
    html = client.get(detail).content.decode()
    assert f'href="{url("proposal-decide", proposal.pk)}"' in html
    assert f'href="{url("proposal-request-changes", proposal.pk)}"' in html
    assert f'href="{url("proposal-evaluate", proposal.pk)}"' in html
    login(client, member)
    html = client.get(detail).content.decode()
    assert f'href="{url("proposal-evaluate", proposal.pk)}"' in html and 'id="evaluate-link"' in html
    assert f'href="{url("proposal-decide", proposal.pk)}"' not in html
    login(client, lead_member(proposal))
    html = client.get(detail).content.decode()
    assert f'href="{url("proposal-evaluate", proposal.pk)}"' not in html


@pytest.mark.parametrize("evaluators", [1, 12])
def test_evaluation_page_runs_the_same_number_of_queries_however_many_evaluations(
    client, proposal, member, criteria, evaluators, django_assert_max_num_queries
):
    for _n in range(evaluators):
        _score(proposal, steering_member(), 3, criteria)
    Evaluation.objects.create(proposal=proposal, evaluator=steering_member(), conflict_declared=True)
    login(client, member)
    # 2 session and user; 3 the proposal (score and totals in subqueries), its municipalities
    # and partners; 2 rubric and criteria; 1 my evaluation; 2 the evaluations and their scores;
    # 1 history; 16 rights: the permissions asked by the view, the actions and the menu (seat,
    # memberships, conflicts), each asking again. None grows with the evaluations.
    with django_assert_max_num_queries(27):
        response = client.get(url("proposal-evaluate", proposal.pk))
    assert len(response.context["scored"]) == evaluators


def test_queue_filters_are_laid_out_once_and_show_what_was_asked(client, member):
    """The filter form comes from the cache while the values asked for and the choices stay
    the same (welfare_portal.fragments); a new theme is offered at once."""
    login(client, member)
    first = client.get(QUEUE)
    again = client.get(QUEUE)
    rendered = [[t.name for t in response.templates] for response in (first, again)]
    assert "projects/review/_queue_filters.html" in rendered[0]
    assert "projects/review/_queue_filters.html" not in rendered[1]
    ThemeFactory(title="Tematica nuova di zecca")
    assert "Tematica nuova di zecca" in client.get(QUEUE).content.decode()
    assert 'value="Orti"' in client.get(QUEUE, {"q": "Orti"}).content.decode()
    assert 'value="Orti"' not in client.get(QUEUE).content.decode()
