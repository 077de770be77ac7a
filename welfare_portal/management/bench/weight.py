"""The bytes of a first visit to a page: its HTML and every stylesheet, script, font and image
a browser loads to show it, as a browser that accepts brotli receives them from the portal
(WhiteNoise serves the .br copies collectstatic writes; Django sends HTML as it is, a proxy may
compress it: the report gives both).

Chromium (Playwright, as the browser tests use it) opens the page with an empty cache; the
page is fetched first through Django's test client, and every static file Chromium then asks for
is answered by the test client too (WhiteNoise, no database), so what is counted is exactly
what the page asks for (a font the CSS declares but the page never uses is not fetched).
Without Playwright or Chromium, the files the HTML and its stylesheets name are counted
instead: an upper bound, and the report says so.
"""

import contextlib
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from pathlib import Path

import brotli
from django.conf import settings
from django.test import Client

CHROMIUM_PATH = "/usr/bin/chromium"
ORIGIN = "http://127.0.0.1"
HEADERS = {"accept-encoding": "br, gzip", "accept-language": "it"}
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/static/[^"]+)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass
class PageWeight:
    path: str
    html_bytes: int = 0
    html_brotli_bytes: int = 0
    assets: dict = field(default_factory=dict)  # path -> bytes on the wire
    method: str = "Chromium"

    @property
    def asset_bytes(self):
        return sum(self.assets.values())

    @property
    def total_bytes(self):
        return self.html_bytes + self.asset_bytes

    @property
    def total_with_compressed_html(self):
        return self.html_brotli_bytes + self.asset_bytes


def _fetch(client, path):
    """(body as sent, body decoded, content type, status) of a GET through the test client."""
    response = client.get(path, secure=True, headers=HEADERS)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    encoding = response.get("Content-Encoding")
    decoded = brotli.decompress(body) if encoding == "br" else body
    if encoding == "gzip":
        import gzip

        decoded = gzip.decompress(body)
    return body, decoded, response.get("Content-Type", ""), response.status_code


def _collected(url_path):
    """Whether collectstatic put the file there (WhiteNoise serves only those, with debug off)."""
    if not url_path.startswith(settings.STATIC_URL):
        return False
    name = url_path.removeprefix(settings.STATIC_URL)
    root = Path(settings.STATIC_ROOT).resolve()
    return (root / name).resolve().is_relative_to(root) and (root / name).is_file()


def _with_browser(client, path):
    from playwright.sync_api import sync_playwright

    weight = PageWeight(path)
    body, page_html, content_type, _status = _fetch(client, path)
    weight.html_bytes, weight.html_brotli_bytes = len(body), len(brotli.compress(body))

    def answer(route):
        url = urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            route.abort()  # the portal loads nothing from elsewhere (CSP); never count it
        elif url.path == path:
            route.fulfill(status=200, body=page_html, headers={"content-type": content_type})
        elif _collected(url.path):
            body, decoded, asset_type, status = _fetch(client, url.path)
            weight.assets[url.path] = len(body)
            route.fulfill(status=status, body=decoded, headers={"content-type": asset_type})
        else:
            route.fulfill(status=404, body=b"")

    # Playwright's sync API runs an event loop in this thread, where Django would refuse
    # synchronous code: the static files WhiteNoise answers touch no database.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=["--no-sandbox"])
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
                context.route("**/*", answer)
                page = context.new_page()
                page.goto(ORIGIN + path, wait_until="networkidle")
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
    return weight


def _by_reading(client, path):
    """Every file the HTML names, and every url() of its stylesheets: an upper bound."""
    weight = PageWeight(path, method="files named by the HTML and its CSS (no browser: an upper bound)")
    body, decoded, _type, _status = _fetch(client, path)
    weight.html_bytes, weight.html_brotli_bytes = len(body), len(brotli.compress(body))
    pending = ASSET.findall(decoded.decode())
    while pending:
        target = pending.pop()
        if target in weight.assets:
            continue
        body, decoded, content_type, status = _fetch(client, target)
        if status != 200:
            continue
        weight.assets[target] = len(body)
        if "css" in content_type:
            for reference in CSS_URL.findall(decoded.decode(errors="replace")):
                if not reference.startswith("data:"):
                    pending.append(urlsplit(urljoin(target, reference)).path)
    return weight


def first_visit(path="/"):
    """The PageWeight of a first visit to `path` by an anonymous visitor."""
    client = Client(HTTP_HOST="127.0.0.1")
    if os.path.exists(CHROMIUM_PATH):
        with contextlib.suppress(ImportError):
            return _with_browser(client, path)
    return _by_reading(client, path)
