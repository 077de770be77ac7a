"""Two coordinators approve the same proposal at the same moment: the row lock lets exactly
one through; the other waits, then finds the proposal decided and is refused. PostgreSQL only
(SQLite has no row locks and serialises writers anyway)."""

import threading

import pytest
from django.db import close_old_connections, connection, connections
from django.utils import translation

from projects import services
from projects.models import Proposal, ProposalStatusChange
from projects.services import ProjectsError
from projects.tests.factories import ProposalFactory, steering_member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_simultaneous_approvals_give_exactly_one_approval():
    proposal = ProposalFactory(status=Proposal.Status.IN_EVALUATION)
    coordinators = [steering_member(coordinator=True), steering_member(coordinator=True)]
    barrier = threading.Barrier(len(coordinators))
    outcomes = []
    lock = threading.Lock()

    def approve(coordinator):
        try:
            with translation.override("en"):  # the activated language is per thread
                barrier.wait(timeout=10)
                services.decide_proposal(
                    proposal, by=coordinator, decision=Proposal.Status.APPROVED,
                    motivation=f"Approvato da {coordinator}.",
                )
        except ProjectsError as error:
            result = ("refused", error.message)
        else:
            result = ("approved", coordinator.pk)
        finally:
            connections.close_all()  # each thread opened its own connection
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=approve, args=(c,)) for c in coordinators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    assert sorted(kind for kind, _detail in outcomes) == ["approved", "refused"]
    refusal = next(detail for kind, detail in outcomes if kind == "refused")
    assert refusal == "This proposal has already been decided (“Approved”); the decision cannot change."
    approver = next(detail for kind, detail in outcomes if kind == "approved")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by_id) == (Proposal.Status.APPROVED, approver)
    assert ProposalStatusChange.objects.filter(proposal=proposal, to_status=Proposal.Status.APPROVED).count() == 1
