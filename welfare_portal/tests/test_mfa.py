"""Two-factor authentication for staff: every page of a staff account needs an authenticator
app, except what setting one up needs (the account pages, log-out, the language switch); the
admin's own login form is replaced by allauth's (email verification, TOTP step). After the
set-up, the person continues where they were sent away from."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, generate_totp_secret
from django.contrib.messages import WARNING, get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from partners.tests.event_factories import EventFactory, EventRegistrationFactory
from partners.tests.factories import OrganisationFactory
from projects.models import Milestone, Phase
from welfare_portal.tests.browser import current_totp_code
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory
from welfare_portal.two_factor import CONTINUE_SESSION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

SET_UP = reverse("mfa_activate_totp")
STAFF_WARNING = "Staff accounts need two-factor authentication for every page."


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def staff_with_totp(**kwargs):
    secret = generate_totp_secret()
    return UserFactory(staff=True, totp=secret, **kwargs), secret


def log_in(client, email, next_url=None):
    data = {"login": email, "password": DEFAULT_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_login"), data)


def warnings_of(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == WARNING]


def assert_sent_to_set_up(response):
    assert response.status_code == 302
    assert response["Location"] == SET_UP
    assert any(STAFF_WARNING in message for message in warnings_of(response))


def milestone_post():
    return {
        "phase": Phase.FOCUS_GROUPS, "title": "Primo incontro dei focus group", "description": "",
        "due_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), "order": "0",
    }


def staff_pages():
    """Pages of every kind: public, steering group, staff, admin, personal."""
    organisation = OrganisationFactory()
    return [
        "/", reverse("projects:theme-list"), reverse("partners:directory"), reverse("steering-workspace"),
        reverse("projects:timeline"), reverse("projects:review-queue"), reverse("partners:event-manage-list"),
        reverse("partners:staff-home"), reverse("partners:staff-organisation-review", args=[organisation.pk]),
        "/admin/", "/admin/welfare_portal/user/", reverse("personal-area"),
    ]


# --- Staff without an authenticator app ------------------------------------------------------


def test_staff_without_totp_are_sent_to_set_it_up_from_every_page_with_a_warning(client):
    client.force_login(UserFactory(staff=True, totp=False))
    for page in staff_pages():
        assert_sent_to_set_up(client.get(page))


def test_staff_with_totp_open_every_page(client):
    client.force_login(UserFactory(staff=True))  # the staff factory gives an authenticator app
    for page in staff_pages():
        response = client.get(page)
        assert response.status_code == 200, page
        assert not warnings_of(response), page


def test_staff_without_totp_cannot_create_a_milestone(client):
    client.force_login(UserFactory(staff=True, totp=False))
    assert_sent_to_set_up(client.post(reverse("projects:milestone-create"), milestone_post()))
    assert not Milestone.objects.exists()


def test_staff_with_totp_create_a_milestone(client):
    client.force_login(UserFactory(staff=True))
    response = client.post(reverse("projects:milestone-create"), milestone_post())
    assert response.status_code == 302 and response["Location"] != SET_UP
    assert Milestone.objects.get().title == "Primo incontro dei focus group"


def test_staff_without_totp_cannot_download_an_events_registrations(client):
    registration = EventRegistrationFactory(email="marta.verdi@example.org")
    client.force_login(UserFactory(staff=True, totp=False))
    response = client.get(reverse("partners:event-registrations-csv", args=[registration.event.pk]))
    assert_sent_to_set_up(response)
    assert b"marta.verdi@example.org" not in response.content


def test_staff_with_totp_download_an_events_registrations(client):
    registration = EventRegistrationFactory(email="marta.verdi@example.org")
    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("partners:event-registrations-csv", args=[registration.event.pk]))
    assert response.status_code == 200
    assert "marta.verdi@example.org" in response.content.decode("utf-8-sig")


def test_a_superuser_without_totp_is_sent_to_set_it_up_too(client):
    client.force_login(UserFactory(is_superuser=True, totp=False))
    assert_sent_to_set_up(client.get("/"))


def test_staff_without_totp_reach_their_account_the_set_up_the_language_switch_and_log_out(client):
    user = UserFactory(staff=True, totp=False)
    client.force_login(user)
    for page in [reverse("account_email"), reverse("account_change_password"), reverse("mfa_index")]:
        assert client.get(page).status_code == 200, page
    # The set-up first asks for the password again, on an account page too.
    assert client.get(SET_UP, follow=True).resolver_match.url_name == "account_reauthenticate"
    response = client.post(reverse("set_language"), {"language": "it", "next": SET_UP})
    assert response.status_code == 302 and response["Location"] == SET_UP
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_powers_need_totp_in_the_rules_too(client):
    """Defence in depth: a view or admin page that forgot to ask still gets no from the rules."""
    without = UserFactory(is_staff=True, totp=False)  # not a superuser, to whom has_perm says yes
    with_totp = UserFactory(is_staff=True)
    organisation = OrganisationFactory()
    event = EventFactory()
    for perm, obj in [
        ("partners.verify_organisation", organisation), ("partners.change_organisation", organisation),
        ("partners.appoint_steering_member", None), ("partners.view_eventregistration", event),
        ("projects.add_milestone", None), ("projects.view_review_queue", None), ("projects.add_theme", None),
        ("charter.add_charterversion", None), ("charter.view_signature_audit", None),
    ]:
        assert not without.has_perm(perm, obj), perm
        assert with_totp.has_perm(perm, obj), perm


@pytest.mark.parametrize("page", ["steering-workspace", "projects:review-queue", "partners:staff-home"])
def test_the_authenticator_is_asked_once_per_request(client, page):
    """The middleware, the menu and every permission of the page share one answer."""
    client.force_login(UserFactory(is_staff=True))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(page)).status_code == 200
    assert len([q for q in queries if "mfa_authenticator" in q["sql"]]) == 1


# --- Setting it up, and continuing ------------------------------------------------------------


def test_staff_set_up_totp_then_continue_to_the_page_they_opened(client):
    user = UserFactory(staff=True, totp=False)
    log_in(client, user.email)
    page = reverse("steering-workspace")

    # allauth asks for the password again before adding an authenticator.
    response = client.get(page, follow=True)
    assert [url for url, _ in response.redirect_chain][:1] == [SET_UP]
    assert response.resolver_match.url_name == "account_reauthenticate"
    [warning] = [m for m in response.context["messages"] if m.level == WARNING]
    assert escape(str(warning)) in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": DEFAULT_PASSWORD}, follow=True)
    assert response.resolver_match.url_name == "mfa_activate_totp"
    assert 'id="two-factor-continue"' not in response.content.decode()  # not before it is active
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(SET_UP, {"code": current_totp_code(secret)}, follow=True)

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert response.resolver_match.url_name == "mfa_view_recovery_codes"
    html = response.content.decode()
    assert 'id="two-factor-continue"' in html and f'href="{page}"' in html
    assert client.get(page).status_code == 200
    assert CONTINUE_SESSION_KEY not in client.session  # offered once it is no longer needed
    assert 'id="two-factor-continue"' not in client.get(reverse("mfa_index")).content.decode()


def test_a_refused_post_continues_on_the_page_of_the_form(client):
    user = UserFactory(staff=True, totp=False)
    client.force_login(user)
    timeline = "http://testserver" + reverse("projects:timeline")
    client.post(reverse("projects:milestone-create"), milestone_post(), HTTP_REFERER=timeline)
    assert client.session[CONTINUE_SESSION_KEY] == timeline
    client.post(reverse("projects:milestone-create"), milestone_post(), HTTP_REFERER="https://evil.example/")
    assert client.session[CONTINUE_SESSION_KEY] == timeline  # never another site


# --- Logging in with the code -----------------------------------------------------------------


def test_staff_with_totp_reaches_the_admin_after_logging_in_with_password_and_code(client):
    user, secret = staff_with_totp()

    response = log_in(client, user.email, next_url="/admin/")

    # The password alone is not enough: allauth asks for the code before logging in.
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    # Until the code is given, the admin sends the person back to the code step.
    assert client.get("/admin/", follow=True).resolver_match.url_name == "mfa_authenticate"

    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.session["_auth_user_id"] == str(user.pk)
    admin_index = client.get("/admin/")
    assert admin_index.status_code == 200
    assert admin_index.context["site_header"]


def test_a_wrong_totp_code_does_not_log_staff_in(client):
    user, secret = staff_with_totp()
    log_in(client, user.email, next_url="/admin/")
    wrong = "000000" if current_totp_code(secret) != "000000" else "111111"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session


def test_non_staff_users_are_not_redirected_on_ordinary_pages(client):
    client.force_login(UserFactory())

    for path in ["/", reverse("privacy"), reverse("account_email"), reverse("personal-area")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not list(get_messages(response.wsgi_request)), path


def test_anonymous_user_opening_the_admin_is_sent_to_allauth_login(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_login") + "?next=%2Fadmin%2F"
    assert response.status_code == 200
    assert response.resolver_match.url_name == "account_login"
    assert "admin/login.html" not in [template.name for template in response.templates]


def test_admin_login_url_itself_redirects_to_allauth_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2F"


def test_non_staff_user_opening_the_admin_gets_403(client):
    client.force_login(UserFactory())

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]
