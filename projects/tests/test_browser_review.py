"""The steering group's review in a real browser: the queue with its filters and sorting, a
member scoring a proposal, a member declaring a conflict of interest, the coordinator requesting
changes and approving through the confirmation step, and the coordinator editing the rubric.
Every page visited is checked with axe; elements are found by role, name attribute, id or URL,
and Italian text is asserted only where it is data (titles, names).
"""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Criterion, Evaluation, Proposal, ProposalPartner, Rubric, Score
from projects.tests.factories import (
    CompleteProposalFactory,
    MembershipFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    ThemeFactory,
    lead_member,
    steering_member,
)
from welfare_portal.tests.browser import assert_accessible, field_error, log_in_as, tick
from welfare_portal.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = Proposal.Status
QUEUE = "/regia/proposte/"
RUBRIC = "/regia/griglia/"


def queue_titles(page):
    return page.locator("#review-queue tbody th[scope=row]")


def score(proposal, evaluator, value):
    evaluation = Evaluation.objects.create(proposal=proposal, evaluator=evaluator, submitted_at=timezone.now())
    for criterion in Rubric.objects.active().get().criteria.all():
        Score.objects.create(evaluation=evaluation, criterion=criterion, value=value)
    Proposal.objects.filter(pk=proposal.pk).refresh_scores()  # as the services leave it


def test_member_filters_and_sorts_the_queue(live_server, browser_page):
    member = steering_member(user__full_name="Chiara Colombo")
    housing, work = ThemeFactory(title="Abitare"), ThemeFactory(title="Lavoro")
    parabiago = MunicipalityFactory(name="Parabiago")
    high = ProposalFactory(status=Status.IN_EVALUATION, title="Casa condivisa", theme=housing)
    low = ProposalFactory(status=Status.IN_EVALUATION, title="Orti sociali", theme=work)
    ProposalFactory(status=Status.SUBMITTED, title="Bottega solidale", theme=work).municipalities.set([parabiago])
    ProposalFactory(title="Bozza nascosta")
    score(high, steering_member(), 5)
    score(low, steering_member(), 2)
    score(low, member, 1)
    page = browser_page
    log_in_as(page, live_server, member)

    # The menu leads to the queue: best score first, unscored last, drafts never.
    page.goto(live_server.url + "/")
    page.locator('nav a[href="/regia/"]').first.click()
    page.locator(f'main a[href="{QUEUE}"]').first.click()
    expect(page).to_have_url(re.compile(f"{QUEUE}$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(queue_titles(page)).to_have_text(["Casa condivisa", "Orti sociali", "Bottega solidale"])
    expect(page.locator(f'tr[data-proposal="{low.pk}"] [data-mine="scored"]')).to_be_visible()
    expect(page.locator(f'tr[data-proposal="{low.pk}"] .evaluation-count')).to_have_text("2")
    assert_accessible(page)

    # Lowest score first: the unscored one stays last.
    page.locator('select[name="sort"]').select_option("score_asc")
    page.locator('#queue-filters button[type="submit"]').click()
    expect(queue_titles(page)).to_have_text(["Orti sociali", "Casa condivisa", "Bottega solidale"])

    # Filter by theme, then by municipality covered; the sort is kept.
    page.locator('select[name="theme"]').select_option(str(work.pk))
    page.locator('#queue-filters button[type="submit"]').click()
    expect(queue_titles(page)).to_have_text(["Orti sociali", "Bottega solidale"])
    expect(page.locator('select[name="sort"]')).to_have_value("score_asc")
    page.locator('select[name="municipality"]').select_option(str(parabiago.pk))
    page.locator('#queue-filters button[type="submit"]').click()
    expect(queue_titles(page)).to_have_text(["Bottega solidale"])
    assert_accessible(page)

    # A search that finds nothing says so; clearing the filters brings everything back.
    page.locator('input[name="q"]').fill("nessun risultato")
    page.locator('#queue-filters button[type="submit"]').click()
    expect(page.locator("#review-queue")).to_have_count(0)
    expect(page.locator('main .alert[role="status"]')).to_be_visible()
    page.locator(f'#queue-filters a[href="{QUEUE}"]').click()
    expect(queue_titles(page)).to_have_count(3)

    # A title opens the evaluation page.
    page.locator(f'#review-queue a[href="{QUEUE}{high.pk}/valuta/"]').click()
    expect(page).to_have_url(re.compile(f"{QUEUE}{high.pk}/valuta/$"))


def test_member_scores_a_proposal_and_scores_it_again(live_server, browser_page):
    member = steering_member(user__full_name="Chiara Colombo")
    proposal = CompleteProposalFactory(status=Status.IN_EVALUATION, title="Rete di vicinato")
    criteria = list(Rubric.objects.active().get().criteria.all())
    page = browser_page
    log_in_as(page, live_server, member)

    page.goto(f"{live_server.url}{QUEUE}{proposal.pk}/valuta/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rete di vicinato")
    expect(page.locator("#proposal-content")).to_contain_text(proposal.need)
    expect(page.locator("#evaluation-form fieldset")).to_have_count(len(criteria))
    expect(page.locator("#evaluation-form legend").first).to_contain_text(criteria[0].name)
    assert_accessible(page)

    # Saving with a criterion left out names it and saves nothing.
    for criterion in criteria[1:]:
        tick(page, f"id_score_{criterion.pk}_3")
    page.locator('#evaluation-form button[type="submit"]').click()
    expect(page.locator(f"#div_id_score_{criteria[0].pk} .invalid-feedback")).to_be_visible()
    expect(page.locator("#evaluation-form .invalid-feedback")).to_have_count(1)
    assert not Evaluation.objects.exists()
    assert_accessible(page)

    # Every criterion scored, with a comment: the weighted average and the evaluation appear.
    for criterion, value in zip(criteria, [5, 4, 3, 2, 1]):
        tick(page, f"id_score_{criterion.pk}_{value}")
    page.locator('textarea[name="comment"]').fill("Rete solida, costi da chiarire.")
    page.locator('#evaluation-form button[type="submit"]').click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#weighted-average strong")).to_have_text(re.compile(r"3[.,]15"))
    expect(page.locator("#evaluation-list tbody tr")).to_have_count(1)
    expect(page.locator("#evaluation-list")).to_contain_text("Chiara Colombo")
    expect(page.locator("#evaluation-list")).to_contain_text("Rete solida, costi da chiarire.")
    assert_accessible(page)

    # The form shows the earlier scores; scoring again replaces them.
    expect(page.locator(f"#id_score_{criteria[0].pk}_5")).to_be_checked()
    expect(page.locator('textarea[name="comment"]')).to_have_value("Rete solida, costi da chiarire.")
    tick(page, f"id_score_{criteria[0].pk}_1")
    page.locator('#evaluation-form button[type="submit"]').click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#evaluation-list tbody tr")).to_have_count(1)
    evaluation = Evaluation.objects.get()
    assert evaluation.scores.get(criterion=criteria[0]).value == 1
    assert evaluation.scores.count() == len(criteria)


def test_member_with_a_partner_organisation_declares_the_conflict(live_server, browser_page):
    proposal = CompleteProposalFactory(status=Status.IN_EVALUATION, title="Rete di vicinato")
    partner = ProposalPartnerFactory(
        proposal=proposal, organisation__name="Associazione Auser Legnano", status=ProposalPartner.Status.ACCEPTED,
    )
    member = steering_member(user__full_name="Luca Ferrari")
    MembershipFactory(organisation=partner.organisation, user=member)
    page = browser_page
    log_in_as(page, live_server, member)

    # The page says why the member cannot score, and offers only the declaration.
    page.goto(f"{live_server.url}{QUEUE}{proposal.pk}/valuta/")
    expect(page.locator("#conflict-warning")).to_contain_text("Associazione Auser Legnano")
    expect(page.locator("#evaluation-form")).to_have_count(0)
    assert_accessible(page)

    # Declaring goes through a confirmation page.
    page.locator("#declare-conflict-link").click()
    expect(page).to_have_url(re.compile(f"{QUEUE}{proposal.pk}/conflitto/$"))
    expect(page.locator("#conflicting-organisations")).to_contain_text("Associazione Auser Legnano")
    assert not Evaluation.objects.exists()
    assert_accessible(page)
    page.locator('textarea[name="note"]').fill("Sono socio dell'associazione.")
    page.locator('#conflict-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(f"{QUEUE}{proposal.pk}/valuta/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#conflict-declared")).to_contain_text("Sono socio dell'associazione.")
    # In conflict, they see none of the group's evaluations, not even the list of declarations.
    expect(page.locator("#evaluations-hidden")).to_be_visible()
    expect(page.locator("#conflict-list")).to_have_count(0)
    expect(page.locator("#declare-conflict-link")).to_have_count(0)
    assert_accessible(page)
    evaluation = Evaluation.objects.get()
    assert evaluation.conflict_declared and evaluation.conflict_note == "Sono socio dell'associazione."

    # The queue shows it in the member's column.
    page.goto(live_server.url + QUEUE)
    expect(page.locator(f'tr[data-proposal="{proposal.pk}"] [data-mine="conflict"]')).to_be_visible()


def test_coordinator_requests_changes_on_one_proposal_and_approves_another(live_server, browser_page):
    coordinator = steering_member(coordinator=True, user__full_name="Marco Rossi")
    to_change = CompleteProposalFactory(status=Status.SUBMITTED, title="Orti sociali")
    to_approve = CompleteProposalFactory(status=Status.IN_EVALUATION, title="Rete di vicinato")
    lead = lead_member(to_change, user__email="lead@orti.example.org")
    approved_lead = lead_member(to_approve, user__email="lead@vicinato.example.org")
    score(to_approve, steering_member(), 4)
    page = browser_page
    log_in_as(page, live_server, coordinator)

    # Start the evaluation of the submitted proposal from its evaluation page.
    page.goto(f"{live_server.url}{QUEUE}{to_change.pk}/valuta/")
    expect(page.locator("#not-started")).to_be_visible()
    assert_accessible(page)
    page.locator('#start-evaluation-form button[type="submit"]').click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#request-changes-link")).to_be_visible()
    expect(page.locator("#proposal-history tbody tr")).to_have_count(1)

    # Request changes: an empty motivation is refused, then the lead is notified.
    page.locator("#request-changes-link").click()
    expect(page).to_have_url(re.compile(f"{QUEUE}{to_change.pk}/modifiche/$"))
    assert_accessible(page)
    page.locator('#request-changes-form button[type="submit"]').click()
    expect(field_error(page, "motivation")).to_be_visible()
    assert Proposal.objects.get(pk=to_change.pk).status == Status.IN_EVALUATION
    assert_accessible(page)
    page.locator('textarea[name="motivation"]').fill("Indicate i comuni coinvolti e il piano dei costi.")
    page.locator('#request-changes-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(f"{QUEUE}{to_change.pk}/valuta/$"))
    expect(page.locator("#changes-requested")).to_contain_text("Indicate i comuni coinvolti")
    assert Proposal.objects.get(pk=to_change.pk).status == Status.CHANGES_REQUESTED
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert_accessible(page)

    # Approve the other one: the form, then the confirmation that says it is final.
    page.goto(f"{live_server.url}{QUEUE}{to_approve.pk}/valuta/")
    page.locator("#decide-link").click()
    expect(page).to_have_url(re.compile(f"{QUEUE}{to_approve.pk}/decisione/$"))
    assert_accessible(page)
    tick(page, "id_decision_0")
    page.locator('textarea[name="motivation"]').fill("Risponde a un bisogno scoperto del territorio.")
    page.locator('#decision-form button[type="submit"]').click()
    expect(page.locator("#decision-final")).to_be_visible()
    expect(page.locator('[data-decision="approved"]')).to_be_visible()
    assert Proposal.objects.get(pk=to_approve.pk).status == Status.IN_EVALUATION
    assert_accessible(page)
    page.locator('#decision-confirm-form button[value="confirm"]').click()
    expect(page).to_have_url(re.compile(f"{QUEUE}{to_approve.pk}/valuta/$"))
    expect(page.locator("#decision")).to_contain_text("Risponde a un bisogno scoperto del territorio.")
    expect(page.locator("#decide-link")).to_have_count(0)
    proposal = Proposal.objects.get(pk=to_approve.pk)
    assert (proposal.status, proposal.decided_by) == (Status.APPROVED, coordinator)
    assert mail.outbox[-1].to == [approved_lead.email]
    assert_accessible(page)

    # Approving again (a page left open in another tab) is refused with a message.
    page.goto(f"{live_server.url}{QUEUE}{to_approve.pk}/decisione/")
    expect(page).to_have_url(re.compile(f"{QUEUE}{to_approve.pk}/valuta/$"))
    expect(page.locator(".alert-danger")).to_be_visible()
    assert Proposal.objects.get(pk=to_approve.pk).decision_motivation == "Risponde a un bisogno scoperto del territorio."


def test_coordinator_edits_the_rubric(live_server, browser_page):
    coordinator = steering_member(coordinator=True)
    rubric = Rubric.objects.active().get()
    used, unused = list(rubric.criteria.all())[:2]
    score(ProposalFactory(status=Status.IN_EVALUATION), steering_member(), 3)  # every criterion used
    Score.objects.filter(criterion=unused).delete()
    page = browser_page
    log_in_as(page, live_server, coordinator)

    page.goto(live_server.url + QUEUE)
    page.locator("#rubric-link").click()
    expect(page).to_have_url(re.compile(f"{RUBRIC}$"))
    expect(page.locator(f'tr[data-criterion="{used.pk}"] .criterion-percent')).to_have_text(re.compile(r"^25[.,]0%$"))
    assert_accessible(page)

    # A used criterion keeps its weight: the service's message is shown, nothing changes.
    page.locator(f'tr[data-criterion="{used.pk}"] a.criterion-edit').click()
    expect(page.locator("#criterion-used")).to_be_visible()
    page.locator('input[name="weight"]').fill("40")
    page.locator('#criterion-form button[type="submit"]').click()
    expect(page.locator("#criterion-form .alert")).to_be_visible()
    assert Criterion.objects.get(pk=used.pk).weight == Decimal("25")
    assert_accessible(page)

    # An unused one changes weight; the percentages follow.
    page.goto(live_server.url + RUBRIC)
    page.locator(f'tr[data-criterion="{unused.pk}"] a.criterion-edit').click()
    page.locator('input[name="weight"]').fill("40")
    page.locator('#criterion-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(f"{RUBRIC}$"))
    expect(page.locator(f'tr[data-criterion="{unused.pk}"] .criterion-weight')).to_have_text("40")
    expect(page.locator(f'tr[data-criterion="{used.pk}"] .criterion-percent')).to_have_text(re.compile(r"^20[.,]8%$"))

    # Add a criterion; a zero weight is refused next to the field.
    page.locator(f"#rubric-{rubric.pk} a.criterion-add").click()
    assert_accessible(page)
    page.locator('input[name="name"]').fill("Coinvolgimento dei cittadini")
    page.locator('input[name="weight"]').fill("0")
    page.locator('#criterion-form button[type="submit"]').click()
    expect(field_error(page, "weight")).to_be_visible()
    page.locator('input[name="weight"]').fill("10")
    page.locator('#criterion-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(f"{RUBRIC}$"))
    added = Criterion.objects.get(name="Coinvolgimento dei cittadini")
    expect(page.locator(f'tr[data-criterion="{added.pk}"]')).to_be_visible()

    # Remove it through the confirmation page; a used criterion cannot be removed.
    page.locator(f'tr[data-criterion="{added.pk}"] a.criterion-delete').click()
    assert_accessible(page)
    page.locator('#criterion-delete-form button[type="submit"]').click()
    expect(page.locator(f'tr[data-criterion="{added.pk}"]')).to_have_count(0)
    page.locator(f'tr[data-criterion="{used.pk}"] a.criterion-delete').click()
    expect(page.locator("#criterion-used")).to_be_visible()
    expect(page.locator("#criterion-delete-form")).to_have_count(0)
    assert Criterion.objects.filter(pk=used.pk).exists()
    assert_accessible(page)
