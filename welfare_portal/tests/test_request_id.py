"""Every log line of a request carries the request's id, which the response returns in
X-Request-ID: the id a person reads from an error leads to the log lines of that request."""

import io
import logging
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def portal_log():
    """What the portal's log handler (settings.LOGGING, on standard error) writes."""
    handler = next(handler for handler in logging.getLogger().handlers if handler.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.urls("welfare_portal.tests.failing_urls")
def test_the_log_line_of_a_failing_request_carries_its_request_id(portal_log):
    response = Client(raise_request_exception=False).get("/pagina-che-fallisce/")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    [error_line] = [line for line in portal_log.getvalue().splitlines() if "Internal Server Error" in line]
    assert error_line.endswith(
        f" ERROR [{request_id}] django.request: Internal Server Error: /pagina-che-fallisce/"
    )


def test_each_request_gets_its_own_id(client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]

    assert GENERATED_ID.fullmatch(first) and GENERATED_ID.fullmatch(second)
    assert first != second


def test_an_id_sent_by_a_client_is_ignored_unless_a_proxy_is_configured(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-the-client")

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_the_proxys_id_is_used_when_configured(settings):
    settings.LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"

    response = Client().get("/healthz", HTTP_X_REQUEST_ID="7f3a9c0e2b5d4a1f8e6c3b2a1d0f9e8c")

    assert response["X-Request-ID"] == "7f3a9c0e2b5d4a1f8e6c3b2a1d0f9e8c"


def test_a_proxy_without_an_id_gets_one_made(settings):
    settings.LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"

    assert GENERATED_ID.fullmatch(Client().get("/healthz")["X-Request-ID"])


def test_an_id_that_does_not_look_like_one_never_reaches_the_log(settings):
    """A proxy that passes on the client's header must not let it write text into the log."""
    settings.LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"

    response = Client().get("/healthz", HTTP_X_REQUEST_ID="x] CRITICAL [admin logged in")

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
