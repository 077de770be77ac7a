"""Absolute links for messages that leave the portal (emails), built without a request."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname, *args, **kwargs):
    """`reverse(viewname, args, kwargs)` prefixed with PORTAL_BASE_URL."""
    return settings.PORTAL_BASE_URL + reverse(viewname, args=args or None, kwargs=kwargs or None)
