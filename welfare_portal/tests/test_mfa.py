"""Two-factor authentication for staff: the admin needs an authenticator app, and the admin's
own login form is replaced by allauth's (email verification, TOTP step)."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.messages import WARNING, get_messages
from django.urls import reverse
from django.utils.html import escape

from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def current_code(secret):
    """What the person's authenticator app shows. allauth accepts only the current period's
    code, so in a period's last two seconds wait for the next code, as a person would."""
    remaining = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if remaining < 2:
        time.sleep(remaining)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def staff_with_totp(**kwargs):
    user = UserFactory(staff=True, **kwargs)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def log_in(client, email, next_url=None):
    data = {"login": email, "password": DEFAULT_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_login"), data)


def test_staff_without_totp_opening_the_admin_is_sent_to_set_it_up_with_a_warning(client):
    client.force_login(UserFactory(staff=True))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    messages = list(get_messages(response.wsgi_request))
    assert [message.level for message in messages] == [WARNING]


def test_staff_without_totp_is_sent_to_set_it_up_from_any_admin_page(client):
    client.force_login(UserFactory(staff=True))

    response = client.get("/admin/welfare_portal/user/")

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_without_totp_sees_the_warning_and_can_set_up_totp_then_open_the_admin(client):
    user = UserFactory(staff=True)
    log_in(client, user.email)

    # allauth asks for the password again before adding an authenticator.
    response = client.get("/admin/", follow=True)
    assert [url for url, _ in response.redirect_chain][:1] == [reverse("mfa_activate_totp")]
    assert response.resolver_match.url_name == "account_reauthenticate"
    [warning] = [m for m in response.context["messages"] if m.level == WARNING]
    assert escape(str(warning)) in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": DEFAULT_PASSWORD}, follow=True)
    assert response.resolver_match.url_name == "mfa_activate_totp"
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200


def test_staff_with_totp_reaches_the_admin_after_logging_in_with_password_and_code(client):
    user, secret = staff_with_totp()

    response = log_in(client, user.email, next_url="/admin/")

    # The password alone is not enough: allauth asks for the code before logging in.
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    # Until the code is given, the admin sends the person back to the code step.
    assert client.get("/admin/", follow=True).resolver_match.url_name == "mfa_authenticate"

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.session["_auth_user_id"] == str(user.pk)
    admin_index = client.get("/admin/")
    assert admin_index.status_code == 200
    assert admin_index.context["site_header"]


def test_a_wrong_totp_code_does_not_log_staff_in(client):
    user, secret = staff_with_totp()
    log_in(client, user.email, next_url="/admin/")
    wrong = "000000" if current_code(secret) != "000000" else "111111"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session


def test_non_staff_users_are_not_redirected_on_ordinary_pages(client):
    client.force_login(UserFactory())

    for path in ["/", reverse("privacy"), reverse("account_email")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not list(get_messages(response.wsgi_request)), path


def test_staff_without_totp_are_not_redirected_outside_the_staff_pages(client):
    client.force_login(UserFactory(staff=True))

    response = client.get("/")

    assert response.status_code == 200


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
