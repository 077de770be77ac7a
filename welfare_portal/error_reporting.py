"""Optional error reporting through Sentry (sentry-sdk): on only when SENTRY_DSN is set.

A public administration's portal sends its processor no personal data: no user, IP address,
cookies or headers (send_default_pii off), no form or upload bodies (names, tax codes, signed
files), no local variables of the failing code. An event carries the traceback, the URL, the
environment and release from settings, and the request id that the portal's log lines carry.
"""

import sentry_sdk
from log_request_id import local


def tag_request_id(event, hint):
    request_id = getattr(local, "request_id", None)
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def start_error_reporting(settings):
    """Start the client if a DSN is configured; say whether it started."""
    if not settings.SENTRY_DSN:
        return False
    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.SENTRY_RELEASE or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=tag_request_id,
    )
    return True
