"""The load balancer's health check: 200 while the database answers, 503 when it does not."""

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """The database stops answering: every new cursor fails as psycopg's or sqlite's would,
    wrapped by Django into OperationalError."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_with_json_when_the_database_does_not(client, database_down):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "error"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_recovers_when_the_database_answers_again(client, monkeypatch, database_down):
    assert client.get(reverse("healthz")).status_code == 503

    monkeypatch.undo()

    assert client.get(reverse("healthz")).json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_accepts_only_get(client, method):
    response = getattr(client, method)(reverse("healthz"))

    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_healthz_answers_plain_http_behind_the_ssl_redirect(client, settings):
    """Load balancers probe over plain HTTP without X-Forwarded-Proto; a redirect to HTTPS
    would read as "down"."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get("/").status_code == 301
