"""Twenty simultaneous signing requests for the same organisation yield one signature: the
pact's and the signatory's rows are locked, so every request but the first waits and then
finds the signature already there (and, being the same person, gets it back). PostgreSQL only
(SQLite has no row locks and serialises writers anyway)."""

import threading

import pytest
from django.db import close_old_connections, connection, connections
from django.utils import timezone, translation

from charter import services
from charter.models import Signature
from charter.services import CharterError
from charter.tests.factories import OpenPactFactory, legal_representative

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]

REQUESTS = 20


def test_twenty_simultaneous_signatures_give_exactly_one():
    pact = OpenPactFactory()
    organisation = pact.signatories.first().organisation
    representative = legal_representative(organisation)
    barrier = threading.Barrier(REQUESTS)
    outcomes, lock = [], threading.Lock()

    def sign(n):
        try:
            with translation.override("en"):  # the activated language is per thread
                barrier.wait(timeout=20)
                signature = services.sign_pact(
                    pact, by=representative, organisation=organisation, full_name=representative.full_name,
                    consent=True, ip=f"192.0.2.{n}", user_agent=f"request {n}",
                    reauthenticated_at=timezone.now(),
                )
            result = ("signed", signature.pk)
        except CharterError as error:
            result = ("refused", error.message)
        except Exception as error:  # noqa: BLE001 - any other failure must show in the assertion
            result = ("error", repr(error))
        finally:
            connections.close_all()  # each thread opened its own connection
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()

    assert len(outcomes) == REQUESTS
    assert {kind for kind, _detail in outcomes} == {"signed"}, outcomes
    signature = Signature.objects.get()
    assert {detail for _kind, detail in outcomes} == {signature.pk}
    assert (signature.pact_id, signature.organisation_id, signature.signer_id) == (
        pact.pk, organisation.pk, representative.pk,
    )
