"""How much a request may send, decided before its body is read.

A page takes no file unless its view says how large a file it accepts with
`@accepts_uploads(limit)`, where `limit` is the function that reads the page's setting (the
same function its form validates with). Every request may also carry form fields up to
DATA_UPLOAD_MAX_MEMORY_SIZE bytes. `RequestBodyLimitMiddleware`, placed before the CSRF check
(which is the first to read a POST), then:

- refuses with 413 a request whose declared Content-Length is over what the page accepts,
  before reading a byte of it;
- reads a multipart body through `UploadLimitHandler`, which stops at the limit and discards
  what it had received, so a body larger than the file limit is never written out whole;
- answers both with a page that names the limit, and stores nothing.

Django reads no more than the declared Content-Length and nothing of a body without one (a
chunked body reads as empty under WSGI). The reverse proxy refuses larger bodies even earlier
(README, `client_max_body_size`).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import UnreadablePostError
from django.shortcuts import render

UPLOAD_LIMIT_ATTRIBUTE = "upload_limit"


def accepts_uploads(limit):
    """Mark a view as taking files of up to `limit()` bytes in all (a function, read at each
    request, so a changed setting applies at once)."""

    def decorator(view):
        setattr(view, UPLOAD_LIMIT_ATTRIBUTE, limit)
        return view

    return decorator


def upload_limit(view):
    """Bytes of files `view` accepts: 0 unless it is marked with `accepts_uploads`. The mark
    survives the decorators that use functools.wraps (login_required, require_POST...)."""
    limit = getattr(view, UPLOAD_LIMIT_ATTRIBUTE, None)
    return limit() if limit is not None else 0


def declared_length(request):
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class UploadLimitHandler(FileUploadHandler):
    """First of the upload handlers: counts the bytes of every file in the request and, past
    the limit, stops the parsing there (the files received so far are closed and deleted by the
    handlers that held them)."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large(request, limit):
    context = {"limit": limit, "fields_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    return render(request, "413.html", context, status=413)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = upload_limit(view_func)
        fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if fields is not None and declared_length(request) > limit + fields:
            return too_large(request, limit)
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        handler = UploadLimitHandler(request, limit)
        request.upload_handlers.insert(0, handler)
        try:
            request.POST  # noqa: B018 - parsed here, through the handler, before the CSRF check reads it
        except UnreadablePostError:
            return None  # the client went away; the CSRF check meets the same error and says so
        if handler.exceeded:
            return too_large(request, limit)
        return None
