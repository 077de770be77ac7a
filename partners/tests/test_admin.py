"""The admin is usable by staff and its actions go through the services."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail

from partners.models import Membership, Organisation, SteeringGroupMember
from partners.tests.factories import MembershipFactory, OrganisationFactory, SteeringGroupMemberFactory
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(staff=True)  # with an authenticator app, as staff need
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assert on the English msgids
    client.user = user
    return client


def _action(client, model, action, objects, **extra):
    return client.post(
        f"/admin/partners/{model}/",
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0, **extra},
        follow=True,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/admin/partners/organisation/",
        "/admin/partners/membership/",
        "/admin/partners/steeringgroupmember/",
        "/admin/partners/steeringgroupmember/add/",
    ],
)
def test_admin_pages_open_for_staff(admin_client, path):
    MembershipFactory()
    SteeringGroupMemberFactory()
    assert admin_client.get(path).status_code == 200


def test_admin_change_pages_open_for_staff(admin_client):
    membership = MembershipFactory()
    seat = SteeringGroupMemberFactory()
    for url in [
        f"/admin/partners/organisation/{membership.organisation.pk}/change/",
        f"/admin/partners/membership/{membership.pk}/change/",
        f"/admin/partners/steeringgroupmember/{seat.pk}/change/",
    ]:
        assert admin_client.get(url).status_code == 200


def test_verify_action_calls_the_service(admin_client, django_capture_on_commit_callbacks):
    pending = OrganisationFactory(referent=UserFactory())
    already = OrganisationFactory(verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(admin_client, "organisation", "verify_selected", [pending, already])
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.VERIFIED
    assert pending.status_changes.get().changed_by == admin_client.user
    assert len(mail.outbox) == 1
    assert "cannot go from" in response.content.decode()


def test_reject_action_needs_the_reason(admin_client):
    organisation = OrganisationFactory()
    _action(admin_client, "organisation", "reject_selected", [organisation])
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING
    _action(admin_client, "organisation", "reject_selected", [organisation], reason="Statuto mancante.")
    organisation.refresh_from_db()
    assert (organisation.status, organisation.rejection_reason) == (Organisation.Status.REJECTED, "Statuto mancante.")


def test_membership_actions(admin_client):
    pending = MembershipFactory(pending=True)
    _action(admin_client, "membership", "accept_selected", [pending])
    pending.refresh_from_db()
    assert pending.status == Membership.Status.ACCEPTED

    response = _action(
        admin_client, "membership", "confirm_legal_representative", [pending], tax_code="RCCMNL83S18D969X"
    )
    pending.refresh_from_db()
    assert pending.confirmed_at is None
    assert "16 characters" in response.content.decode()
    _action(admin_client, "membership", "confirm_legal_representative", [pending], tax_code="RCCMNL83S18D969H")
    pending.refresh_from_db()
    assert pending.is_confirmed_legal_representative


def test_add_steering_member_goes_through_the_service(admin_client, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    municipality = MunicipalityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/partners/steeringgroupmember/add/",
            {"user": user.pk, "role": "coordinator", "municipality": municipality.pk, "start_date": "2026-01-01"},
        )
    assert response.status_code == 302
    seat = SteeringGroupMember.objects.get()
    assert (seat.user, seat.appointed_by) == (user, admin_client.user)
    assert [message.to for message in mailoutbox] == [[user.email]]


def _form_errors(response):
    return [str(error) for errors in response.context["adminform"].form.errors.values() for error in errors]


def _refused_on_the_form(response, message):
    """The service's refusal is on the form, which keeps what was entered; no success message."""
    assert response.status_code == 200
    assert message in " ".join(_form_errors(response))
    assert not [str(m) for m in response.context["messages"] if "successfully" in str(m)]


def test_admin_cannot_appoint_someone_who_never_confirmed_their_email(admin_client):
    user = UserFactory(verified_email=False)
    municipality = MunicipalityFactory()
    response = admin_client.post(
        "/admin/partners/steeringgroupmember/add/",
        {"user": user.pk, "role": "member", "municipality": municipality.pk, "start_date": "2026-01-01"},
    )
    _refused_on_the_form(response, "has not confirmed their email address yet")
    form = response.context["adminform"].form
    assert (form["user"].value(), form["municipality"].value()) == (str(user.pk), str(municipality.pk))
    assert not SteeringGroupMember.objects.exists()
    assert not list(admin_client.get("/admin/partners/steeringgroupmember/").context["messages"])


def test_add_overlapping_steering_member_shows_the_services_refusal(admin_client):
    seat = SteeringGroupMemberFactory(end_date=datetime.date(2026, 12, 31))
    response = admin_client.post(
        "/admin/partners/steeringgroupmember/add/",
        {"user": seat.user.pk, "role": "member", "municipality": seat.municipality.pk, "start_date": "2026-06-01"},
    )
    _refused_on_the_form(response, "This person already has a seat in the steering group for those dates.")
    assert SteeringGroupMember.objects.count() == 1


def test_end_today_action(admin_client):
    seat = SteeringGroupMemberFactory()
    _action(admin_client, "steeringgroupmember", "end_today", [seat])
    seat.refresh_from_db()
    assert seat.ended_by == admin_client.user
