"""The querysets the list pages will use: who sees what, and a constant number of queries
however many rows there are."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from partners.models import Membership
from projects import emails
from projects.models import (
    Commitment,
    CommitmentKind,
    Evaluation,
    Proposal,
    ProposalPartner,
    Rubric,
    Score,
)
from projects.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    ThemeFactory,
    UserFactory,
    lead_member,
    steering_member,
)
from welfare_portal.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

Status = Proposal.Status


def _make_proposals(count):
    """`count` submitted proposals, each with a municipality, a co-partner, a commitment and a
    scored evaluation; bulk-created so 500 rows stay quick."""
    lead = OrganisationFactory(verified=True)
    partner_org = OrganisationFactory(verified=True)
    theme = ThemeFactory()
    municipality = MunicipalityFactory(name="Parabiago")
    evaluator = steering_member()
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(lead_organisation=lead, theme=theme, title=f"Proposta {n}", status=Status.IN_EVALUATION,
                 submitted_at=now - datetime.timedelta(minutes=n))
        for n in range(count)
    )
    Proposal.municipalities.through.objects.bulk_create(
        Proposal.municipalities.through(proposal_id=p.pk, municipality_id=municipality.pk) for p in proposals
    )
    ProposalPartner.objects.bulk_create(
        ProposalPartner(proposal=p, organisation=partner_org, status=ProposalPartner.Status.ACCEPTED) for p in proposals
    )
    Commitment.objects.bulk_create(
        Commitment(proposal=p, organisation=lead, kind=CommitmentKind.MONEY, quantity=10, unit="euro",
                   estimated_value_eur=Decimal(n)) for n, p in enumerate(proposals)
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(proposal=p, evaluator=evaluator, submitted_at=now) for p in proposals
    )
    criterion = Rubric.objects.active().get().criteria.first()
    Score.objects.bulk_create(
        Score(evaluation=e, criterion=criterion, value=n % 6) for n, e in enumerate(evaluations)
    )
    Proposal.objects.refresh_scores()
    return lead, proposals


def _render_queue_rows(queryset):
    return [
        (
            p.title, p.lead_organisation.name, p.theme.title, p.focus_group, p.get_status_display(),
            [m.name for m in p.municipalities.all()], [a.name for a in p.policy_areas.all()],
            [t.name for t in p.target_groups.all()], [pp.organisation.name for pp in p.partners.all()],
            p.weighted_score, p.evaluation_count, p.commitment_total_eur,
        )
        for p in queryset
    ]


@pytest.mark.parametrize("rows", [10, 500])
def test_review_queue_runs_a_constant_number_of_queries(rows, django_assert_num_queries):
    _make_proposals(rows)
    # 1 proposals with lead, theme, focus group, score and totals; 1 each for municipalities,
    # policy areas, target groups, partners and the partners' organisations.
    with django_assert_num_queries(6):
        listed = _render_queue_rows(Proposal.objects.review_queue())
    assert len(listed) == rows


@pytest.mark.parametrize("rows", [10, 500])
def test_my_organisation_proposals_run_a_constant_number_of_queries(rows, django_assert_num_queries):
    lead, _proposals = _make_proposals(rows)
    user = MembershipFactory(organisation=lead).user
    queryset = (
        Proposal.objects.for_user(user)
        .select_related("lead_organisation", "theme")
        .with_commitment_totals()
        .with_access_data()
    )
    # 1 proposals (visibility in subqueries); 1 lead memberships; 1 partners; 1 their
    # organisations; 1 their memberships. Permission checks per row then ask nothing.
    with django_assert_num_queries(5):
        rows_seen = [(p.title, p.commitment_total_eur, user.has_perm("projects.change_proposal", p)) for p in queryset]
    assert len(rows_seen) == rows


def test_review_queue_sorts_by_weighted_score_unscored_last():
    low = ProposalFactory(status=Status.IN_EVALUATION)
    high = ProposalFactory(status=Status.IN_EVALUATION)
    unscored = ProposalFactory(status=Status.SUBMITTED)
    ProposalFactory()  # a draft never reaches the queue
    criterion = Rubric.objects.active().get().criteria.first()
    for proposal, value in [(low, 1), (high, 5)]:
        Score.objects.create(
            evaluation=Evaluation.objects.create(
                proposal=proposal, evaluator=UserFactory(), submitted_at=timezone.now(),
            ),
            criterion=criterion, value=value,
        )
    Proposal.objects.refresh_scores()
    assert list(Proposal.objects.review_queue()) == [high, low, unscored]
    assert set(Proposal.objects.review_queue().awaiting_review()) == {low, high, unscored}


def test_for_user_sees_own_and_partner_proposals_and_steering_sees_submitted_ones():
    own = ProposalFactory()
    user = lead_member(own)
    invited = ProposalPartnerFactory(status=ProposalPartner.Status.INVITED)
    declined = ProposalPartnerFactory(status=ProposalPartner.Status.DECLINED)
    for partner in (invited, declined):
        MembershipFactory(user=user, organisation=partner.organisation)
    submitted = ProposalFactory(status=Status.SUBMITTED)
    assert set(Proposal.objects.for_user(user)) == {own, invited.proposal}
    steering = steering_member()
    assert set(Proposal.objects.for_user(steering)) == {submitted}
    assert set(Proposal.objects.for_user(UserFactory(is_staff=True))) == {submitted}
    assert not Proposal.objects.for_user(UserFactory()).exists()


def test_for_user_ignores_pending_memberships():
    proposal = ProposalFactory()
    user = MembershipFactory(organisation=proposal.lead_organisation, status=Membership.Status.PENDING).user
    assert not Proposal.objects.for_user(user).exists()


# Email links


def test_emails_omit_links_to_pages_that_do_not_exist_yet(on_commit, settings):
    settings.ROOT_URLCONF = "partners.urls"  # a site without the projects pages
    proposal = ProposalFactory(status=Status.SUBMITTED)
    lead_member(proposal)
    emails.send_proposal_submitted(proposal)
    assert mail.outbox and "http" not in mail.outbox[0].body


def test_emails_link_to_the_planned_pages_once_they_exist(settings):
    settings.ROOT_URLCONF = "projects.tests.urls_planned"
    settings.PORTAL_BASE_URL = "https://welfare.example.org"
    proposal = ProposalFactory(status=Status.SUBMITTED)
    lead_member(proposal)
    steering = steering_member()
    emails.send_proposal_submitted(proposal)
    lead_mail, steering_mail = mail.outbox
    assert f"https://welfare.example.org/proposte/{proposal.pk}/" in lead_mail.body
    assert steering_mail.to == [steering.email]
    assert "https://welfare.example.org/regia/proposte/" in steering_mail.body
