"""Production static files: after `collectstatic` with the hashed, compressed storage and
DEBUG off, the main pages render and point at hashed files that WhiteNoise serves, compressed
with brotli or gzip as the browser accepts."""

import re

import brotli
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils.functional import empty

from welfare_portal.storage import THEME_NAMES_WITHOUT_FILES, PortalStaticFilesStorage

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "welfare_portal.storage.PortalStaticFilesStorage"},
}

MAIN_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/privacy/", "/accessibilita/"]

HASHED_BOOTSTRAP_ITALIA = re.compile(r'/static/(\S*bootstrap-italia\.min\.[0-9a-f]{12}\.css)"')


@pytest.fixture(scope="module")
def collected_static_root(tmp_path_factory):
    """collectstatic runs once for the module, as in production: it hashes every file and
    writes a brotli and a gzip copy of each that compresses (about 20 s of CPU on 2 cores,
    most of it brotli at its best quality on the theme's bundles)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, collected_static_root):
    """Settings as in production. Changing STORAGES and STATIC_ROOT resets Django's lazy
    `staticfiles_storage`, so templates use a manifest storage reading this folder."""
    settings.DEBUG = False
    settings.STATIC_ROOT = collected_static_root
    settings.STORAGES = PRODUCTION_STORAGES
    return collected_static_root


def test_settings_change_gives_a_fresh_manifest_storage(production_static):
    assert staticfiles_storage._wrapped is empty  # reset by the setting_changed signal
    assert staticfiles_storage.location == str(production_static)
    assert isinstance(staticfiles_storage._wrapped, PortalStaticFilesStorage)


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_answer_200_with_hashed_static_names(client, production_static, path):
    response = client.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert HASHED_BOOTSTRAP_ITALIA.search(page), "the theme's CSS is not referenced by its hashed name"
    assert re.search(r'/static/css/portal\.[0-9a-f]{12}\.css"', page)


def test_unknown_page_answers_404_with_the_portal_page(client, production_static):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert HASHED_BOOTSTRAP_ITALIA.search(response.content.decode())


def test_hashed_css_referenced_by_the_page_is_served(client, production_static):
    page = client.get("/").content.decode()
    css_name = HASHED_BOOTSTRAP_ITALIA.search(page).group(1)

    response = client.get(f"/static/{css_name}")

    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content)


def test_browsers_accepting_gzip_get_the_compressed_css(client, production_static):
    page = client.get("/").content.decode()
    css_name = HASHED_BOOTSTRAP_ITALIA.search(page).group(1)

    plain = client.get(f"/static/{css_name}")
    compressed = client.get(f"/static/{css_name}", headers={"accept-encoding": "gzip"})

    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert int(compressed["Content-Length"]) < int(plain["Content-Length"]) / 3


def _hashed_assets(client):
    page = client.get("/").content.decode()
    css = HASHED_BOOTSTRAP_ITALIA.search(page).group(1)
    js = re.search(r'/static/(\S*bootstrap-italia\.bundle\.min\.[0-9a-f]{12}\.js)"', page).group(1)
    return css, js


def test_collectstatic_writes_a_brotli_and_a_gzip_copy_of_every_text_asset(client, production_static):
    for name in _hashed_assets(client):
        original = (production_static / name).read_bytes()
        br, gz = production_static / f"{name}.br", production_static / f"{name}.gz"
        assert br.exists() and gz.exists(), name
        assert brotli.decompress(br.read_bytes()) == original
        assert br.stat().st_size < gz.stat().st_size < len(original) / 3


def test_the_pdf_only_truetype_fonts_are_collected_but_not_compressed(production_static):
    """They are read by the PDF renderer, never sent to a browser: compressing 8 MB of them
    only made collectstatic slower."""
    fonts = list((production_static / "charter" / "fonts" / "fallback").glob("*.ttf"))
    assert fonts
    assert not any(font.with_name(font.name + ".br").exists() or font.with_name(font.name + ".gz").exists() for font in fonts)


@pytest.mark.parametrize("accepted, encoding", [("br", "br"), ("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None)])
def test_whitenoise_answers_with_the_encoding_the_browser_accepts(client, production_static, accepted, encoding):
    for name in _hashed_assets(client):
        original = (production_static / name).read_bytes()
        response = client.get(f"/static/{name}", headers={"accept-encoding": accepted} if accepted else {})
        assert response.status_code == 200
        assert response.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response["Vary"]
        body = b"".join(response.streaming_content)
        if encoding == "br":
            assert brotli.decompress(body) == original and len(body) < len(original) / 3
        elif encoding is None:
            assert body == original


def test_a_missing_static_name_fails_loudly(production_static):
    template = Template("{% load static %}{% static 'css/no-such-file.css' %}")

    with pytest.raises(ValueError, match="Missing staticfiles manifest entry for 'css/no-such-file.css'"):
        template.render(Context())


@pytest.mark.parametrize("name", sorted(THEME_NAMES_WITHOUT_FILES))
def test_only_the_themes_known_gaps_are_let_through_unhashed(production_static, name):
    rendered = Template("{% load static %}{% static name %}").render(Context({"name": name}))

    assert rendered == f"/static/{name}"
