"""Organisation pages: registration (also from an outreach invitation), "my organisations",
the organisation page, editing, resubmitting, joining and deciding requests, and the staff
pages under /gestione/ that verify organisations and confirm legal representatives.

Every action is tried by the role that owns it and by the others (anonymous → login,
stranger → 404 when the organisation is not public, member → 403)."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from partners import services
from partners.models import (
    Membership,
    MembershipStatusChange,
    Organisation,
    OrganisationKind,
    OrganisationStatusChange,
    OutreachContact,
)
from partners.tests.factories import MembershipFactory, OrganisationFactory
from welfare_portal.models import PolicyArea
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

OrgStatus = Organisation.Status
MemberStatus = Membership.Status
VALID_TAX_CODE = "00743110157"
PERSONAL_TAX_CODE = "RCCMNL83S18D969H"
REGISTER_URL = reverse("partners:organisation-register")
MY_URL = reverse("partners:my-organisations")
STAFF_HOME_URL = reverse("partners:staff-home")
STAFF_LIST_URL = reverse("partners:staff-organisation-list")
LEGAL_LIST_URL = reverse("partners:staff-legal-representative-list")
BASE = "http://testserver.example"


def url(name, *args):
    return reverse(f"partners:{name}", args=args)


@pytest.fixture(autouse=True)
def _english_pages_and_links(client, settings):
    """Pages follow the browser's language: ask for English to assert on the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    settings.PORTAL_BASE_URL = BASE


@pytest.fixture
def staff():
    return UserFactory(staff=True, totp=True, email="ufficio@example.org")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def login(client, user):
    client.force_login(user)
    return user


def messages_of(response):
    """The messages waiting after this response (earlier, unread ones included)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def registration_data(**overrides):
    seat = MunicipalityFactory(name="Legnano")
    served = MunicipalityFactory(name="Parabiago")
    area = PolicyArea.objects.get(slug="housing")
    data = {
        "name": "Cooperativa Sociale Esempio",
        "kind": OrganisationKind.SOCIAL_COOPERATIVE,
        "legal_form": "Cooperativa sociale di tipo A",
        "tax_code": "IT 00743110157",
        "seat_municipality": seat.pk,
        "municipalities_served": [seat.pk, served.pk],
        "policy_areas": [area.pk],
        "description": "Servizi per l'abitare.",
        "website": "https://esempio.example.org",
        "email": "info@esempio.example.org",
        "phone": "0331 123456",
    }
    data.update(overrides)
    return data


def snapshot():
    """What an action that is refused must leave untouched."""
    return (
        sorted(Organisation.objects.values_list("pk", "name", "tax_code", "status", "rejection_reason")),
        sorted(Membership.objects.values_list("pk", "status", "role", "confirmed_at")),
        OrganisationStatusChange.objects.count(),
        MembershipStatusChange.objects.count(),
    )


# --- Registration ---------------------------------------------------------------------------


def test_register_requires_login(client):
    assert_login_redirect(client.get(REGISTER_URL))
    assert_login_redirect(client.post(REGISTER_URL, registration_data()))
    assert not Organisation.objects.exists()


def test_register_refused_until_the_email_is_verified(client):
    login(client, UserFactory(verified_email=False))
    response = client.post(REGISTER_URL, registration_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")
    assert "Confirm your email address first." in messages_of(response)
    assert not Organisation.objects.exists()


def test_register_form_shows_every_field(client):
    login(client, UserFactory())
    data = registration_data()
    response = client.get(REGISTER_URL)
    assert response.status_code == 200
    for field in data:
        assert f'name="{field}"' in response.content.decode()


def test_register_creates_a_pending_organisation_with_its_referent_and_tells_staff(client, staff, on_commit):
    user = login(client, UserFactory(full_name="Anna Verdi"))
    UserFactory(email="not-staff@example.org")
    UserFactory(staff=True, is_active=False, email="former-staff@example.org")

    with on_commit():
        response = client.post(REGISTER_URL, registration_data())

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("organisation-detail", organisation.pk)
    assert (organisation.status, organisation.tax_code, organisation.created_by) == (
        OrgStatus.PENDING, VALID_TAX_CODE, user,
    )
    assert sorted(m.name for m in organisation.municipalities_served.all()) == ["Legnano", "Parabiago"]
    assert [a.slug for a in organisation.policy_areas.all()] == ["housing"]
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role, membership.status) == (user, "referent", MemberStatus.ACCEPTED)
    assert [m.to for m in mail.outbox] == [["ufficio@example.org"]]
    assert "New organisation to verify: Cooperativa Sociale Esempio" in mail.outbox[0].subject
    assert "Anna Verdi has registered" in mail.outbox[0].body
    assert BASE + url("staff-organisation-review", organisation.pk) in mail.outbox[0].body


def test_register_with_invalid_tax_code_shows_the_error_and_creates_nothing(client):
    login(client, UserFactory())
    response = client.post(REGISTER_URL, registration_data(tax_code="00743110158"))
    assert response.status_code == 200
    assert "the last character is a check digit" in response.context["form"].errors["tax_code"][0]
    assert "is-invalid" in response.content.decode()
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_register_with_a_duplicate_tax_code_shows_the_error_and_creates_nothing(client, on_commit):
    OrganisationFactory(tax_code=VALID_TAX_CODE)
    login(client, UserFactory())
    before = snapshot()
    with on_commit():
        response = client.post(REGISTER_URL, registration_data(tax_code="IT00743110157"))
    assert response.status_code == 200
    assert response.context["form"].errors["tax_code"] == [
        "An organisation with this tax code is already registered."
    ]
    assert snapshot() == before
    assert mail.outbox == []


def test_register_without_a_tax_code_is_refused_except_for_an_informal_network(client):
    login(client, UserFactory())
    response = client.post(REGISTER_URL, registration_data(tax_code=""))
    assert "only an informal solidarity network may have none" in response.context["form"].errors["tax_code"][0]
    assert not Organisation.objects.exists()

    response = client.post(REGISTER_URL, registration_data(
        tax_code="", kind=OrganisationKind.INFORMAL_SOLIDARITY_NETWORK,
    ))
    assert response.status_code == 302
    assert Organisation.objects.get().tax_code == ""


def _invite(client, **contact_fields):
    contact = OutreachContact.objects.create(**{
        "name": "Banco di Solidarietà di Nerviano", "kind": OrganisationKind.VOLUNTEERING,
        "email": "banco@example.org", "municipality": MunicipalityFactory(name="Nerviano"),
        "status": OutreachContact.Status.INTERESTED, **contact_fields,
    })
    session = client.session
    session[services.INVITATION_SESSION_KEY] = services.make_invitation_token(contact)
    session.save()
    return contact


def test_register_from_an_invitation_prefills_the_form_and_links_the_contact(client):
    user = login(client, UserFactory())
    contact = _invite(client)

    form = client.get(REGISTER_URL).context["form"]
    assert form.initial == {
        "name": "Banco di Solidarietà di Nerviano", "kind": OrganisationKind.VOLUNTEERING,
        "email": "banco@example.org", "seat_municipality": contact.municipality_id,
    }

    response = client.post(REGISTER_URL, registration_data(name="Banco di Solidarietà"))
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.status, contact.organisation) == (OutreachContact.Status.JOINED, organisation)
    assert contact.status_changes.get().changed_by == user
    assert services.INVITATION_SESSION_KEY not in client.session


def test_register_with_a_used_invitation_prefills_nothing_and_links_nothing(client):
    login(client, UserFactory())
    contact = _invite(client, status=OutreachContact.Status.JOINED)
    assert client.get(REGISTER_URL).context["form"].initial == {}
    client.post(REGISTER_URL, registration_data())
    contact.refresh_from_db()
    assert contact.organisation is None
    assert Organisation.objects.get().status == OrgStatus.PENDING
    assert services.INVITATION_SESSION_KEY not in client.session


def test_register_with_a_forged_invitation_prefills_nothing(client):
    login(client, UserFactory())
    session = client.session
    session[services.INVITATION_SESSION_KEY] = "forged-token"
    session.save()
    assert client.get(REGISTER_URL).context["form"].initial == {}


# --- My organisations -----------------------------------------------------------------------


def test_my_organisations_requires_login(client):
    assert_login_redirect(client.get(MY_URL))


def test_my_organisations_empty_state_points_to_register_and_directory(client):
    login(client, UserFactory())
    MembershipFactory()  # someone else's
    html = client.get(MY_URL).content.decode()
    assert "You do not belong to any organisation yet." in html
    assert f'href="{REGISTER_URL}"' in html
    assert f'href="{url("directory")}"' in html


def test_my_organisations_lists_roles_statuses_and_the_rejection_reason(client):
    user = login(client, UserFactory())
    rejected = OrganisationFactory(rejected=True, name="Associazione Respinta", referent=user)
    MembershipFactory(user=user, organisation=OrganisationFactory(verified=True, name="Fondazione Verde"))
    MembershipFactory(user=user, pending=True, organisation=OrganisationFactory(verified=True, name="Coop Attesa"))
    MembershipFactory(organisation=OrganisationFactory(verified=True, name="Ente Altrui"))

    response = client.get(MY_URL)
    html = response.content.decode()
    assert [m.organisation.name for m in response.context["memberships"]] == [
        "Associazione Respinta", "Coop Attesa", "Fondazione Verde",
    ]
    assert "Ente Altrui" not in html
    assert rejected.rejection_reason in html
    assert "Requested" in html and "Awaiting verification" not in html
    # Only the referent of the rejected organisation gets the edit and resubmit links.
    assert url("organisation-edit", rejected.pk) in html
    assert url("organisation-resubmit", rejected.pk) in html
    assert html.count("/modifica/") == 1


# --- The organisation page ------------------------------------------------------------------


def test_verified_organisation_page_is_public(client):
    organisation = OrganisationFactory(verified=True, name="Fondazione Ticino Olona", description="Welfare di comunità.")
    response = client.get(url("organisation-detail", organisation.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fondazione Ticino Olona" in html and "Welfare di comunità." in html
    assert "Requests to join" not in html
    assert url("organisation-join", organisation.pk) not in html
    assert "Log in to ask to join this organisation." in html


@pytest.mark.parametrize("status", [OrgStatus.PENDING, OrgStatus.REJECTED])
def test_unverified_organisation_page_is_hidden_from_strangers(client, status):
    organisation = OrganisationFactory(status=status)
    assert client.get(url("organisation-detail", organisation.pk)).status_code == 404
    login(client, UserFactory())
    assert client.get(url("organisation-detail", organisation.pk)).status_code == 404
    # Nor does a pending request make someone a member who may see it.
    MembershipFactory(organisation=organisation, user=login(client, UserFactory()), pending=True)
    assert client.get(url("organisation-detail", organisation.pk)).status_code == 404


@pytest.mark.parametrize("status", [OrgStatus.PENDING, OrgStatus.REJECTED])
def test_unverified_organisation_page_is_shown_to_members_and_staff(client, status, staff):
    referent = UserFactory()
    organisation = OrganisationFactory(status=status, referent=referent)
    member = MembershipFactory(organisation=organisation).user
    for user in (referent, member, staff):
        login(client, user)
        assert client.get(url("organisation-detail", organisation.pk)).status_code == 200


def test_rejected_organisation_page_gives_the_referent_the_reason_and_the_way_back(client):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(rejected=True, referent=referent)
    html = client.get(url("organisation-detail", organisation.pk)).content.decode()
    assert organisation.rejection_reason in html
    assert url("organisation-edit", organisation.pk) in html
    assert url("organisation-resubmit", organisation.pk) in html


def test_referent_sees_members_and_pending_requests_with_decision_buttons(client):
    referent = login(client, UserFactory(full_name="Rita Referente"))
    organisation = OrganisationFactory(verified=True, referent=referent)
    MembershipFactory(organisation=organisation, user=UserFactory(full_name="Mario Membro"))
    request = MembershipFactory(organisation=organisation, user=UserFactory(full_name="Paola Richiesta"), pending=True)
    MembershipFactory(organisation=organisation, user=UserFactory(full_name="Rino Rifiutato"), refused=True)

    response = client.get(url("organisation-detail", organisation.pk))
    html = response.content.decode()
    assert [m.user.full_name for m in response.context["members"]] == ["Rita Referente", "Mario Membro"]
    assert [m.user.full_name for m in response.context["requests"]] == ["Paola Richiesta"]
    assert url("membership-accept", request.pk) in html
    assert url("membership-refuse", request.pk) in html
    assert "Rino Rifiutato" not in html
    assert url("organisation-join", organisation.pk) not in html


def test_plain_member_sees_neither_requests_nor_edit_link(client):
    organisation = OrganisationFactory(verified=True, referent=UserFactory())
    MembershipFactory(organisation=organisation, user=login(client, UserFactory()))
    request = MembershipFactory(organisation=organisation, pending=True)
    html = client.get(url("organisation-detail", organisation.pk)).content.decode()
    assert "You are a member of this organisation" in html
    assert url("membership-accept", request.pk) not in html
    assert url("organisation-edit", organisation.pk) not in html


def test_logged_in_non_member_gets_the_join_button(client):
    organisation = OrganisationFactory(verified=True)
    login(client, UserFactory())
    html = client.get(url("organisation-detail", organisation.pk)).content.decode()
    assert f'href="{url("organisation-join", organisation.pk)}"' in html


def test_organisation_page_query_count_does_not_grow_with_members(client, django_assert_max_num_queries):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(verified=True, referent=referent)
    # session, user, organisation, served, areas, memberships+users, menu's steering check
    with django_assert_max_num_queries(9):
        assert client.get(url("organisation-detail", organisation.pk)).status_code == 200
    MembershipFactory.create_batch(15, organisation=organisation)
    MembershipFactory.create_batch(15, organisation=organisation, pending=True)
    with django_assert_max_num_queries(9):
        assert client.get(url("organisation-detail", organisation.pk)).status_code == 200


# --- Editing and resubmitting ---------------------------------------------------------------


def edit_data(organisation, **overrides):
    data = {
        "name": organisation.name, "kind": organisation.kind, "legal_form": organisation.legal_form,
        "tax_code": organisation.tax_code, "seat_municipality": organisation.seat_municipality_id,
        "description": organisation.description, "website": organisation.website,
        "email": organisation.email, "phone": organisation.phone,
    }
    data.update(overrides)
    return data


def test_edit_requires_login(client):
    organisation = OrganisationFactory(verified=True)
    assert_login_redirect(client.get(url("organisation-edit", organisation.pk)))


def test_edit_is_404_for_strangers_of_a_hidden_organisation_and_403_for_members(client):
    hidden = OrganisationFactory()
    login(client, UserFactory())
    assert client.get(url("organisation-edit", hidden.pk)).status_code == 404

    organisation = OrganisationFactory(verified=True)
    assert client.get(url("organisation-edit", organisation.pk)).status_code == 403
    member = MembershipFactory(organisation=organisation).user
    login(client, member)
    before = snapshot()
    assert client.post(url("organisation-edit", organisation.pk), edit_data(organisation, name="X")).status_code == 403
    assert snapshot() == before


def test_referent_edits_the_profile(client):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(referent=referent)
    served = MunicipalityFactory(name="Canegrate")
    response = client.post(url("organisation-edit", organisation.pk), edit_data(
        organisation, name="Nome Nuovo", tax_code=VALID_TAX_CODE, municipalities_served=[served.pk],
    ))
    assert response.status_code == 302
    assert response["Location"] == url("organisation-detail", organisation.pk)
    organisation.refresh_from_db()
    assert (organisation.name, organisation.tax_code, organisation.status) == ("Nome Nuovo", VALID_TAX_CODE, OrgStatus.PENDING)
    assert list(organisation.municipalities_served.all()) == [served]


def test_edit_with_invalid_data_shows_errors_and_changes_nothing(client):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(referent=referent)
    other = OrganisationFactory(tax_code=VALID_TAX_CODE)
    before = snapshot()
    response = client.post(url("organisation-edit", organisation.pk), edit_data(organisation, tax_code=other.tax_code, name="Altro"))
    assert response.context["form"].errors["tax_code"] == ["An organisation with this tax code is already registered."]
    # The page still names the organisation as it is stored.
    assert f"Edit {organisation.name}" in response.content.decode()
    response = client.post(url("organisation-edit", organisation.pk), edit_data(organisation, tax_code="123", name="Altro"))
    assert "tax_code" in response.context["form"].errors
    assert snapshot() == before


def test_verified_organisation_tax_code_cannot_be_changed_by_its_referent(client):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(verified=True, referent=referent)
    old_tax_code = organisation.tax_code

    form = client.get(url("organisation-edit", organisation.pk)).context["form"]
    assert form.fields["tax_code"].disabled

    # A tampered request cannot change it: the field is disabled, the rest is saved.
    response = client.post(url("organisation-edit", organisation.pk), edit_data(organisation, tax_code=VALID_TAX_CODE, phone="02 555"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.tax_code, organisation.phone, organisation.status) == (old_tax_code, "02 555", OrgStatus.VERIFIED)


def test_staff_correct_the_tax_code_of_a_verified_organisation(client, staff):
    organisation = OrganisationFactory(verified=True)
    login(client, staff)
    assert not client.get(url("organisation-edit", organisation.pk)).context["form"].fields["tax_code"].disabled
    client.post(url("organisation-edit", organisation.pk), edit_data(organisation, tax_code=VALID_TAX_CODE))
    organisation.refresh_from_db()
    assert (organisation.tax_code, organisation.status) == (VALID_TAX_CODE, OrgStatus.VERIFIED)


def test_resubmit_asks_for_confirmation_then_sends_back_to_staff(client, staff, on_commit):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(rejected=True, referent=referent)
    response = client.get(url("organisation-resubmit", organisation.pk))
    assert response.status_code == 200
    assert organisation.rejection_reason in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).status == OrgStatus.REJECTED

    with on_commit():
        response = client.post(url("organisation-resubmit", organisation.pk))
    assert response["Location"] == url("organisation-detail", organisation.pk)
    organisation.refresh_from_db()
    assert (organisation.status, organisation.rejection_reason) == (OrgStatus.PENDING, "")
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "has been corrected: to verify" in mail.outbox[0].subject
    assert BASE + url("staff-organisation-review", organisation.pk) in mail.outbox[0].body


def test_resubmit_refused_to_members_strangers_and_anonymous(client):
    organisation = OrganisationFactory(rejected=True, referent=UserFactory())
    member = MembershipFactory(organisation=organisation).user
    before = snapshot()
    assert_login_redirect(client.post(url("organisation-resubmit", organisation.pk)))
    login(client, UserFactory())
    assert client.post(url("organisation-resubmit", organisation.pk)).status_code == 404
    login(client, member)
    assert client.post(url("organisation-resubmit", organisation.pk)).status_code == 403
    assert snapshot() == before


def test_resubmit_of_an_organisation_that_is_not_rejected_changes_nothing(client):
    referent = login(client, UserFactory())
    organisation = OrganisationFactory(referent=referent)
    response = client.get(url("organisation-resubmit", organisation.pk))
    assert response.status_code == 302
    assert "Only a rejected organisation can be submitted again." in messages_of(response)
    before = snapshot()
    response = client.post(url("organisation-resubmit", organisation.pk))
    assert "cannot go from" in messages_of(response)[-1]
    assert snapshot() == before


# --- Joining and deciding requests ----------------------------------------------------------


def test_join_requires_login(client):
    organisation = OrganisationFactory(verified=True)
    assert_login_redirect(client.get(url("organisation-join", organisation.pk)))
    assert_login_redirect(client.post(url("organisation-join", organisation.pk)))
    assert not Membership.objects.exists()


def test_join_asks_for_confirmation_then_tells_the_referents(client, on_commit):
    organisation = OrganisationFactory(verified=True, name="Auser Legnano", referent=UserFactory(email="ref@example.org"))
    user = login(client, UserFactory(full_name="Luca Bianchi"))
    response = client.get(url("organisation-join", organisation.pk))
    assert response.status_code == 200
    assert not Membership.objects.filter(user=user).exists()

    with on_commit():
        response = client.post(url("organisation-join", organisation.pk), {"role": "legal_representative", "note": "Sono il presidente."})
    assert response["Location"] == url("organisation-detail", organisation.pk)
    membership = Membership.objects.get(user=user)
    assert (membership.status, membership.role) == (MemberStatus.PENDING, "legal_representative")
    assert membership.status_changes.get().note == "Sono il presidente."
    assert [m.to for m in mail.outbox] == [["ref@example.org"]]
    assert "Luca Bianchi asks to join Auser Legnano" in mail.outbox[0].subject
    assert BASE + url("organisation-detail", organisation.pk) + "#requests" in mail.outbox[0].body


def test_joining_twice_gives_a_clear_message_and_changes_nothing(client, on_commit):
    membership = MembershipFactory(pending=True)
    login(client, membership.user)
    before = snapshot()
    with on_commit():
        response = client.post(url("organisation-join", membership.organisation.pk), {"role": "member"})
    assert response.status_code == 302
    assert messages_of(response) == [
        f"You have already asked to join {membership.organisation}; its referents will decide."
    ]
    assert snapshot() == before
    assert mail.outbox == []
    # The confirmation page is not offered again either.
    response = client.get(url("organisation-join", membership.organisation.pk))
    assert response.status_code == 302


def test_join_refused_for_an_organisation_awaiting_verification(client):
    organisation = OrganisationFactory()
    login(client, UserFactory())
    assert client.post(url("organisation-join", organisation.pk), {"role": "member"}).status_code == 404
    assert not Membership.objects.exists()


def test_a_member_of_a_pending_organisation_is_not_offered_to_join_it_again(client):
    """`partners.join_organisation` decides the button and the page: not the status in a view."""
    membership = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.REFERENT)
    login(client, membership.user)
    assert url("organisation-join", membership.organisation.pk) not in client.get(
        url("organisation-detail", membership.organisation.pk)
    ).content.decode()
    response = client.get(url("organisation-join", membership.organisation.pk))
    assert response.status_code == 302
    assert messages_of(response) == [
        f"You have already asked to join {membership.organisation.name}: see the status below."
    ]


def test_join_with_an_invalid_role_changes_nothing(client):
    organisation = OrganisationFactory(verified=True)
    login(client, UserFactory())
    response = client.post(url("organisation-join", organisation.pk), {"role": "president"})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Membership.objects.exists()


@pytest.fixture
def join_request():
    organisation = OrganisationFactory(verified=True, name="Auser Legnano", referent=UserFactory())
    return MembershipFactory(organisation=organisation, user=UserFactory(email="asks@example.org"), pending=True)


def referent_of(membership):
    return Membership.objects.get(organisation=membership.organisation, role="referent").user


def test_referent_accepts_a_request(client, join_request, on_commit):
    login(client, referent_of(join_request))
    with on_commit():
        response = client.post(url("membership-accept", join_request.pk))
    assert response["Location"] == url("organisation-detail", join_request.organisation_id) + "#requests"
    join_request.refresh_from_db()
    assert join_request.status == MemberStatus.ACCEPTED
    assert [m.to for m in mail.outbox] == [["asks@example.org"]]
    assert BASE + url("organisation-detail", join_request.organisation_id) in mail.outbox[0].body


def test_staff_accept_a_request(client, join_request, staff):
    login(client, staff)
    client.post(url("membership-accept", join_request.pk))
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == (MemberStatus.ACCEPTED, staff)


def test_accept_is_post_only(client, join_request):
    login(client, referent_of(join_request))
    assert client.get(url("membership-accept", join_request.pk)).status_code == 405


@pytest.mark.parametrize("who", ["requester", "member", "stranger"])
def test_decisions_refused_to_others(client, join_request, who):
    user = {
        "requester": lambda: join_request.user,
        "member": lambda: MembershipFactory(organisation=join_request.organisation).user,
        "stranger": UserFactory,
    }[who]()
    login(client, user)
    before = snapshot()
    assert client.post(url("membership-accept", join_request.pk)).status_code == 403
    assert client.post(url("membership-refuse", join_request.pk), {"reason": "No"}).status_code == 403
    assert snapshot() == before


def test_decisions_require_login(client, join_request):
    assert_login_redirect(client.post(url("membership-accept", join_request.pk)))
    assert_login_redirect(client.post(url("membership-refuse", join_request.pk)))
    join_request.refresh_from_db()
    assert join_request.status == MemberStatus.PENDING


def test_referent_refuses_a_request_with_a_reason(client, join_request, on_commit):
    login(client, referent_of(join_request))
    response = client.get(url("membership-refuse", join_request.pk))
    assert response.status_code == 200
    with on_commit():
        response = client.post(url("membership-refuse", join_request.pk), {"reason": "Non risulta tra i soci."})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert (join_request.status, join_request.refusal_reason) == (MemberStatus.REFUSED, "Non risulta tra i soci.")
    assert "Non risulta tra i soci." in mail.outbox[0].body
    assert BASE + url("organisation-detail", join_request.organisation_id) in mail.outbox[0].body


def test_deciding_an_already_decided_request_changes_nothing(client, join_request):
    login(client, referent_of(join_request))
    client.post(url("membership-accept", join_request.pk))
    before = snapshot()
    response = client.post(url("membership-refuse", join_request.pk), {"reason": "Ripensamento"})
    assert messages_of(response)[-1] == "This request has already been decided (Accepted)."
    response = client.post(url("membership-accept", join_request.pk))
    assert messages_of(response)[-1] == "This request has already been decided (Accepted)."
    assert snapshot() == before


# --- Staff: access --------------------------------------------------------------------------


def staff_urls():
    organisation = OrganisationFactory()
    membership = MembershipFactory(role="legal_representative")
    return [
        ("get", STAFF_HOME_URL), ("get", STAFF_LIST_URL), ("get", LEGAL_LIST_URL),
        ("get", url("staff-organisation-review", organisation.pk)),
        ("post", url("staff-organisation-verify", organisation.pk)),
        ("post", url("staff-organisation-reject", organisation.pk)),
        ("get", url("staff-legal-representative-confirm", membership.pk)),
        ("post", url("staff-legal-representative-confirm", membership.pk)),
    ]


def test_staff_pages_send_anonymous_people_to_login(client):
    addresses = staff_urls()
    before = snapshot()
    for method, address in addresses:
        assert_login_redirect(getattr(client, method)(address, {"checked": "on", "reason": "x"} if method == "post" else None))
    assert snapshot() == before


def test_staff_pages_are_forbidden_to_everyone_else(client):
    referent = UserFactory()
    OrganisationFactory(referent=referent)
    addresses = staff_urls()
    before = snapshot()
    for user in (UserFactory(), referent):
        login(client, user)
        for method, address in addresses:
            response = getattr(client, method)(address, {"checked": "on", "reason": "x", "tax_code": PERSONAL_TAX_CODE})
            assert response.status_code == 403, address
    assert snapshot() == before


def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(client):
    login(client, UserFactory(staff=True, totp=False))
    response = client.get(STAFF_HOME_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_home_lists_the_staff_tools(client, staff):
    OrganisationFactory.create_batch(2)
    OrganisationFactory(verified=True)
    login(client, staff)
    response = client.get(STAFF_HOME_URL)
    html = response.content.decode()
    assert response.context["pending_organisations"] == 2
    assert f'href="{STAFF_LIST_URL}"' in html and f'href="{LEGAL_LIST_URL}"' in html


# --- Staff: the verification queue ----------------------------------------------------------


def test_staff_queue_shows_pending_organisations_by_default(client, staff):
    OrganisationFactory(name="Attesa Uno")
    OrganisationFactory(name="Verificata", verified=True)
    OrganisationFactory(name="Respinta", rejected=True)
    login(client, staff)
    names = lambda response: [o.name for o in response.context["page"].object_list]  # noqa: E731
    assert names(client.get(STAFF_LIST_URL)) == ["Attesa Uno"]
    assert names(client.get(STAFF_LIST_URL, {"status": "rejected"})) == ["Respinta"]
    assert sorted(names(client.get(STAFF_LIST_URL, {"status": ""}))) == ["Attesa Uno", "Respinta", "Verificata"]
    assert names(client.get(STAFF_LIST_URL, {"status": "", "q": "verif"})) == ["Verificata"]


def test_staff_queue_searches_by_tax_code_and_paginates(client, staff):
    OrganisationFactory(tax_code=VALID_TAX_CODE, name="Da trovare")
    OrganisationFactory.create_batch(24)
    login(client, staff)
    assert [o.name for o in client.get(STAFF_LIST_URL, {"q": "00743 110157"}).context["page"].object_list] == ["Da trovare"]
    page = client.get(STAFF_LIST_URL).context["page"]
    assert (page.paginator.count, len(page.object_list)) == (25, 20)
    assert len(client.get(STAFF_LIST_URL, {"page": 2}).context["page"].object_list) == 5


def test_staff_queue_empty_state(client, staff):
    login(client, staff)
    assert "nothing to verify here" in client.get(STAFF_LIST_URL).content.decode()


@pytest.mark.parametrize("rows", [10, 60])
def test_staff_queue_query_count_is_constant(client, staff, rows, django_assert_max_num_queries):
    OrganisationFactory.create_batch(rows)
    login(client, staff)
    # session, user, menu's steering check, MFA check, count, page (with seat and creator)
    with django_assert_max_num_queries(7):
        client.get(STAFF_LIST_URL)


def test_staff_review_page_offers_verify_and_reject(client, staff):
    referent = UserFactory(full_name="Rita Referente")
    organisation = OrganisationFactory(referent=referent)
    login(client, staff)
    response = client.get(url("staff-organisation-review", organisation.pk))
    html = response.content.decode()
    assert url("staff-organisation-verify", organisation.pk) in html
    assert url("staff-organisation-reject", organisation.pk) in html
    assert "Rita Referente" in html


def test_staff_review_of_a_verified_organisation_offers_nothing_to_decide(client, staff):
    organisation = OrganisationFactory(verified=True)
    login(client, staff)
    html = client.get(url("staff-organisation-review", organisation.pk)).content.decode()
    assert url("staff-organisation-verify", organisation.pk) not in html
    assert "Nothing to decide" in html


def test_staff_verify_needs_the_confirmation_tick(client, staff):
    organisation = OrganisationFactory()
    login(client, staff)
    before = snapshot()
    response = client.post(url("staff-organisation-verify", organisation.pk), {"note": ""})
    assert response.status_code == 200
    assert "Confirm that you have checked the details before verifying." in response.content.decode()
    assert snapshot() == before


def test_staff_verify_an_organisation(client, staff, on_commit):
    referent = UserFactory(email="ref@example.org")
    organisation = OrganisationFactory(referent=referent)
    login(client, staff)
    assert client.get(url("staff-organisation-verify", organisation.pk)).status_code == 405
    with on_commit():
        response = client.post(url("staff-organisation-verify", organisation.pk), {"checked": "on", "note": "Visura ok."})
    assert response["Location"] == STAFF_LIST_URL
    organisation.refresh_from_db()
    assert (organisation.status, organisation.verified_by) == (OrgStatus.VERIFIED, staff)
    assert organisation.status_changes.get().note == "Visura ok."
    assert [m.to for m in mail.outbox] == [["ref@example.org"]]
    assert BASE + url("organisation-detail", organisation.pk) in mail.outbox[0].body


def test_staff_verify_an_already_verified_organisation_changes_nothing(client, staff):
    organisation = OrganisationFactory(verified=True)
    login(client, staff)
    before = snapshot()
    response = client.post(url("staff-organisation-verify", organisation.pk), {"checked": "on"})
    assert "cannot go from" in messages_of(response)[0]
    assert snapshot() == before


def test_staff_reject_needs_a_reason(client, staff):
    organisation = OrganisationFactory()
    login(client, staff)
    before = snapshot()
    response = client.post(url("staff-organisation-reject", organisation.pk), {"reason": "   "})
    assert response.status_code == 200
    assert "Give the reason for the rejection: the organisation will read it." in response.content.decode()
    assert snapshot() == before


def test_staff_reject_an_organisation(client, staff, on_commit):
    referent = UserFactory(email="ref@example.org")
    organisation = OrganisationFactory(referent=referent)
    login(client, staff)
    with on_commit():
        response = client.post(url("staff-organisation-reject", organisation.pk), {"reason": "Manca lo statuto."})
    assert response["Location"] == STAFF_LIST_URL
    organisation.refresh_from_db()
    assert (organisation.status, organisation.rejection_reason) == (OrgStatus.REJECTED, "Manca lo statuto.")
    assert "Manca lo statuto." in mail.outbox[0].body
    assert BASE + url("organisation-edit", organisation.pk) in mail.outbox[0].body
    # The referent reads the reason on "my organisations".
    login(client, referent)
    assert "Manca lo statuto." in client.get(MY_URL).content.decode()


# --- Staff: legal representatives -----------------------------------------------------------


def test_legal_representative_list_shows_only_accepted_unconfirmed_ones(client, staff):
    waiting = MembershipFactory(role="legal_representative", user=UserFactory(full_name="Da Confermare"))
    MembershipFactory(confirmed_legal_representative=True, user=UserFactory(full_name="Già Confermato"))
    MembershipFactory(role="legal_representative", pending=True, user=UserFactory(full_name="Ancora Richiesta"))
    MembershipFactory(user=UserFactory(full_name="Solo Socio"))
    login(client, staff)
    response = client.get(LEGAL_LIST_URL)
    assert list(response.context["page"].object_list) == [waiting]
    assert url("staff-legal-representative-confirm", waiting.pk) in response.content.decode()


def test_legal_representative_list_empty_state(client, staff):
    login(client, staff)
    assert "No legal representative awaits confirmation." in client.get(LEGAL_LIST_URL).content.decode()


def test_staff_confirm_a_legal_representative(client, staff, on_commit):
    membership = MembershipFactory(role="legal_representative", user=UserFactory(email="pres@example.org"))
    login(client, staff)
    assert client.get(url("staff-legal-representative-confirm", membership.pk)).status_code == 200
    with on_commit():
        response = client.post(url("staff-legal-representative-confirm", membership.pk), {"tax_code": "rccmnl83s18d969h"})
    assert response["Location"] == LEGAL_LIST_URL
    membership.refresh_from_db()
    assert membership.is_confirmed_legal_representative
    assert (membership.representative_tax_code, membership.confirmed_by) == (PERSONAL_TAX_CODE, staff)
    assert [m.to for m in mail.outbox] == [["pres@example.org"]]
    assert BASE + url("organisation-detail", membership.organisation_id) in mail.outbox[0].body


@pytest.mark.parametrize("tax_code", ["RCCMNL83S18D969X", "00743110157", ""])
def test_confirm_legal_representative_with_an_invalid_codice_fiscale_changes_nothing(client, staff, tax_code):
    membership = MembershipFactory(role="legal_representative")
    login(client, staff)
    before = snapshot()
    response = client.post(url("staff-legal-representative-confirm", membership.pk), {"tax_code": tax_code})
    assert response.status_code == 200
    assert response.context["form"].errors["tax_code"]
    assert snapshot() == before


def test_the_review_page_offers_to_confirm_only_accepted_unconfirmed_members(client, staff):
    organisation = OrganisationFactory(verified=True)
    waiting = MembershipFactory(organisation=organisation, role="legal_representative")
    pending = MembershipFactory(organisation=organisation, pending=True)
    confirmed = MembershipFactory(organisation=organisation, confirmed_legal_representative=True)
    login(client, staff)
    html = client.get(url("staff-organisation-review", organisation.pk)).content.decode()
    assert url("staff-legal-representative-confirm", waiting.pk) in html
    assert url("staff-legal-representative-confirm", pending.pk) not in html
    assert url("staff-legal-representative-confirm", confirmed.pk) not in html


def test_a_request_still_pending_cannot_be_confirmed_as_legal_representative(client, staff):
    membership = MembershipFactory(role="legal_representative", pending=True)
    login(client, staff)
    before = snapshot()
    response = client.get(url("staff-legal-representative-confirm", membership.pk))
    assert response["Location"] == LEGAL_LIST_URL
    assert messages_of(response) == ["Only an accepted member can be confirmed as legal representative."]
    assert snapshot() == before


def test_confirm_an_already_confirmed_legal_representative_changes_nothing(client, staff):
    membership = MembershipFactory(confirmed_legal_representative=True)
    login(client, staff)
    before = snapshot()
    response = client.post(url("staff-legal-representative-confirm", membership.pk), {"tax_code": PERSONAL_TAX_CODE})
    assert response["Location"] == LEGAL_LIST_URL
    assert messages_of(response) == ["This person is already confirmed as legal representative."]
    assert snapshot() == before


def test_confirm_a_pending_request_is_refused(client, staff):
    membership = MembershipFactory(role="legal_representative", pending=True)
    login(client, staff)
    before = snapshot()
    response = client.post(url("staff-legal-representative-confirm", membership.pk), {"tax_code": PERSONAL_TAX_CODE})
    assert messages_of(response) == ["Only an accepted member can be confirmed as legal representative."]
    assert snapshot() == before


# --- Menu -----------------------------------------------------------------------------------


def test_menu_entries_by_role(client, staff):
    home = reverse("home")
    html = client.get(home).content.decode()
    assert f'href="{url("directory")}"' in html
    assert f'href="{MY_URL}"' not in html and f'href="{STAFF_HOME_URL}"' not in html

    login(client, UserFactory())
    html = client.get(home).content.decode()
    assert f'href="{reverse("personal-area")}"' in html and f'href="{STAFF_HOME_URL}"' not in html
    assert f'href="{MY_URL}"' in client.get(reverse("personal-area")).content.decode()

    login(client, staff)
    html = client.get(home).content.decode()
    assert f'href="{reverse("personal-area")}"' in html and f'href="{STAFF_HOME_URL}"' in html
