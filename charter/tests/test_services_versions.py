"""Drafting, approving and publishing versions of the Carta: allowed and refused both ways,
every transition, the history rows and the database guards."""

import pytest
from django.db import IntegrityError, transaction

from charter import services
from charter.models import CharterItem, CharterVersion, CharterVersionStatusChange, Document, DocumentKind
from charter.services import CharterError
from charter.tests.factories import (
    CharterFactory,
    CharterVersionFactory,
    PublishedVersionFactory,
    approved_proposal,
    steering_member,
)
from charter.texts import DEFAULT_INTRODUCTION, DEFAULT_PRINCIPLES
from projects.models import Proposal
from projects.tests.factories import MembershipFactory, ProposalFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = CharterVersion.Status


def _row(version):
    version = CharterVersion.objects.get(pk=version.pk)
    return (
        version.status, version.introduction, version.principles, version.snapshot,
        list(version.items.values_list("proposal_id", "position")),
        CharterVersionStatusChange.objects.filter(version=version).count(),
    )


def _set_status(version, status):
    CharterVersion.objects.filter(pk=version.pk).update(status=status)
    version.refresh_from_db()


# Opening a draft


def test_open_draft_from_scratch_uses_the_seed_texts():
    member = steering_member()
    version = services.open_draft(by=member)
    assert (version.number, version.status, version.created_by) == (1, Status.DRAFT, member)
    assert (version.introduction, version.principles) == (DEFAULT_INTRODUCTION, DEFAULT_PRINCIPLES)
    assert version.charter.ambito_name == "Ambito territoriale di Legnano"
    change = version.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", Status.DRAFT, member)


def test_open_draft_copies_the_latest_versions_texts_and_projects():
    first, second = approved_proposal(), approved_proposal()
    published = PublishedVersionFactory(proposals=[second, first], introduction="Testo rivisto.")
    version = services.open_draft(by=steering_member(), charter=published.charter)
    assert version.number == published.number + 1
    assert version.introduction == "Testo rivisto."
    assert list(version.items.values_list("proposal_id", flat=True)) == [second.pk, first.pk]


def test_open_draft_without_copy_starts_empty():
    published = PublishedVersionFactory(proposals=[approved_proposal()], introduction="Vecchio.")
    version = services.open_draft(by=steering_member(), charter=published.charter, copy_latest=False)
    assert (version.introduction, version.items.count()) == (DEFAULT_INTRODUCTION, 0)


def test_open_draft_refused_while_another_draft_is_open():
    draft = CharterVersionFactory()
    with pytest.raises(CharterError, match=f"Version {draft.number} is already a draft"):
        services.open_draft(by=steering_member(), charter=draft.charter)
    assert CharterVersion.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "partner_member", "ended_steering"])
def test_open_draft_refused_outside_the_steering_group(who):
    user = {
        "outsider": UserFactory,
        "partner_member": lambda: MembershipFactory().user,
        "ended_steering": lambda: steering_member(ended=True),
    }[who]()
    with pytest.raises(CharterError, match="You are not allowed to do this."):
        services.open_draft(by=user)
    assert not CharterVersion.objects.exists()


def test_staff_can_open_a_draft():
    assert services.open_draft(by=UserFactory(staff=True)).is_draft


# Editing the draft


def test_update_draft_changes_the_texts():
    version = CharterVersionFactory()
    services.update_draft(version, by=steering_member(), introduction="  Nuova introduzione ", principles="P")
    version.refresh_from_db()
    assert (version.introduction, version.principles) == ("Nuova introduzione", "P")


@pytest.mark.parametrize("status", [Status.APPROVED, Status.PUBLISHED, Status.SUPERSEDED])
def test_update_refused_once_the_version_is_frozen(status):
    version = PublishedVersionFactory(proposals=[approved_proposal()])
    _set_status(version, status)
    before = _row(version)
    with pytest.raises(CharterError, match="only a draft can be changed"):
        services.update_draft(version, by=steering_member(), introduction="Altro")
    with pytest.raises(CharterError, match="only a draft can be changed"):
        services.add_proposal(version, by=steering_member(), proposal=approved_proposal())
    assert _row(version) == before


def test_update_draft_refused_to_a_partner_member():
    version = CharterVersionFactory()
    before = _row(version)
    with pytest.raises(CharterError, match="You are not allowed"):
        services.update_draft(version, by=MembershipFactory().user, introduction="Altro")
    assert _row(version) == before


def test_add_proposal_lists_it_after_the_projects_of_its_theme():
    theme, other_theme = ThemeFactory(), ThemeFactory()
    a, b, c = approved_proposal(theme=theme), approved_proposal(theme=other_theme), approved_proposal(theme=theme)
    version = CharterVersionFactory(proposals=[a, b])
    item = services.add_proposal(version, by=steering_member(), proposal=c)
    assert item.added_by is not None
    assert list(version.items.order_by("position").values_list("proposal_id", "position")) == [
        (a.pk, 1), (c.pk, 2), (b.pk, 3),
    ]


@pytest.mark.parametrize("status", [s for s in Proposal.Status if s != Proposal.Status.APPROVED])
def test_add_proposal_refuses_proposals_that_are_not_approved(status):
    version = CharterVersionFactory()
    proposal = ProposalFactory(status=status)
    with pytest.raises(CharterError, match="Only approved proposals can be listed in the Carta"):
        services.add_proposal(version, by=steering_member(), proposal=proposal)
    assert not version.items.exists()


def test_add_proposal_refuses_a_duplicate():
    proposal = approved_proposal()
    version = CharterVersionFactory(proposals=[proposal])
    with pytest.raises(CharterError, match="is already in this version"):
        services.add_proposal(version, by=steering_member(), proposal=proposal)
    assert version.items.count() == 1


def test_remove_proposal_and_renumber():
    a, b, c = approved_proposal(), approved_proposal(), approved_proposal()
    version = CharterVersionFactory(proposals=[a, b, c])
    services.remove_proposal(version, by=steering_member(), proposal=b)
    assert list(version.items.values_list("proposal_id", "position")) == [(a.pk, 1), (c.pk, 2)]
    with pytest.raises(CharterError, match="is not in this version"):
        services.remove_proposal(version, by=steering_member(), proposal=b)


def test_reorder_proposals():
    a, b, c = approved_proposal(), approved_proposal(), approved_proposal()
    version = CharterVersionFactory(proposals=[a, b, c])
    services.reorder_proposals(version, by=steering_member(), proposal_ids=[c.pk, a.pk, b.pk])
    assert list(version.items.values_list("proposal_id", flat=True)) == [c.pk, a.pk, b.pk]


@pytest.mark.parametrize("order", [[1], [1, 1, 2], [1, 2, 99]])
def test_reorder_refuses_anything_but_a_permutation(order):
    proposals = [approved_proposal(), approved_proposal()]
    version = CharterVersionFactory(proposals=proposals)
    ids = {1: proposals[0].pk, 2: proposals[1].pk, 99: 999999}
    before = _row(version)
    with pytest.raises(CharterError, match="exactly once"):
        services.reorder_proposals(version, by=steering_member(), proposal_ids=[ids[n] for n in order])
    assert _row(version) == before


def test_discard_draft():
    version = CharterVersionFactory(proposals=[approved_proposal()])
    services.discard_draft(version, by=steering_member())
    assert not CharterVersion.objects.exists() and not CharterItem.objects.exists()


# Approval


def test_approve_freezes_the_content_and_renders_the_pdf():
    coordinator = steering_member(coordinator=True)
    proposal = approved_proposal("Custodi di vicinato")
    version = CharterVersionFactory(proposals=[proposal])
    version = services.approve_version(version, by=coordinator, note="Approvata all'unanimità.")
    version.refresh_from_db()
    assert (version.status, version.approved_by) == (Status.APPROVED, coordinator)
    assert [p["title"] for t in version.snapshot["themes"] for p in t["projects"]] == ["Custodi di vicinato"]
    document = Document.objects.get(version=version)
    assert document.kind == DocumentKind.CHARTER and document.page_count > 3
    change = version.status_changes.get()
    assert (change.from_status, change.to_status, change.note) == (
        Status.DRAFT, Status.APPROVED, "Approvata all'unanimità.",
    )


@pytest.mark.parametrize("who", ["steering", "partner_member"])
def test_approve_refused_to_anyone_but_the_coordinator_or_staff(who):
    version = CharterVersionFactory(proposals=[approved_proposal()])
    user = steering_member() if who == "steering" else MembershipFactory().user
    before = _row(version)
    with pytest.raises(CharterError, match="You are not allowed"):
        services.approve_version(version, by=user)
    assert _row(version) == before and not Document.objects.exists()


def test_approve_refused_without_projects():
    version = CharterVersionFactory()
    with pytest.raises(CharterError, match="Add at least one approved project"):
        services.approve_version(version, by=steering_member(coordinator=True))
    assert _row(version)[0] == Status.DRAFT


def test_approve_refused_without_an_introduction():
    version = CharterVersionFactory(proposals=[approved_proposal()], introduction="  ")
    with pytest.raises(CharterError, match="Write the introduction"):
        services.approve_version(version, by=steering_member(coordinator=True))


MOVES = {
    "approve": (services.approve_version, Status.APPROVED),
    "publish": (services.publish_version, Status.PUBLISHED),
}


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("status", list(Status))
def test_every_transition_allowed_or_refused(move, status):
    """The move succeeds exactly when TRANSITIONS allows it."""
    function, target = MOVES[move]
    version = PublishedVersionFactory(proposals=[approved_proposal()])
    _set_status(version, status)
    allowed = target in CharterVersion.TRANSITIONS[status]
    coordinator = steering_member(coordinator=True)
    if allowed:
        if move == "approve":
            CharterVersion.objects.filter(pk=version.pk).update(snapshot=None, approved_at=None)
        function(version, by=coordinator)
        assert CharterVersion.objects.get(pk=version.pk).status == target
    else:
        before = _row(version)
        with pytest.raises(CharterError, match="cannot become"):
            function(version, by=coordinator)
        assert _row(version) == before


# Publication


def _approved(charter, number):
    return PublishedVersionFactory(
        charter=charter, number=number, proposals=[approved_proposal()], freeze=Status.APPROVED,
    )


def test_publish_supersedes_the_published_version_in_the_same_transaction():
    charter = CharterFactory()
    first = PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal()])
    never_published = _approved(charter, 2)
    third = _approved(charter, 3)
    coordinator = steering_member(coordinator=True)
    services.publish_version(third, by=coordinator)
    statuses = dict(charter.versions.values_list("number", "status"))
    assert statuses == {1: Status.SUPERSEDED, 2: Status.SUPERSEDED, 3: Status.PUBLISHED}
    for version, from_status in [(first, Status.PUBLISHED), (never_published, Status.APPROVED)]:
        change = version.status_changes.get()
        assert (change.from_status, change.to_status, change.note) == (
            from_status, Status.SUPERSEDED, "Superseded by version 3.",
        )
    assert CharterVersion.objects.get(pk=first.pk).superseded_at is not None


def test_publish_refused_for_a_version_older_than_the_published_one():
    charter = CharterFactory()
    older = _approved(charter, 1)
    PublishedVersionFactory(charter=charter, number=2, proposals=[approved_proposal()])
    with pytest.raises(CharterError, match=r"A later version \(2\) is already published"):
        services.publish_version(older, by=steering_member(coordinator=True))
    assert CharterVersion.objects.get(pk=older.pk).status == Status.APPROVED


def test_publish_refused_to_a_steering_member():
    version = _approved(CharterFactory(), 1)
    with pytest.raises(CharterError, match="You are not allowed"):
        services.publish_version(version, by=steering_member())
    assert CharterVersion.objects.get(pk=version.pk).status == Status.APPROVED


def test_database_allows_one_published_version_per_charter():
    charter = CharterFactory()
    PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal()])
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedVersionFactory(charter=charter, number=2, proposals=[approved_proposal()])


def test_database_allows_one_draft_per_charter():
    charter = CharterFactory()
    CharterVersionFactory(charter=charter, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterVersionFactory(charter=charter, number=2)


def test_database_refuses_a_frozen_version_without_snapshot():
    version = CharterVersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterVersion.objects.filter(pk=version.pk).update(status=Status.APPROVED)
