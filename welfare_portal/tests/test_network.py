"""The client's address behind the reverse proxy: one setting (DJANGO_TRUSTED_PROXY_COUNT, as
ALLAUTH_TRUSTED_PROXY_COUNT) and one function for the portal, django-ratelimit and allauth."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from welfare_portal.network import client_ip, rate_limit_ip

from .test_deploy import run_manage


def request(forwarded=None, remote="10.0.0.2"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("count, forwarded, expected", [
    # No trusted proxy: the header is whatever the client wrote, so it is ignored.
    (0, "203.0.113.7", "10.0.0.2"),
    (0, None, "10.0.0.2"),
    # One proxy: it appends the address it saw; anything further left is the client's claim.
    (1, "203.0.113.7", "203.0.113.7"),
    (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
    (1, "192.0.2.1,203.0.113.7", "203.0.113.7"),
    # Two proxies: the client is the second entry from the right.
    (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
    # Fewer entries than proxies, or none: the request did not come through them all.
    (2, "203.0.113.7", "10.0.0.2"),
    (1, None, "10.0.0.2"),
    # Ports and brackets some proxies add; an IPv4 client seen over IPv6.
    (1, "203.0.113.7:51234", "203.0.113.7"),
    (1, "[2001:db8::1]:443", "2001:db8::1"),
    (1, "2001:DB8:0:0::1", "2001:db8::1"),
    (1, "::ffff:203.0.113.7", "203.0.113.7"),
    # The entry a trusted proxy wrote is not an address: nobody can be told.
    (1, "unknown", None),
])
def test_client_ip(settings, count, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded)) == expected


def test_an_unknown_address_shares_one_rate_limit_rather_than_escaping_it(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(remote="")) is None
    assert rate_limit_ip(request(remote="")) == "0.0.0.0"
    assert rate_limit_ip(request(remote="198.51.100.4")) == "198.51.100.4"


def test_allauth_asks_the_same_function(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert get_adapter().get_client_ip(request("192.0.2.1, 203.0.113.7")) == "203.0.113.7"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert get_adapter().get_client_ip(request("192.0.2.1, 203.0.113.7")) == "10.0.0.2"


def test_the_count_comes_from_the_environment():
    code = "from django.conf import settings; print('count', settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    assert "count 0" in run_manage("shell", "-c", code, DJANGO_DEBUG="1").stdout
    assert "count 2" in run_manage("shell", "-c", code, DJANGO_DEBUG="1", DJANGO_TRUSTED_PROXY_COUNT="2").stdout
