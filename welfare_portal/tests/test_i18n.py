"""The page language: Italian by default, English on request, and `<html lang>` always says
which one the page is in (screen readers pronounce the page by it)."""

import re

import pytest
from django.urls import reverse

from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def html_lang(response):
    match = re.search(r"<html\b[^>]*\blang=\"([^\"]*)\"", response.content.decode())
    assert match, "no <html lang> on the page"
    return match.group(1)


def choose_language(client, code, next_url="/"):
    return client.post(reverse("set_language"), {"language": code, "next": next_url})


def test_pages_are_italian_by_default(client):
    for path in ["/", reverse("account_login"), reverse("privacy")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert html_lang(response) == "it", path
        assert response["Content-Language"] == "it", path


def test_choosing_english_makes_the_next_page_english(client):
    response = choose_language(client, "en", next_url=reverse("privacy"))

    assert response.status_code == 302
    assert response.url == reverse("privacy")
    page = client.get(reverse("privacy"))
    assert html_lang(page) == "en"
    assert page["Content-Language"] == "en"
    assert page.content.decode().count('<html lang="it">') == 0


def test_english_stays_chosen_on_other_pages(client):
    choose_language(client, "en")

    for path in ["/", reverse("account_login"), reverse("account_signup"), reverse("accessibility")]:
        assert html_lang(client.get(path)) == "en", path


def test_english_error_pages_say_they_are_english(client):
    choose_language(client, "en")

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert html_lang(response) == "en"


def test_choosing_italian_again_switches_back(client):
    choose_language(client, "en")
    assert html_lang(client.get("/")) == "en"

    choose_language(client, "it")

    assert html_lang(client.get("/")) == "it"


def test_language_choice_works_for_logged_in_users(client):
    client.force_login(UserFactory())

    choose_language(client, "en")

    assert html_lang(client.get(reverse("account_email"))) == "en"


def test_browser_preference_for_english_is_honoured(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    assert html_lang(response) == "en"


def test_an_unsupported_language_falls_back_to_italian(client):
    choose_language(client, "de")

    assert html_lang(client.get("/", headers={"accept-language": "de"})) == "it"


def test_the_language_switch_offers_both_languages_on_every_page(client):
    page = client.get("/").content.decode()

    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="it"' in page
    assert 'name="language" value="en"' in page
