"""The address of the person making a request, for rate limits and for the evidence stored with
each signature.

Behind the reverse proxy (README, Production) REMOTE_ADDR is the proxy's address. Each trusted
proxy appends the address it received the request from to X-Forwarded-For, so with N trusted
proxies the client is the N-th entry from the right; whatever stands further left was written
by the client and can be anything. The one setting is ALLAUTH_TRUSTED_PROXY_COUNT (environment
`DJANGO_TRUSTED_PROXY_COUNT`): allauth's account adapter asks this module too
(welfare_portal.adapters), so its rate limits, ours and the signatures agree.
"""

import ipaddress

from django.conf import settings

# The bucket of requests whose address cannot be told (a misconfigured proxy): they share one
# limit rather than escaping it.
UNKNOWN_ADDRESS = "0.0.0.0"


def _parse(value):
    """An address as text ('203.0.113.7', '2001:db8::1'), with a port or brackets some proxies
    add removed; None when it is no address."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:  # ::ffff:203.0.113.7 is an IPv4 client
        address = address.ipv4_mapped
    return str(address)


def client_ip(request):
    """The client's address, or None when it cannot be told.

    With a trusted proxy count of 0, X-Forwarded-For is ignored. A header with fewer entries
    than the count did not come through every trusted proxy: REMOTE_ADDR is used then.
    """
    count = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = forwarded.split(",")
        if len(entries) >= count:
            return _parse(entries[-count])
    return _parse(request.META.get("REMOTE_ADDR"))


def rate_limit_ip(request):
    """client_ip for django-ratelimit (RATELIMIT_IP_META_KEY), which needs an address."""
    return client_ip(request) or UNKNOWN_ADDRESS
