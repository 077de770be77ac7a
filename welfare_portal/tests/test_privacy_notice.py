"""The privacy notice states who the controller and the data-protection officer are, the
purposes and legal bases, retention, recipients and rights, from settings; values still taken
from the settings' examples are marked as such, in Italian and in English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("privacy")


def notice(client, language="en"):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_notice_states_everything_the_gdpr_asks(client, settings):
    content = notice(client)
    for value in (
        settings.PRIVACY_CONTROLLER_NAME, settings.PRIVACY_CONTROLLER_ADDRESS, settings.PRIVACY_CONTROLLER_EMAIL,
        settings.PRIVACY_CONTROLLER_PEC, settings.PRIVACY_DPO_NAME, settings.PRIVACY_DPO_EMAIL,
        *settings.PRIVACY_PROCESSORS,
    ):
        assert value.replace("'", "&#x27;") in content, value
    for statement in (
        "Data controller", "Data protection officer (RPD/DPO)",
        "art. 6(1)(e) GDPR", "art. 6(1)(c) GDPR", "art. 6(1)(a) GDPR",  # public task, legal obligation, consent
        "Event registrations: until 365 days after the event", "Technical logs: 90 days",
        "kept as records of the public administration",
        "members of the steering group", "Processors appointed by the controller",
        "(art. 15 GDPR)", "rectification (art. 16)", "erasure (art. 17)", "restriction of processing (art. 18)",
        "portability (art. 20)", "object to the processing (art. 21)",
        "Garante per la protezione dei dati personali", "https://www.garanteprivacy.it/",
        reverse("my-data"),
    ):
        assert statement in content, statement


def test_example_values_are_marked_until_the_operator_sets_them(client, settings):
    assert 'id="privacy-examples"' in notice(client)
    settings.PRIVACY_EXAMPLE_SETTINGS = frozenset()
    settings.PRIVACY_CONTROLLER_NAME = "Comune di Prova, ente capofila"
    settings.PRIVACY_DPO_EMAIL = "dpo@prova.example"
    settings.PRIVACY_EVENT_REGISTRATION_DAYS = 30
    content = notice(client)
    assert 'id="privacy-examples"' not in content and ">example<" not in content
    assert "Comune di Prova, ente capofila" in content and "dpo@prova.example" in content
    assert "until 30 days after the event" in content


def test_the_notice_is_in_formal_italian(client, settings):
    content = notice(client, "it")
    for statement in (
        "Titolare del trattamento", "Responsabile della protezione dei dati", "Garante per la protezione dei dati personali",
        "Lei", "esempio",
    ):
        assert statement in content, statement
