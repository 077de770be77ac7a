"""Role × state matrix for the charter permissions, through `user.has_perm` as views call it.

Staff are the staff who exist: `UserFactory(staff=True)`, `is_staff` and not superusers. Their
powers come from these rules, states included, like everybody else's; they never sign.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from charter.models import CharterVersion, Decline, Document, DocumentKind, Pact, Signatory
from charter.tests.factories import (
    CharterVersionFactory,
    OpenPactFactory,
    PactFactory,
    PublishedVersionFactory,
    SignatoryFactory,
    approved_proposal,
    legal_representative,
    steering_member,
)
from partners.models import Membership
from projects.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

VStatus = CharterVersion.Status
ROLES = ["anonymous", "partner", "steering", "coordinator", "staff"]


def actor(role):
    return {
        "anonymous": AnonymousUser,
        "partner": lambda: MembershipFactory().user,
        "steering": steering_member,
        "coordinator": lambda: steering_member(coordinator=True),
        "staff": staff_member,
    }[role]()


def staff_member():
    staff = UserFactory(staff=True)
    assert staff.is_staff and not staff.is_superuser
    return staff


def _version(status):
    if status == VStatus.DRAFT:
        return CharterVersionFactory(proposals=[approved_proposal()])
    return PublishedVersionFactory(proposals=[approved_proposal()], freeze=status)


# (permission, {status: roles allowed})
VERSION_MATRIX = {
    "charter.view_charterversion": {
        VStatus.DRAFT: {"steering", "coordinator", "staff"},
        VStatus.APPROVED: {"steering", "coordinator", "staff"},
        VStatus.PUBLISHED: set(ROLES),
        VStatus.SUPERSEDED: set(ROLES),
    },
    "charter.change_charterversion": {VStatus.DRAFT: {"steering", "coordinator", "staff"}},
    "charter.delete_charterversion": {VStatus.DRAFT: {"steering", "coordinator", "staff"}},
    "charter.approve_charterversion": {VStatus.DRAFT: {"coordinator", "staff"}},
    "charter.publish_charterversion": {VStatus.APPROVED: {"coordinator", "staff"}},
    "charter.add_pact": {VStatus.PUBLISHED: {"steering", "coordinator", "staff"}},
}


@pytest.mark.parametrize("perm", VERSION_MATRIX)
@pytest.mark.parametrize("status", list(VStatus))
def test_version_permissions(perm, status):
    version = _version(status)
    allowed = {role for role in ROLES if actor(role).has_perm(perm, version)}
    assert allowed == VERSION_MATRIX[perm].get(status, set())


def test_no_second_pact_for_a_version():
    pact = PactFactory()
    assert not steering_member().has_perm("charter.add_pact", pact.version)


def test_opening_a_draft_is_for_the_steering_group_and_staff():
    assert {role for role in ROLES if actor(role).has_perm("charter.add_charterversion")} == {
        "steering", "coordinator", "staff",
    }


def _pact(status):
    pact = OpenPactFactory() if status != Pact.Status.DRAFT else PactFactory()
    Pact.objects.filter(pk=pact.pk).update(status=status)
    pact.refresh_from_db()
    return pact


PACT_MATRIX = {
    "charter.view_pact": {
        Pact.Status.DRAFT: {"steering", "coordinator", "staff"},
        Pact.Status.OPEN: set(ROLES),
        Pact.Status.CLOSED: set(ROLES),
    },
    "charter.change_pact": {Pact.Status.DRAFT: {"steering", "coordinator", "staff"}},
    "charter.add_signatory": {Pact.Status.DRAFT: {"steering", "coordinator", "staff"}},
    "charter.open_pact": {Pact.Status.DRAFT: {"coordinator", "staff"}},
    "charter.remind_pact": {Pact.Status.OPEN: {"steering", "coordinator", "staff"}},
    "charter.close_pact": {},  # nobody has answered and the deadline is ahead: not closable yet
}


@pytest.mark.parametrize("perm", PACT_MATRIX)
@pytest.mark.parametrize("status", list(Pact.Status))
def test_pact_permissions(perm, status):
    pact = _pact(status)
    allowed = {role for role in ROLES if actor(role).has_perm(perm, pact)}
    assert allowed == PACT_MATRIX[perm].get(status, set())


def test_close_pact_once_closable():
    pact = OpenPactFactory()
    coordinator, member = steering_member(coordinator=True), steering_member()
    assert not coordinator.has_perm("charter.close_pact", pact)
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    pact.refresh_from_db()
    assert coordinator.has_perm("charter.close_pact", pact) and not member.has_perm("charter.close_pact", pact)


def test_delete_signatory_only_for_added_ones_of_a_draft():
    pact = PactFactory()
    added, derived = SignatoryFactory(pact=pact), pact.signatories.filter(source=Signatory.Source.CHARTER).first()
    member = steering_member()
    assert member.has_perm("charter.delete_signatory", added)
    assert not member.has_perm("charter.delete_signatory", derived)
    assert member.has_perm("charter.change_signatory", derived)
    assert not MembershipFactory().user.has_perm("charter.delete_signatory", added)


@pytest.mark.parametrize("perm", ["charter.sign_signatory", "charter.decline_signatory"])
def test_sign_and_decline_only_for_the_confirmed_legal_representative_of_an_open_pact(perm):
    pact = OpenPactFactory()
    signatory = pact.signatories.first()
    organisation = signatory.organisation
    representative = legal_representative(organisation)
    others = [
        MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT).user,
        MembershipFactory(organisation=organisation, role=Membership.Role.LEGAL_REPRESENTATIVE).user,
        steering_member(coordinator=True), staff_member(), AnonymousUser(),
        legal_representative(pact.signatories.exclude(pk=signatory.pk).first().organisation),
    ]
    assert representative.has_perm(perm, signatory)
    assert not any(user.has_perm(perm, signatory) for user in others)
    Decline.objects.create(pact=pact, organisation=organisation, declined_by=representative, reason="No")
    assert not representative.has_perm(perm, signatory)  # answered


@pytest.mark.parametrize("change", ["draft", "closed", "expired"])
def test_no_signing_outside_the_open_window(change):
    pact = OpenPactFactory()
    signatory = pact.signatories.first()
    representative = legal_representative(signatory.organisation)
    update = {
        "draft": {"status": Pact.Status.DRAFT}, "closed": {"status": Pact.Status.CLOSED},
        "expired": {"deadline": timezone.localdate() - datetime.timedelta(days=1)},
    }[change]
    Pact.objects.filter(pk=pact.pk).update(**update)
    signatory = Signatory.objects.select_related("pact").get(pk=signatory.pk)
    assert not representative.has_perm("charter.sign_signatory", signatory)


def test_documents_follow_what_they_belong_to():
    pact = OpenPactFactory()
    document = pact.documents.get()
    anonymous, member = AnonymousUser(), steering_member()
    assert anonymous.has_perm("charter.view_document", document)
    Pact.objects.filter(pk=pact.pk).update(status=Pact.Status.DRAFT)
    document = Document.objects.get(pk=document.pk)
    assert not anonymous.has_perm("charter.view_document", document)
    assert member.has_perm("charter.view_document", document)
    approved = _version(VStatus.APPROVED)
    carta = Document.objects.create(kind=DocumentKind.CHARTER, version=approved, file="x.pdf", sha256="0" * 64,
                                    size=1, page_count=1)
    assert not anonymous.has_perm("charter.view_document", carta)
    CharterVersion.objects.filter(pk=approved.pk).update(status=VStatus.PUBLISHED)
    assert anonymous.has_perm("charter.view_document", Document.objects.get(pk=carta.pk))


def test_signature_audit_details_are_for_staff_only():
    assert staff_member().has_perm("charter.view_signature_audit")
    assert not steering_member(coordinator=True).has_perm("charter.view_signature_audit")


@pytest.mark.parametrize("status", list(Pact.Status))
def test_signatories_change_only_while_the_pact_is_prepared(status):
    """The progress page's row buttons ask these, row by row."""
    pact = _pact(status)
    added = SignatoryFactory(pact=pact)
    for role in ROLES:
        user = actor(role)
        prepares = role in {"steering", "coordinator", "staff"} and status == Pact.Status.DRAFT
        assert user.has_perm("charter.change_signatory", added) is prepares, role
        assert user.has_perm("charter.delete_signatory", added) is prepares, role


ADMIN_PERMS = [
    "charter", "charter.view_charter", "charter.view_charterversion", "charter.view_pact",
    "charter.view_document", "charter.view_signature", "charter.view_decline",
]
# Texts are written on the portal, records by the services: the admin only shows them.
NOT_IN_THE_ADMIN = [
    "charter.add_charter", "charter.change_charter", "charter.delete_charter", "charter.change_charterversion",
    "charter.delete_charterversion", "charter.change_pact", "charter.delete_pact", "charter.add_signature",
    "charter.change_signature", "charter.delete_signature", "charter.add_decline", "charter.change_decline",
    "charter.delete_decline", "charter.add_document", "charter.change_document", "charter.delete_document",
]


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_asks_the_rules_and_only_staff_get_in(role):
    user = actor(role)
    assert user.has_module_perms("charter") is (role == "staff")
    for perm in ("charter.view_signature", "charter.view_decline"):
        assert user.has_perm(perm) is (role == "staff"), perm
    if role == "staff":
        for perm in ADMIN_PERMS:
            assert user.has_perm(perm), perm
        for perm in NOT_IN_THE_ADMIN:
            assert not user.has_perm(perm), perm
