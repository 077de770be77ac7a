"""Limits on what the public forms (no login needed) can make the portal do, counted by
django-ratelimit in the shared cache (CACHES["default"]: Redis when REDIS_URL is set, so the
counts hold across gunicorn workers) per client address (welfare_portal.network).

A form that sends an email counts it for the client address and for the recipient: one sender
cannot write to many addresses, nor many senders to one address. Over a limit the request
stores and sends nothing, and the person reads why (HTTP 429).
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

PUBLIC_MAIL_PER_CLIENT = "public-mail:client"
PUBLIC_MAIL_PER_RECIPIENT = "public-mail:recipient"


def recipient_key(address):
    """One key per mailbox: letter case, spaces and a "+tag" (which reaches the same mailbox at
    most providers) do not make a new recipient."""
    local, _at, domain = (address or "").strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def seconds_over_limit(request, group, rates, *, key="ip"):
    """Count this request against each rate of `group` (django-ratelimit rates such as "10/h",
    by client address unless `key` says otherwise). The seconds until the person may try again
    once a rate is exceeded, else None."""
    for rate in rates:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            return max(usage["time_left"], 1)
    return None


def public_mail_over_limit(request, recipient=None):
    """Count an email a public form is about to send; the seconds to wait when the client
    address, or `recipient`, is over its limit, else None. `recipient` is left out when the
    email goes to whoever holds a link only that address was sent (the link to cancel)."""
    retry_after = seconds_over_limit(request, PUBLIC_MAIL_PER_CLIENT, settings.PORTAL_PUBLIC_MAIL_PER_CLIENT)
    if retry_after or recipient is None:
        return retry_after
    return seconds_over_limit(
        request, PUBLIC_MAIL_PER_RECIPIENT, settings.PORTAL_PUBLIC_MAIL_PER_RECIPIENT,
        key=lambda group, request: recipient_key(recipient),
    )


def too_many_requests(request, retry_after, *, message="", back_url=""):
    """The 429 page (templates/429.html, which allauth renders too, with no message), saying
    when to try again."""
    minutes = max(1, math.ceil(retry_after / 60))
    wait = {"minutes": minutes} if minutes <= 90 else {"hours": math.ceil(minutes / 60)}
    response = render(request, "429.html", {"message": message, "back_url": back_url, **wait}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def public_mail_refused(request, retry_after, *, back_url):
    """The 429 page of a public form whose email is over a limit."""
    return too_many_requests(request, retry_after, back_url=back_url, message=_(
        "To protect people from unwanted email, the portal limits how many messages can be "
        "requested from one connection and to one address. This request is over the limit: "
        "nothing has been registered or sent."
    ))
