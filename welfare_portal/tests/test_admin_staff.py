"""The Django admin for the staff who exist: `is_staff`, never superusers. What they need opens,
through the rules; what the rules do not give them is refused, and nobody hands themselves or
anyone else more access."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from charter.models import Signature
from charter.tests.factories import OpenPactFactory, legal_representative
from partners.tests.event_factories import EventRegistrationFactory
from partners.tests.factories import MembershipFactory, OutreachContactFactory, SteeringGroupMemberFactory
from projects.models import Proposal
from projects.tests.factories import (
    EvaluationFactory,
    FocusGroupMembershipFactory,
    MeetingFactory,
    MilestoneFactory,
    ProposalFactory,
    ScoreFactory,
)
from welfare_portal.models import User
from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(staff=True, totp=True, full_name="Giulia Ferrari")
    assert user.is_staff and not user.is_superuser
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


@pytest.fixture
def some_of_everything():
    """At least one row behind every admin list staff use."""
    MembershipFactory(pending=True)
    SteeringGroupMemberFactory()
    OutreachContactFactory()
    EventRegistrationFactory()
    submitted = ProposalFactory(status=Proposal.Status.IN_EVALUATION, submitted_at=timezone.now())
    ScoreFactory(evaluation=EvaluationFactory(proposal=submitted))
    FocusGroupMembershipFactory(focus_group=MeetingFactory().focus_group)
    MilestoneFactory()
    pact = OpenPactFactory()
    organisation = pact.signatories.first().organisation
    Signature.objects.create(
        pact=pact, organisation=organisation, signer=legal_representative(organisation), signer_name="X",
        signer_email="x@example.org", full_name="X", consent_text="Sì", reauthenticated_at=timezone.now(),
        document=pact.documents.get(), document_sha256="0" * 64, record_sha256="1" * 64,
    )
    pact.declines.create(organisation=pact.signatories.last().organisation, reason="No", declined_by=UserFactory())


STAFF_LISTS = [
    "welfare_portal/user", "welfare_portal/municipality", "welfare_portal/policyarea", "welfare_portal/targetgroup",
    "welfare_portal/ageband", "partners/organisation", "partners/membership", "partners/steeringgroupmember",
    "partners/outreachcontact", "partners/event", "partners/eventregistration", "projects/theme",
    "projects/focusgroup", "projects/focusgroupmembership", "projects/meeting", "projects/milestone",
    "projects/proposal", "projects/rubric", "projects/evaluation", "charter/charter", "charter/charterversion",
    "charter/pact", "charter/document", "charter/signature", "charter/decline",
]


def test_staff_without_a_superuser_flag_find_every_app_they_work_with(client, staff, some_of_everything):
    response = client.get("/admin/")
    assert response.status_code == 200
    apps = {app["app_label"]: {model["object_name"].lower() for model in app["models"]}
            for app in response.context["app_list"]}
    assert {"welfare_portal", "partners", "projects", "charter"} <= set(apps)
    assert not {"auth", "account", "mfa"} & set(apps)  # groups, email addresses, authenticators
    assert set(STAFF_LISTS) <= {f"{app}/{model}" for app, models in apps.items() for model in models}


@pytest.mark.parametrize("path", STAFF_LISTS)
def test_staff_open_each_list_and_its_first_row(client, staff, some_of_everything, path):
    response = client.get(f"/admin/{path}/")
    assert response.status_code == 200, path
    first = response.context["cl"].result_list[0]
    assert client.get(f"/admin/{path}/{first.pk}/change/").status_code == 200, path


@pytest.mark.parametrize("path", [
    "/admin/auth/group/", "/admin/auth/group/add/", "/admin/mfa/authenticator/", "/admin/account/emailaddress/",
    "/admin/welfare_portal/user/add/", "/admin/projects/proposal/add/", "/admin/charter/signature/add/",
])
def test_what_the_rules_do_not_give_staff_is_refused(client, staff, path):
    assert client.get(path).status_code == 403


def test_records_and_reference_data_cannot_be_deleted(client, staff, some_of_everything):
    signature = Signature.objects.get()
    for path, obj in [
        ("charter/signature", signature), ("charter/decline", signature.pact.declines.get()),
        ("charter/document", signature.document), ("projects/evaluation", EvaluationFactory()),
        ("partners/organisation", MembershipFactory().organisation), ("partners/membership", MembershipFactory()),
        ("welfare_portal/user", UserFactory()), ("welfare_portal/municipality", MembershipFactory().organisation
                                                 .seat_municipality),
    ]:
        assert client.get(f"/admin/{path}/{obj.pk}/delete/").status_code == 403, path
        assert client.post(f"/admin/{path}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403, path


def test_a_draft_proposal_stays_its_partners_also_in_the_admin(client, staff):
    draft = ProposalFactory(title="Bozza riservata")
    submitted = ProposalFactory(status=Proposal.Status.SUBMITTED, submitted_at=timezone.now())
    EvaluationFactory(proposal=draft)
    listed = client.get("/admin/projects/proposal/").context["cl"].result_list
    assert list(listed) == [submitted]
    assert "Bozza riservata" not in client.get("/admin/projects/evaluation/").content.decode()
    response = client.get(f"/admin/projects/proposal/{draft.pk}/change/", follow=True)
    assert "Bozza riservata" not in response.content.decode()


def _user_form(user, **changes):
    data = {"full_name": user.full_name, "is_active": "on" if user.is_active else ""}
    data.update(changes)
    return data


def test_staff_correct_a_name_and_deactivate_an_account(client, staff):
    person = UserFactory(full_name="Mario Rosi")
    response = client.post(f"/admin/welfare_portal/user/{person.pk}/change/", _user_form(person, full_name="Mario Rossi",
                                                                                           is_active=""))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.is_active) == ("Mario Rossi", False)


def test_staff_cannot_grant_access_nor_take_over_an_account(client, staff):
    """No superuser flag, staff flag, group or permission, for themselves or anyone; no address
    or password set for someone else (they would then log in, and sign, as that person)."""
    group = Group.objects.create(name="Tutto")
    permission = Permission.objects.get(codename="change_user")
    page = client.get(f"/admin/welfare_portal/user/{staff.pk}/change/").content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "email", "password"):
        assert f'name="{field}"' not in page, field
    assert "../password/" not in page and "pbkdf2" not in page
    for person in (staff, UserFactory(email="legale@example.org")):
        before = User.objects.filter(pk=person.pk).values().get()
        client.post(f"/admin/welfare_portal/user/{person.pk}/change/", _user_form(
            person, is_superuser="on", is_staff="on", groups=[group.pk], user_permissions=[permission.pk],
            email="attacker@example.org",
        ))
        assert User.objects.filter(pk=person.pk).values().get() == before
        assert not person.groups.exists() and not person.user_permissions.exists()
        password_page = f"/admin/welfare_portal/user/{person.pk}/password/"
        assert client.get(password_page).status_code == 403
        assert client.post(password_page, {"password1": "Nuova-password-42", "password2": "Nuova-password-42",
                                           "usable_password": "true"}).status_code == 403
        assert User.objects.get(pk=person.pk).password == before["password"]
    assert not EmailAddress.objects.filter(email="attacker@example.org").exists()


def test_staff_cannot_change_the_emergency_superuser(client, staff):
    superuser = User.objects.create_superuser(email="emergenza@example.org", password="x-Long-password-42")
    response = client.get(f"/admin/welfare_portal/user/{superuser.pk}/change/")
    assert response.status_code == 200
    assert 'name="is_active"' not in response.content.decode()
    assert client.post(f"/admin/welfare_portal/user/{superuser.pk}/change/", _user_form(
        superuser, is_active="",
    )).status_code == 403
    assert User.objects.get(pk=superuser.pk).is_active


def test_authenticators_stay_out_of_reach(client, staff):
    other = UserFactory(totp=True)
    authenticator = Authenticator.objects.get(user=other)
    assert client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/").status_code == 403
    assert client.post(f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
