"""The renderer fetches only the portal's own static files. Markup a user writes is escaped and
never fetched; markup that slipped into a template is refused by the fetcher: remote URLs,
`file:` URLs, paths climbing out of the static folder, large `data:` URLs. The PDF renders."""

import http.server
import threading

import pytest

from charter import services
from charter.models import Document
from charter.pdf import BASE_URL, STATIC_BASE, RefusedURL, StaticFilesURLFetcher, html_to_pdf, render_html
from charter.tests.factories import CharterVersionFactory, approved_proposal, steering_member
from charter.tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):
        type(self).hits.append(self.path)
        body = b"body::before { content: 'LEAKED-HTTP'; }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """A local server that records every request it gets and would serve a leaking stylesheet."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def leaking_files(tmp_path, settings):
    """A stylesheet next to (outside) an extra static folder, and one anywhere on disk: either
    would print LEAKED-... into the PDF if it were fetched."""
    static = tmp_path / "static"
    static.mkdir()
    (static / "harmless.css").write_text("p { color: black; }")
    (tmp_path / "leak.css").write_text("body::before { content: 'LEAKED-DOTDOT'; }")
    secret = tmp_path / "secret.css"
    secret.write_text("body::before { content: 'LEAKED-FILE'; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]
    return secret


@pytest.fixture
def spy(monkeypatch):
    """Every URL the renderer asks for, fetched or refused."""
    asked = []
    original = StaticFilesURLFetcher.fetch

    def fetch(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFilesURLFetcher, "fetch", fetch)
    return asked


def test_markup_written_by_users_is_printed_not_fetched(http_server, leaking_files, spy):
    url, hits = http_server
    payload = (
        f'<img src="{url}/tracker.png"><link rel="stylesheet" href="{url}/x.css">'
        f'<link rel="stylesheet" href="file://{leaking_files}"><img src="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{STATIC_BASE}%2e%2e/leak.css"><img src="../../../etc/passwd">'
    )
    proposal = approved_proposal("Progetto <b>grassetto</b>", summary=payload, indicators=payload)
    version = CharterVersionFactory(proposals=[proposal], introduction=payload, principles=payload)
    version = services.approve_version(version, by=steering_member(coordinator=True))

    text = pdf_text(Document.objects.get(version=version).read_bytes())
    assert hits == []
    assert spy and all(asked.startswith(STATIC_BASE) for asked in spy)
    assert "LEAKED" not in text
    # Printed as text, exactly as written, never turned into markup.
    assert f'<img src="{url}/tracker.png">' in text and "Progetto <b>grassetto</b>" in text
    html = render_html("charter/pdf/charter.html", {"version": version, "snapshot": version.snapshot})
    assert "&lt;img src=" in html and f'<img src="{url}' not in html


def test_the_fetcher_refuses_markup_that_slipped_into_a_template(http_server, leaking_files):
    url, hits = http_server
    big_data = "data:text/css," + "body::before{content:'LEAKED-DATA'}/*" + "x" * 5000 + "*/"
    html = f"""<html><head>
      <link rel="stylesheet" href="{url}/remote.css">
      <link rel="stylesheet" href="https://example.org/remote.css">
      <link rel="stylesheet" href="file://{leaking_files}">
      <link rel="stylesheet" href="{STATIC_BASE}%2e%2e/leak.css">
      <link rel="stylesheet" href="{STATIC_BASE}../leak.css">
      <link rel="stylesheet" href="../leak.css">
      <link rel="stylesheet" href="{big_data}">
      <link rel="stylesheet" href="data:text/css,p::after{{content:'SMALL-DATA-OK'}}">
      <link rel="stylesheet" href="{STATIC_BASE}harmless.css">
      </head><body><p>Testo</p><img src="{url}/pixel.png"><img src="file:///etc/passwd"></body></html>"""
    fetcher = StaticFilesURLFetcher()

    rendered = html_to_pdf(html, fetcher=fetcher)

    text = pdf_text(rendered.content)
    assert rendered.content.startswith(b"%PDF-") and "Testo" in text
    assert hits == [] and "LEAKED" not in text
    assert "SMALL-DATA-OK" in text  # a small data: URL is fine
    assert f"{STATIC_BASE}harmless.css" in fetcher.served
    refused = " ".join(fetcher.refused)
    for expected in [f"{url}/remote.css", "https://example.org/remote.css", f"file://{leaking_files}",
                     f"{STATIC_BASE}%2e%2e/leak.css", f"{BASE_URL}leak.css", "data:text/css,", f"{url}/pixel.png",
                     "file:///etc/passwd"]:
        assert expected in refused


@pytest.mark.parametrize(
    "url, path",
    [
        (f"{STATIC_BASE}charter/pdf.css", "charter/pdf.css"),
        (f"{STATIC_BASE}fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-600.woff2",
         "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-600.woff2"),
        (f"{STATIC_BASE}../settings.py", None),
        (f"{STATIC_BASE}%2E%2E/settings.py", None),
        (f"{STATIC_BASE}charter/./pdf.css", None),
        (f"{STATIC_BASE}charter//pdf.css", None),
        (f"{STATIC_BASE}..%5csettings.py", None),
        (f"{STATIC_BASE}charter/pdf.css?x=1", None),
        (f"{STATIC_BASE}", None),
    ],
)
def test_static_path(url, path):
    assert StaticFilesURLFetcher.static_path(url) == path


def test_fetching_directly():
    fetcher = StaticFilesURLFetcher()
    css = fetcher.fetch(f"{STATIC_BASE}charter/pdf.css")
    assert css.content_type == "text/css" and b"Titillium" in css.read()
    font = fetcher.fetch(f"{STATIC_BASE}fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2")
    # Served decoded (once per process), so that no render pays WOFF2 decoding again.
    assert font.content_type == "font/ttf" and font.read()[:4] in (b"\x00\x01\x00\x00", b"OTTO")
    for url in ["http://127.0.0.1:9/x.css", f"{STATIC_BASE}no/such/file.css", "file:///etc/passwd",
                "ftp://example.org/x", "data:text/plain," + "x" * 5000]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
