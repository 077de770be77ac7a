"""allauth's own forms that write to an address typed by a stranger (password reset, sign-up)
are limited per client and per address, per hour and per day, count the real client behind
the proxy, and answer with the portal's Italian 429 page. The sign-up name stays on one line."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from django.utils import translation

from welfare_portal.models import User
from welfare_portal.ratelimits import recipient_key, too_many_requests
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def reset(client, email, **extra):
    return client.post(reverse("account_reset_password"), {"email": email}, **extra)


def sign_up(client, email, full_name="Mario Verdi", **extra):
    data = {"full_name": full_name, "email": email, "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD}
    return client.post(reverse("account_signup"), data, **extra)


def test_password_reset_emails_to_one_address_are_limited_per_hour(client):
    UserFactory(email="anna@example.org")
    codes = [reset(client, "anna@example.org", REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    # Someone else resets their own password at once.
    UserFactory(email="marco@example.org")
    assert reset(client, "marco@example.org", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_password_reset_to_unknown_addresses_is_limited_per_client(client):
    """allauth tells an unknown address that it has no account: a stranger cannot use that to
    write to address after address."""
    codes = [reset(client, f"nobody{n}@example.org").status_code for n in range(6)]
    assert codes == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_sign_ups_are_limited_per_client(client):
    codes = [sign_up(client, f"person{n}@example.org").status_code for n in range(6)]
    assert codes == [302] * 5 + [429]
    assert User.objects.count() == len(mail.outbox) == 5


def test_allauth_counts_the_real_client_behind_the_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(5):
        assert reset(client, f"nobody{n}@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 302
    spoofed = reset(client, "nobody9@example.org", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5", **proxy)
    assert spoofed.status_code == 429
    assert reset(client, "nobody9@example.org", HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 302


def test_allauth_answers_with_the_portal_429_page_in_italian(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "it"
    for n in range(5):
        reset(client, f"nobody{n}@example.org")
    response = reset(client, "nobody9@example.org")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Troppe richieste" in content and "Si prega di riprovare più tardi." in content


def test_the_sign_up_name_stays_on_one_line_in_the_verification_email(client):
    response = sign_up(client, "mario@example.org", full_name="Mario\r\nVerdi\n\nUfficio pagamenti:\x1b urgente")
    assert response.status_code == 302
    assert User.objects.get().full_name == "Mario Verdi Ufficio pagamenti: urgente"
    [message] = mail.outbox
    assert "Mario Verdi Ufficio pagamenti: urgente" in message.body
    assert "Mario" not in message.body.splitlines()[0]


@pytest.mark.parametrize("address, key", [
    (" Anna.Rossi@Example.ORG ", "anna.rossi@example.org"),
    ("anna.rossi+eventi@example.org", "anna.rossi@example.org"),
    ("anna@example.org", "anna@example.org"),
])
def test_one_mailbox_is_one_recipient(address, key):
    assert recipient_key(address) == key


def test_a_mistyped_rate_stops_the_start_with_a_clear_message():
    from welfare_portal.tests.test_deploy import run_manage

    result = run_manage("check", DJANGO_DEBUG="1", PORTAL_PUBLIC_MAIL_PER_CLIENT="10 per hour")
    assert result.returncode != 0
    assert "PORTAL_PUBLIC_MAIL_PER_CLIENT: '10 per hour' is not a rate such as 10/h or 5/15m." in result.stderr


@pytest.mark.parametrize("retry_after, wait", [
    (30, "in about 1 minute."), (150, "in about 3 minutes."), (90 * 60, "in about 90 minutes."),
    (5 * 3600 - 100, "in about 5 hours."),
])
def test_the_429_page_says_how_long_to_wait(rf, retry_after, wait):
    request = rf.post("/eventi/1/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = too_many_requests(request, retry_after, message="Over the limit.", back_url="/eventi/1/")
    assert (response.status_code, response["Retry-After"]) == (429, str(retry_after))
    content = response.content.decode()
    assert "Over the limit." in content and wait in content and 'href="/eventi/1/"' in content
