"""The outreach board in the browser's place: who may open each page, what each action changes,
the invitation link and its way through sign-up to the organisation's registration."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners import services
from partners.models import Organisation, OrganisationKind, OutreachContact, OutreachStatusChange
from partners.tests.factories import OrganisationFactory, OutreachContactFactory, SteeringGroupMemberFactory
from welfare_portal.models import User
from welfare_portal.tests.factories import DEFAULT_PASSWORD, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = OutreachContact.Status
BOARD = "/gruppo-di-regia/contatti/"


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages in English too, so the tests assert on the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def member():
    return SteeringGroupMemberFactory(user__full_name="Chiara Colombo").user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def contact():
    return OutreachContactFactory(name="Associazione Il Ponte", email="info@ilponte.example.org")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _messages(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def _snapshot(contact):
    contact = OutreachContact.objects.get(pk=contact.pk)
    return (
        contact.name, contact.email, contact.status, contact.assigned_to_id, contact.invited_at,
        contact.status_changes.count(),
    )


def test_urls_are_italian_and_named():
    assert reverse("partners:outreach-board") == BOARD
    assert reverse("partners:outreach-create") == BOARD + "nuovo/"
    assert reverse("partners:outreach-detail", args=[7]) == BOARD + "7/"
    assert reverse("partners:outreach-invitation", args=["abc"]) == "/invito/abc/"


# Who may open what


def _pages(contact):
    """(method, url) of every board page and action."""
    return [
        ("get", BOARD),
        ("get", BOARD + "nuovo/"),
        ("post", BOARD + "nuovo/"),
        ("get", f"{BOARD}{contact.pk}/"),
        ("get", f"{BOARD}{contact.pk}/modifica/"),
        ("post", f"{BOARD}{contact.pk}/modifica/"),
        ("post", f"{BOARD}{contact.pk}/assegna/"),
        ("post", f"{BOARD}{contact.pk}/stato/"),
        ("get", f"{BOARD}{contact.pk}/invito/"),
        ("post", f"{BOARD}{contact.pk}/invito/"),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, contact):
    before = _snapshot(contact)
    for method, url in _pages(contact):
        response = getattr(client, method)(url, {"to_status": Status.CONTACTED, "name": "X"})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert _snapshot(contact) == before
    assert OutreachContact.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["outsider", "ex_member", "organisation_referent"])
def test_logged_in_non_members_are_refused(client, contact, who):
    if who == "outsider":
        user = UserFactory()
    elif who == "ex_member":
        user = SteeringGroupMemberFactory(ended=True).user
    else:
        user = UserFactory()
        OrganisationFactory(verified=True, referent=user)
    client.force_login(user)
    before = _snapshot(contact)
    for method, url in _pages(contact):
        response = getattr(client, method)(url, {"to_status": Status.CONTACTED, "name": "X", "kind": "school"})
        assert response.status_code == 403, url
    assert _snapshot(contact) == before
    assert OutreachContact.objects.count() == 1
    assert mail.outbox == []


def test_staff_work_on_the_board_too(client, contact):
    client.force_login(UserFactory(staff=True))
    assert client.get(BOARD).status_code == 200
    assert client.get(f"{BOARD}{contact.pk}/").status_code == 200


def test_action_views_accept_only_post(member_client, contact):
    for action in ("assegna", "stato"):
        assert member_client.get(f"{BOARD}{contact.pk}/{action}/").status_code == 405


def test_unknown_contact_is_404(member_client):
    assert member_client.get(f"{BOARD}999999/").status_code == 404


def test_menu_leads_to_outreach_only_those_who_may_use_it(client, member):
    client.force_login(UserFactory())
    assert 'href="/regia/"' not in client.get("/").content.decode()
    client.force_login(member)
    assert 'href="/regia/"' in client.get("/").content.decode()
    assert f'href="{BOARD}"' in client.get("/regia/").content.decode()


# The board


def test_board_counts_per_status_and_lists_contacts(member_client):
    for status, count in [(Status.TO_CONTACT, 3), (Status.CONTACTED, 2), (Status.JOINED, 1)]:
        OutreachContactFactory.create_batch(count, status=status)
    response = member_client.get(BOARD)
    assert response.status_code == 200
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts == {"to_contact": 3, "contacted": 2, "interested": 0, "joined": 1, "declined": 0}
    html = response.content.decode()
    assert re.search(r'data-status="contacted".*?<span[^>]*status-count">2<', html, re.S)
    assert len(response.context["page"].object_list) == 6


def test_board_empty_state(member_client):
    response = member_client.get(BOARD)
    assert "No potential partners on the board yet." in response.content.decode()


def test_board_filters_that_match_nothing_say_so(member_client, contact):
    response = member_client.get(BOARD, {"q": "nessuno così"})
    html = response.content.decode()
    assert "No contact matches these filters." in html
    assert "Associazione Il Ponte" not in html


def _names(response):
    return sorted(contact.name for contact in response.context["page"].object_list)


def test_board_search_looks_in_name_email_and_notes(member_client):
    OutreachContactFactory(name="Cooperativa Arcobaleno")
    OutreachContactFactory(name="Scuola Manzoni", email="segreteria@arcobaleno.example.org")
    OutreachContactFactory(name="Fondazione Ticino", notes="Parlare con Arcobaleno prima")
    OutreachContactFactory(name="Sindacato")
    response = member_client.get(BOARD, {"q": "arcobaleno"})
    assert _names(response) == ["Cooperativa Arcobaleno", "Fondazione Ticino", "Scuola Manzoni"]


def test_board_filters_by_status_kind_municipality_and_assignee(member_client, member):
    legnano = MunicipalityFactory(name="Legnano")
    colleague = SteeringGroupMemberFactory().user
    OutreachContactFactory(name="A", status=Status.INTERESTED, kind=OrganisationKind.SCHOOL,
                           municipality=legnano, assigned_to=member)
    OutreachContactFactory(name="B", status=Status.INTERESTED, kind=OrganisationKind.SCHOOL,
                           assigned_to=colleague)
    OutreachContactFactory(name="C", status=Status.INTERESTED, kind=OrganisationKind.FOUNDATION,
                           municipality=legnano)
    OutreachContactFactory(name="D", municipality=legnano, assigned_to=member)
    assert _names(member_client.get(BOARD, {"status": "interested"})) == ["A", "B", "C"]
    assert _names(member_client.get(BOARD, {"kind": "school"})) == ["A", "B"]
    assert _names(member_client.get(BOARD, {"municipality": legnano.pk})) == ["A", "C", "D"]
    assert _names(member_client.get(BOARD, {"assigned_to": colleague.pk})) == ["B"]
    assert _names(member_client.get(BOARD, {"mine": "on"})) == ["A", "D"]
    assert _names(member_client.get(BOARD, {"mine": "on", "status": "interested"})) == ["A"]


def test_board_assignee_filter_lists_members_and_ex_members_who_still_follow_contacts(member_client, member):
    ex_member = SteeringGroupMemberFactory(ended=True, user__full_name="Anna Galli").user
    UserFactory(full_name="Mario Estraneo")  # follows nothing, holds no seat
    OutreachContactFactory(name="Lasciato", assigned_to=ex_member)
    response = member_client.get(BOARD)
    choices = {label for _value, label in response.context["filter"].form.fields["assigned_to"].choices}
    assert {"Chiara Colombo", "Anna Galli"} <= choices
    assert "Mario Estraneo" not in choices
    assert _names(member_client.get(BOARD, {"assigned_to": ex_member.pk})) == ["Lasciato"]


def test_board_paginates(member_client):
    OutreachContactFactory.create_batch(25)
    first = member_client.get(BOARD)
    assert len(first.context["page"].object_list) == 20
    assert 'aria-label="Pages"' in first.content.decode()
    second = member_client.get(BOARD, {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_pagination_keeps_the_filters(member_client):
    OutreachContactFactory.create_batch(21, kind=OrganisationKind.SCHOOL)
    html = member_client.get(BOARD, {"kind": "school"}).content.decode()
    assert "?kind=school&amp;page=2" in html


@pytest.mark.parametrize("rows", [10, 200])
def test_board_runs_the_same_queries_whatever_the_number_of_contacts(
    member_client, member, rows, django_assert_max_num_queries
):
    municipalities = [MunicipalityFactory() for _ in range(3)]
    colleague = SteeringGroupMemberFactory().user
    for n in range(rows):
        OutreachContactFactory(
            municipality=municipalities[n % 3], assigned_to=(member, colleague, None)[n % 3],
            status=Status.values[n % 5],
        )
    # session, user, steering seat (view permission), steering seat ("add" button), status
    # counts (one aggregate), paginator count, page rows (municipality and assignee joined),
    # municipality and assignee choices of the filters, steering seat (menu entry): 10, the
    # same for any number of rows.
    with django_assert_max_num_queries(10):
        response = member_client.get(BOARD, {"mine": "", "status": ""})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 20)


def test_board_query_count_does_not_grow(member_client, member):
    def count(rows):
        OutreachContact.objects.all().delete()
        OutreachContactFactory.create_batch(rows, assigned_to=member)
        with CaptureQueriesContext(connection) as queries:
            member_client.get(BOARD)
        return len(queries)

    assert count(10) == count(200)


# Creating and editing a contact


def test_member_adds_a_contact(member_client, member, on_commit):
    parabiago = MunicipalityFactory(name="Parabiago")
    colleague = SteeringGroupMemberFactory().user
    with on_commit():
        response = member_client.post(BOARD + "nuovo/", {
            "name": "Fondazione Ticino Olona", "email": "info@ticino.example.org",
            "kind": OrganisationKind.FOUNDATION, "municipality": parabiago.pk,
            "notes": "Contatto dal forum del Terzo Settore", "assigned_to": colleague.pk,
        })
    contact = OutreachContact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}{contact.pk}/"
    assert (contact.name, contact.status, contact.assigned_to, contact.created_by) == (
        "Fondazione Ticino Olona", Status.TO_CONTACT, colleague, member,
    )
    assert list(contact.status_changes.values_list("from_status", "to_status")) == [("", "to_contact")]
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_add_contact_form_shows_errors_and_creates_nothing(member_client):
    response = member_client.post(BOARD + "nuovo/", {"name": "", "email": "not-an-email", "kind": "nope"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "email", "kind"}
    assert not OutreachContact.objects.exists()


def test_add_contact_offers_only_current_members_as_assignees(member_client):
    outsider = UserFactory()
    ex_member = SteeringGroupMemberFactory(ended=True).user
    for person in (outsider, ex_member):
        response = member_client.post(BOARD + "nuovo/", {
            "name": "X", "kind": OrganisationKind.SCHOOL, "assigned_to": person.pk,
        })
        assert "assigned_to" in response.context["form"].errors
    assert not OutreachContact.objects.exists()


def test_member_edits_a_contact(member_client, contact):
    response = member_client.post(f"{BOARD}{contact.pk}/modifica/", {
        "name": "Il Ponte APS", "email": "presidenza@ilponte.example.org",
        "kind": OrganisationKind.SOCIAL_PROMOTION_ASSOCIATION, "notes": "Richiamare",
    })
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.municipality) == (
        "Il Ponte APS", "presidenza@ilponte.example.org", None,
    )
    assert contact.status == Status.TO_CONTACT
    assert "assigned_to" not in member_client.get(f"{BOARD}{contact.pk}/modifica/").context["form"].fields


def test_edit_with_bad_input_changes_nothing(member_client, contact):
    before = _snapshot(contact)
    response = member_client.post(f"{BOARD}{contact.pk}/modifica/", {"name": "", "email": "x", "kind": "school"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email"}
    assert _snapshot(contact) == before


# The contact's page and its actions


def test_detail_shows_the_dated_history_with_who_and_notes(member_client, member, contact):
    services.move_outreach_contact(contact, Status.CONTACTED, by=member, note="Telefonata del lunedì")
    response = member_client.get(f"{BOARD}{contact.pk}/")
    html = response.content.decode()
    history = re.search(r'<table class="table" id="contact-history">.*?</table>', html, re.S).group(0)
    assert "Chiara Colombo" in history
    assert "To contact" in history and "Contacted" in history
    assert "Telefonata del lunedì" in history
    assert "<time datetime=" in history


def test_detail_offers_only_the_allowed_next_statuses(member_client):
    contact = OutreachContactFactory(status=Status.INTERESTED)
    form = member_client.get(f"{BOARD}{contact.pk}/").context["move_form"]
    assert [value for value, _label in form.fields["to_status"].choices] == ["joined", "declined"]


def test_joined_contact_has_no_move_form_and_no_invitation(member_client):
    contact = OutreachContactFactory(status=Status.JOINED)
    html = member_client.get(f"{BOARD}{contact.pk}/").content.decode()
    assert 'id="move-form"' not in html
    assert f"{BOARD}{contact.pk}/invito/" not in html


def test_member_moves_a_contact(member_client, member, contact):
    response = member_client.post(f"{BOARD}{contact.pk}/stato/", {"to_status": "interested", "note": "Vuole aderire"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == Status.INTERESTED
    change = contact.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "to_contact", "interested", member, "Vuole aderire",
    )


def test_a_refused_move_shows_a_message_and_changes_nothing(member_client):
    contact = OutreachContactFactory(status=Status.INTERESTED)
    before = _snapshot(contact)
    response = member_client.post(f"{BOARD}{contact.pk}/stato/", {"to_status": "to_contact"})
    assert response.status_code == 400
    assert "to_status" in response.context["move_form"].errors
    assert _snapshot(contact) == before


def test_member_assigns_a_contact(member_client, member, contact, on_commit):
    colleague = SteeringGroupMemberFactory(user__full_name="Luca Ferrari").user
    with on_commit():
        response = member_client.post(f"{BOARD}{contact.pk}/assegna/", {"assignee": colleague.pk}, follow=True)
    contact.refresh_from_db()
    assert contact.assigned_to == colleague
    assert "The contact is now assigned to Luca Ferrari." in _messages(response)
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert contact.status_changes.get().note == "Assigned to Luca Ferrari."


def test_assigning_to_a_non_member_is_refused(member_client, member, contact):
    outsider = UserFactory()
    before = _snapshot(contact)
    response = member_client.post(f"{BOARD}{contact.pk}/assegna/", {"assignee": outsider.pk})
    assert response.status_code == 400
    assert "assignee" in response.context["assign_form"].errors
    assert _snapshot(contact) == before


def test_invitation_confirmation_page_then_send(member_client, member, contact, on_commit):
    page = member_client.get(f"{BOARD}{contact.pk}/invito/")
    assert page.status_code == 200
    assert "info@ilponte.example.org" in page.content.decode()
    assert contact.status_changes.count() == 0 and mail.outbox == []  # the GET sends nothing

    with on_commit():
        response = member_client.post(f"{BOARD}{contact.pk}/invito/", follow=True)
    assert response.redirect_chain[-1][0] == f"{BOARD}{contact.pk}/"
    assert "The invitation has been sent to info@ilponte.example.org." in _messages(response)
    contact.refresh_from_db()
    assert contact.status == Status.CONTACTED
    assert contact.invited_at is not None
    assert len(mail.outbox) == 1
    assert re.search(r"/invito/[^/\s]+/", mail.outbox[0].body)
    assert "Last sent on" in response.content.decode()

    # Sending again is allowed, and the confirmation says when the last one left.
    again = member_client.get(f"{BOARD}{contact.pk}/invito/")
    assert "An invitation was already sent on" in again.content.decode()
    with on_commit():
        member_client.post(f"{BOARD}{contact.pk}/invito/")
    assert len(mail.outbox) == 2


def test_invitation_without_email_is_explained_and_nothing_is_sent(member_client):
    contact = OutreachContactFactory(email="")
    page = member_client.get(f"{BOARD}{contact.pk}/invito/").content.decode()
    assert "Add an email address to the contact before sending the invitation." in page
    before = _snapshot(contact)
    response = member_client.post(f"{BOARD}{contact.pk}/invito/")
    assert response.status_code == 200
    assert "Add an email address to the contact before sending the invitation." in _messages(response)
    assert _snapshot(contact) == before
    assert mail.outbox == []


def test_invitation_refused_for_a_joined_contact(member_client):
    contact = OutreachContactFactory(status=Status.JOINED)
    before = _snapshot(contact)
    response = member_client.post(f"{BOARD}{contact.pk}/invito/", follow=True)
    assert "This contact has already joined: there is nobody left to invite." in _messages(response)
    assert _snapshot(contact) == before
    assert mail.outbox == []


# The public invitation page


def test_invalid_invitation_link_shows_a_clear_error_and_stores_nothing(client):
    response = client.get("/invito/not-a-real-token/")
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()
    assert services.INVITATION_SESSION_KEY not in client.session


def test_expired_invitation_link_says_so(client, contact, settings):
    token = services.make_invitation_token(contact)
    settings.OUTREACH_INVITATION_MAX_AGE = -1
    response = client.get(f"/invito/{token}/")
    assert response.status_code == 400
    assert "This invitation link has expired." in response.content.decode()
    assert services.INVITATION_SESSION_KEY not in client.session


def test_used_invitation_link_says_so(client):
    contact = OutreachContactFactory(status=Status.JOINED)
    response = client.get(f"/invito/{services.make_invitation_token(contact)}/")
    assert response.status_code == 400
    assert "This invitation has already been used" in response.content.decode()


def test_a_bad_link_does_not_replace_a_valid_invitation_in_the_session(client, contact):
    token = services.make_invitation_token(contact)
    client.get(f"/invito/{token}/")
    client.get("/invito/forged/")
    assert client.session[services.INVITATION_SESSION_KEY] == token


def test_valid_invitation_welcomes_the_contact_and_keeps_the_token(client, contact):
    token = services.make_invitation_token(contact)
    response = client.get(f"/invito/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome, Associazione Il Ponte" in html
    assert 'href="/accounts/signup/?next=%2Fenti%2Fregistra%2F"' in html
    assert 'href="/accounts/login/?next=%2Fenti%2Fregistra%2F"' in html
    assert client.session[services.INVITATION_SESSION_KEY] == token
    assert response["Cache-Control"].startswith("max-age=0")
    # Opening the page changes nothing on the board.
    assert _snapshot(contact)[2:] == (Status.TO_CONTACT, None, None, 0)


def test_logged_in_person_goes_straight_to_registration(client, contact):
    client.force_login(UserFactory())
    html = client.get(f"/invito/{services.make_invitation_token(contact)}/").content.decode()
    assert 'href="/enti/registra/"' in html
    assert "/accounts/signup/" not in re.search(r"<main.*</main>", html, re.S).group(0)


def _registration_data(**overrides):
    return {
        "name": "Il Ponte APS", "kind": OrganisationKind.VOLUNTEERING, "legal_form": "APS",
        "tax_code": "00743110157", "seat_municipality": MunicipalityFactory(name="Legnano").pk,
        "email": "info@ilponte.example.org", **overrides,
    }


def test_invitation_survives_sign_up_email_confirmation_and_login_then_joins(client, member, contact, on_commit):
    """The whole path of an invited person, in one browser session."""
    with on_commit():
        services.send_outreach_invitation(contact, by=member)
    link = re.search(r"https?://[^/\s]+(/invito/[^/\s]+/)", mail.outbox[-1].body).group(1)
    welcome = client.get(link)
    assert welcome.status_code == 200
    signup_url = welcome.context["signup_url"]
    session_key_before = client.session.session_key

    # Sign-up: verification is mandatory, so the person is not logged in yet.
    with on_commit():
        response = client.post(signup_url, {
            "full_name": "Giulia Bianchi", "email": "giulia@ilponte.example.org",
            "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
        })
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    confirmation = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)

    # Confirming logs the person in (allauth rotates the session key, keeping the data) and
    # leads to the registration page named in `next`.
    response = client.post(confirmation)
    assert response.status_code == 302
    assert response["Location"] == "/enti/registra/"
    user = User.objects.get(email="giulia@ilponte.example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != session_key_before
    assert client.session[services.INVITATION_SESSION_KEY]

    form_page = client.get("/enti/registra/")
    assert form_page.status_code == 200
    with on_commit():
        response = client.post("/enti/registra/", _registration_data())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Il Ponte APS")
    contact.refresh_from_db()
    assert (contact.status, contact.organisation) == (Status.JOINED, organisation)
    last = contact.status_changes.order_by("-pk").first()
    assert (last.from_status, last.to_status, last.changed_by) == ("contacted", "joined", user)
    assert services.INVITATION_SESSION_KEY not in client.session
    # The link is now used.
    assert client.get(link).status_code == 400


def test_invitation_survives_logging_in_with_an_existing_account(client, contact, on_commit):
    user = UserFactory()
    token = services.make_invitation_token(contact)
    login_url = client.get(f"/invito/{token}/").context["login_url"]
    response = client.post(login_url, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/enti/registra/"
    assert client.session[services.INVITATION_SESSION_KEY] == token
    with on_commit():
        client.post("/enti/registra/", _registration_data())
    contact.refresh_from_db()
    assert contact.status == Status.JOINED
    assert contact.organisation.name == "Il Ponte APS"


def test_registering_without_an_invitation_links_no_contact(client, contact):
    client.force_login(UserFactory())
    client.post("/enti/registra/", _registration_data())
    assert Organisation.objects.filter(name="Il Ponte APS").exists()
    assert OutreachStatusChange.objects.count() == 0
    contact.refresh_from_db()
    assert contact.status == Status.TO_CONTACT


def test_add_contact_form_proposes_the_member_as_assignee(member_client, member):
    form = member_client.get(BOARD + "nuovo/").context["form"]
    assert form["assigned_to"].value() == member.pk


@pytest.mark.parametrize("changes", [2, 30])
def test_contact_page_runs_the_same_queries_whatever_the_history(
    member_client, member, contact, changes, django_assert_max_num_queries
):
    colleague = SteeringGroupMemberFactory().user
    for n in range(changes):
        services.assign_outreach_contact(contact, by=member, assignee=(colleague, member)[n % 2])
    # session, user, steering seat x3 (view, change and invite permissions), the contact (with
    # municipality, assignee, organisation), history rows with their authors, assignee choices
    # of the form, steering seat (menu entry): 9.
    with django_assert_max_num_queries(9):
        response = member_client.get(f"{BOARD}{contact.pk}/")
    assert len(response.context["history"]) == changes


# The admin


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True, totp=True))
    return client


ADMIN = "/admin/partners/outreachcontact/"


def test_admin_lists_searches_and_filters_contacts(staff_client):
    OutreachContactFactory(name="Cooperativa Arcobaleno", status=Status.INTERESTED)
    OutreachContactFactory(name="Scuola Manzoni", notes="Parlare con la dirigente")
    assert staff_client.get(ADMIN).status_code == 200
    response = staff_client.get(ADMIN, {"q": "dirigente"})
    assert [c.name for c in response.context["cl"].result_list] == ["Scuola Manzoni"]
    response = staff_client.get(ADMIN, {"status__exact": "interested"})
    assert [c.name for c in response.context["cl"].result_list] == ["Cooperativa Arcobaleno"]


def test_admin_shows_history_read_only_and_status_not_editable(staff_client, member, contact):
    services.move_outreach_contact(contact, Status.CONTACTED, by=member, note="Prima telefonata")
    response = staff_client.get(f"{ADMIN}{contact.pk}/change/")
    html = response.content.decode()
    assert "Prima telefonata" in html
    assert 'name="status"' not in html
    assert 'name="status_changes-0-note"' not in html


def test_admin_adds_a_contact_through_the_service(staff_client):
    response = staff_client.post(f"{ADMIN}add/", {
        "name": "Fondazione Ticino", "email": "", "kind": OrganisationKind.FOUNDATION, "notes": "",
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    contact = OutreachContact.objects.get(name="Fondazione Ticino")
    assert list(contact.status_changes.values_list("from_status", "to_status")) == [("", "to_contact")]


def test_admin_refuses_an_assignee_outside_the_group(staff_client, contact):
    outsider = UserFactory()
    before = _snapshot(contact)
    response = staff_client.post(f"{ADMIN}{contact.pk}/change/", {
        "name": "Nome cambiato", "email": contact.email, "kind": contact.kind, "notes": "",
        "municipality": contact.municipality_id, "assigned_to": outsider.pk,
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    })
    # The service refuses after the details were saved: both are undone, the form shows why.
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        f"{outsider.full_name} is not a current member of the steering group: only members can follow a contact."
    ]
    assert response.context["adminform"].form["assigned_to"].value() == str(outsider.pk)
    assert not [m for m in response.context["messages"] if "successfully" in str(m)]
    assert _snapshot(contact) == before


def test_admin_action_sends_invitations(staff_client, contact, on_commit):
    joined = OutreachContactFactory(status=Status.JOINED)
    with on_commit():
        staff_client.post(ADMIN, {
            "action": "send_invitation", "_selected_action": [contact.pk, joined.pk],
        })
    assert [m.to for m in mail.outbox] == [["info@ilponte.example.org"]]
    contact.refresh_from_db()
    assert contact.status == Status.CONTACTED
    joined.refresh_from_db()
    assert joined.invited_at is None
