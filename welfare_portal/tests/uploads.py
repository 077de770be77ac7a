"""Sending a large upload to a page without building it in memory, and counting how much of it
the server reads from `wsgi.input`: the measure of "refused before reading"."""

from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

BOUNDARY = "limits-test-boundary-7d1f"
MB = 1024 * 1024


class StreamedUpload:
    """A multipart body made on the fly: the form fields, then one file of `file_size` bytes
    that starts with `head`. `read_bytes` counts what the server took from it."""

    def __init__(self, file_field, file_size, *, head=b"%PDF-1.7\n", filename="grande.pdf", fields=None):
        prefix = b"".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in (fields or {}).items()
        )
        prefix += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        suffix = f"\r\n--{BOUNDARY}--\r\n".encode()
        self._segments = [prefix, head, (b"0", file_size - len(head)), suffix]
        self.size = len(prefix) + file_size + len(suffix)
        self._position = 0
        self.read_bytes = 0

    def _bytes(self, start, stop):
        out, offset = [], 0
        for segment in self._segments:
            length = len(segment) if isinstance(segment, bytes) else segment[1]
            low, high = max(start, offset), min(stop, offset + length)
            if low < high:
                out.append(segment[low - offset:high - offset] if isinstance(segment, bytes) else segment[0] * (high - low))
            offset += length
        return b"".join(out)

    def read(self, size=-1, /):
        remaining = self.size - self._position
        size = remaining if size is None or size < 0 else min(size, remaining)
        data = self._bytes(self._position, self._position + size)
        self._position += len(data)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1, /):
        window = self._bytes(self._position, self._position + (size if size and size > 0 else 64 * 1024))
        end = window.find(b"\n")
        return self.read(len(window) if end < 0 else end + 1)


def csrf_client(client):
    """A client that enforces the CSRF check as a browser meets it, with `client`'s session and
    a CSRF cookie: the check then reads the POST body, as it does in production. Its
    `csrf_token` is the value a form would post."""
    checked = Client(enforce_csrf_checks=True, **client.defaults)
    checked.cookies = client.cookies
    checked.csrf_token = get_random_string(32)
    checked.cookies[settings.CSRF_COOKIE_NAME] = checked.csrf_token
    return checked


def post_streamed(client, path, body, *, declare_length=True):
    """POST `body` to `path`; without `declare_length` it goes as a chunked body, with no
    Content-Length."""
    extra = {"wsgi.input": body, "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}"}
    if declare_length:
        extra["CONTENT_LENGTH"] = str(body.size)
    else:
        extra["HTTP_TRANSFER_ENCODING"] = "chunked"
    return client.generic("POST", path, **extra)
