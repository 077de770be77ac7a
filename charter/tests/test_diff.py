"""The differences between two versions, structured for the side-by-side page."""

import pytest

from charter.diff import diff_versions, side_by_side
from charter.tests.factories import CharterFactory, CharterVersionFactory, PublishedVersionFactory, approved_proposal
from projects.models import Commitment

pytestmark = pytest.mark.django_db


def test_side_by_side_aligns_lines():
    rows = side_by_side("uno\ndue\ntre\nquattro", "uno\nDUE\ntre\ncinque\nsei")
    assert rows == [
        ("equal", "uno", "uno"), ("replace", "due", "DUE"), ("equal", "tre", "tre"),
        ("replace", "quattro", "cinque"), ("insert", None, "sei"),
    ]
    assert side_by_side("a\nb", "a") == [("equal", "a", "a"), ("delete", "b", None)]
    assert side_by_side("", "") == []


def test_diff_between_a_published_version_and_the_next_draft():
    charter = CharterFactory()
    kept, removed, changed = approved_proposal("Resta"), approved_proposal("Esce"), approved_proposal("Cambia")
    old = PublishedVersionFactory(charter=charter, number=1, proposals=[kept, removed, changed],
                                  introduction="Prima riga\nSeconda riga")
    changed.summary = "Una sintesi nuova"
    changed.save()
    Commitment.objects.filter(proposal=changed).update(estimated_value_eur="7.00")
    added = approved_proposal("Entra")
    new = CharterVersionFactory(charter=charter, number=2, proposals=[changed, kept, added],
                                introduction="Prima riga\nSeconda riga rivista")

    diff = diff_versions(old, new)

    assert (diff.old_number, diff.new_number, diff.has_changes, diff.moved) == (1, 2, True, True)
    introduction = next(text for text in diff.texts if text.name == "introduction")
    assert introduction.rows == [("equal", "Prima riga", "Prima riga"),
                                 ("replace", "Seconda riga", "Seconda riga rivista")]
    assert not next(text for text in diff.texts if text.name == "principles").changed
    assert [p["title"] for p in diff.added] == ["Entra"]
    assert [p["title"] for p in diff.removed] == ["Esce"]
    assert [p.title for p in diff.changed] == ["Cambia"]
    project = diff.changed[0]
    assert [(t.name, t.rows) for t in project.texts] == [
        ("summary", [("replace", "Una rete di vicinato per gli anziani soli.", "Una sintesi nuova")]),
    ]
    assert {label for label, _old, _new in project.values} == {"Total value (euro)", "Commitments"}


def test_identical_versions_have_no_changes():
    charter = CharterFactory()
    proposal = approved_proposal()
    old = PublishedVersionFactory(charter=charter, number=1, proposals=[proposal])
    new = CharterVersionFactory(charter=charter, number=2, proposals=[proposal])
    diff = diff_versions(old, new)
    assert not diff.has_changes and not diff.changed
