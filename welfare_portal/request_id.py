"""The request id of every log line (django-log-request-id), from a trusted proxy or our own."""

import re

from log_request_id.middleware import RequestIDMiddleware as LogRequestIDMiddleware

# What a proxy's request id looks like (nginx's $request_id: 32 hex digits; a UUID; ...).
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIDMiddleware(LogRequestIDMiddleware):
    """django-log-request-id's middleware, taking the proxy's id (settings.LOG_REQUEST_ID_HEADER)
    only when it looks like one: a proxy that passes on what the client sent must not let a
    client write arbitrary text into every log line of its request."""

    def _get_request_id(self, request):
        request_id = super()._get_request_id(request)
        if REQUEST_ID.fullmatch(request_id):
            return request_id
        return self._generate_id()
