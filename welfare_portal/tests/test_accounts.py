"""Accounts through allauth: sign-up with email verification, login by email, password reset,
adding an address. Each test walks the pages a person would, through the test client."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

User = get_user_model()

NEW_PASSWORD = "another-Long-password-77"


def link_in(message):
    """The first link to this site in an email's text."""
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, f"no link in the email:\n{message.body}"
    return match.group(1)


def sign_up(client, email="mario.verdi@example.org", full_name="Mario Verdi"):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": full_name,
            "email": email,
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )


def log_in(client, email, password=DEFAULT_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_sign_up_creates_the_user_with_full_name_and_sends_a_verification_email(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="mario.verdi@example.org")
    assert user.full_name == "Mario Verdi"
    assert user.check_password(DEFAULT_PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mario.verdi@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert not is_logged_in(client)


def test_account_emails_name_the_portal_not_the_servers_host(client, settings):
    settings.PORTAL_NAME = "Welfare generativo Legnano"
    sign_up(client)
    message = mail.outbox[0]
    assert message.subject.startswith("[Welfare generativo")
    greeting = message.body.splitlines()[0]
    assert greeting == "Gentile utente di Welfare generativo Legnano,"  # not "... di testserver,"
    assert message.body.rstrip().endswith("testserver")  # the site's address stays the host people use


def test_sign_up_refused_without_a_full_name(client):
    response = sign_up(client, full_name="")

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert not User.objects.exists()
    assert mail.outbox == []


def test_unverified_user_cannot_log_in_before_confirming(client):
    sign_up(client)
    mail.outbox.clear()

    response = log_in(client, "mario.verdi@example.org")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(client)
    # The confirmation went out moments ago, so allauth does not send it again yet.
    assert mail.outbox == []


def test_login_with_an_unverified_address_sends_the_confirmation_again(client):
    UserFactory(email="anna@example.org", verified_email=False)

    response = log_in(client, "anna@example.org")

    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(client)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]


def test_confirming_through_the_emailed_link_verifies_the_address_and_allows_login(client):
    sign_up(client)
    confirm_path = link_in(mail.outbox[0])

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(email="mario.verdi@example.org").verified  # GET changes nothing

    response = client.post(confirm_path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="mario.verdi@example.org").verified
    client.logout()
    response = log_in(client, "mario.verdi@example.org")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_logged_in(client)


def test_login_by_email_with_the_right_password(client):
    user = UserFactory(email="anna@example.org")

    response = log_in(client, "anna@example.org")

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_ignores_the_case_of_the_email(client):
    user = UserFactory(email="anna@example.org")

    response = log_in(client, "Anna@Example.ORG")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_a_wrong_password_shows_an_error_and_does_not_log_in(client):
    UserFactory(email="anna@example.org")

    response = log_in(client, "anna@example.org", password="not-the-password-1")

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors
    assert escape(errors[0]) in response.content.decode()
    assert not is_logged_in(client)


def test_sign_up_with_a_registered_email_is_refused_and_the_owner_is_told_by_email(client):
    """allauth prevents account enumeration: the form looks accepted to whoever typed the
    address, the account is left alone, and the address's owner gets a message pointing to
    password reset."""
    user = UserFactory(email="anna@example.org", full_name="Anna Neri")

    response = sign_up(client, email="anna@example.org", full_name="Someone Else")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="anna@example.org").count() == 1
    user.refresh_from_db()
    assert user.full_name == "Anna Neri"
    assert user.check_password(DEFAULT_PASSWORD)
    assert not is_logged_in(client)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    assert reverse("account_reset_password") in mail.outbox[0].body
    assert "/accounts/confirm-email/" not in mail.outbox[0].body


def test_sign_up_with_a_registered_email_in_other_case_creates_no_second_account(client):
    UserFactory(email="anna@example.org")

    sign_up(client, email="ANNA@Example.org")

    assert User.objects.filter(email__iexact="anna@example.org").count() == 1
    assert EmailAddress.objects.filter(email__iexact="anna@example.org").count() == 1
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert reverse("account_reset_password") in mail.outbox[0].body


def test_password_reset_email_link_sets_a_new_password_that_works_for_login(client):
    user = UserFactory(email="anna@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "anna@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]

    # The emailed link stores the key in the session and redirects to a key-less URL.
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    assert form_page.status_code == 200
    assert "form" in form_page.context and not form_page.context.get("token_fail")
    set_password_path = form_page.redirect_chain[-1][0]
    response = client.post(set_password_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.logout()
    assert log_in(client, "anna@example.org", password=DEFAULT_PASSWORD).status_code == 200
    assert not is_logged_in(client)
    assert log_in(client, "anna@example.org", password=NEW_PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_password_reset_for_an_unknown_email_reveals_nothing_and_resets_nothing(client):
    UserFactory(email="anna@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert all(message.to != ["anna@example.org"] for message in mail.outbox)


def test_adding_an_email_address_sends_a_verification_email_to_it(client):
    user = UserFactory(email="anna@example.org")
    client.force_login(user)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "anna.new@example.org"}
    )

    assert response.status_code == 302
    new_address = EmailAddress.objects.get(user=user, email="anna.new@example.org")
    assert not new_address.verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna.new@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_confirming_an_added_address_makes_it_the_login(client):
    user = UserFactory(email="anna@example.org")
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "anna.new@example.org"})

    client.post(link_in(mail.outbox[0]))

    user.refresh_from_db()
    assert user.email == "anna.new@example.org"
    assert EmailAddress.objects.get(user=user, email="anna.new@example.org").verified
    client.logout()
    assert log_in(client, "anna.new@example.org").status_code == 302
    assert is_logged_in(client)
