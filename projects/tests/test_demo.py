"""The projects demo data: every proposal state, loaded twice without duplicates."""

from io import StringIO

import pytest
from django.core.management import call_command

from partners.models import Organisation, SteeringGroupMember
from projects.demo import load_projects_demo
from projects.models import (
    Attendance,
    Commitment,
    Evaluation,
    FocusGroup,
    FocusGroupMembership,
    Meeting,
    Milestone,
    Proposal,
    ProposalPartner,
    ProposalStatusChange,
    Score,
    Theme,
)
from welfare_portal.models import User

pytestmark = pytest.mark.django_db

MODELS = [
    Theme, FocusGroup, FocusGroupMembership, Meeting, Attendance, Milestone, Proposal, ProposalPartner,
    ProposalStatusChange, Commitment, Evaluation, Score, Organisation, User, SteeringGroupMember,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _check_demo():
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status)
    assert [theme.is_call_open() for theme in Theme.objects.order_by("call_opens_at")] == [False, True, False]
    assert Meeting.objects.filter(minutes_published_at__isnull=False).exists()
    assert Attendance.objects.exists()
    assert {m.status for m in Milestone.objects.all()} == set(Milestone.Status)
    assert ProposalPartner.objects.filter(status=ProposalPartner.Status.ACCEPTED).exists()
    assert Evaluation.objects.filter(conflict_declared=True).exists()
    assert Proposal.objects.review_queue().filter(evaluation_count__gt=0).exists()
    for proposal in Proposal.objects.exclude(status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN]):
        assert proposal.missing_for_submission() == []
    for proposal in Proposal.objects.filter(submitted_at__isnull=False).select_related("theme"):
        assert proposal.theme.call_opens_at <= proposal.submitted_at < proposal.theme.call_closes_at
    partner = User.objects.get(email="partner@demo.welfare-legnano.it")
    assert Proposal.objects.for_user(partner).filter(status=Proposal.Status.DRAFT).exists()


def test_projects_demo_alone_creates_what_it_needs_and_runs_twice_without_duplicates():
    out = StringIO()
    load_projects_demo(stdout=out)
    assert "7 proposals" in out.getvalue()
    first = _counts()
    _check_demo()
    load_projects_demo()
    assert _counts() == first


def test_projects_demo_uses_the_partners_demo_data(settings):
    call_command("seed_demo", "--force", stdout=StringIO())
    before = {"organisations": Organisation.objects.count(), "users": User.objects.count(),
              "seats": SteeringGroupMember.objects.count()}
    load_projects_demo()
    assert before == {"organisations": Organisation.objects.count(), "users": User.objects.count(),
                      "seats": SteeringGroupMember.objects.count()}
    _check_demo()
    first = _counts()
    load_projects_demo()
    assert _counts() == first
