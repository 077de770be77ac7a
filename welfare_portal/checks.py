"""Deployment checks (`manage.py check --deploy`): a production configuration that would start
but send people wrong links or let limits leak must stop the deployment, not be found later."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches that live in one process's memory: each gunicorn worker would count its own rate limits.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def is_local_host(host):
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def check_debug_is_off(app_configs, **kwargs):
    """Django's own W018 is only a warning; a public portal showing tracebacks and settings to
    anyone is an error."""
    if settings.DEBUG:
        return [Error(
            "Debug is on: error pages would show code, settings and personal data to anyone.",
            hint="Leave DJANGO_DEBUG unset in production (debug is off unless DJANGO_DEBUG=1).",
            id="welfare_portal.E001",
        )]
    return []


@register(Tags.security, deploy=True)
def check_base_url(app_configs, **kwargs):
    """Links in emails and the verification address printed on sealed PDFs come from
    PORTAL_BASE_URL: in production it must be the public HTTPS address."""
    if settings.DEBUG:
        return []
    parts = urlsplit(settings.PORTAL_BASE_URL)
    if is_local_host(parts.hostname):
        return [Error(
            f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL}: links in emails and on sealed PDFs "
            "would point at this machine.",
            hint="Set PORTAL_BASE_URL to the portal's public address, e.g. https://welfare.example.org.",
            id="welfare_portal.E002",
        )]
    if parts.scheme != "https":
        return [Error(
            f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL}: links in emails (password resets, "
            "invitations) would travel unencrypted.",
            hint="Use the portal's https:// address.",
            id="welfare_portal.E003",
        )]
    return []


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Login throttling and the limits on forms that send email count in the cache; with one
    cache per worker an attacker gets each limit once per worker, and after every restart."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PROCESS_LOCAL_CACHES:
        return [Error(
            "The cache is each process's own memory: rate limits would not hold across workers.",
            hint="Set REDIS_URL to a Redis server shared by every worker, e.g. redis://127.0.0.1:6379/1.",
            id="welfare_portal.E004",
        )]
    return []
