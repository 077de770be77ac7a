"""Production static files: after `collectstatic` with the hashed, compressed storage and
DEBUG off, the main pages render and point at hashed files that WhiteNoise serves."""

import re

import pytest
import whitenoise.compress
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
    """collectstatic runs once for the module: it hashes and gzips every file. Brotli is left
    out: at its maximum quality it spends some 20 s of CPU on the theme's bundles, and WhiteNoise
    serves its files the same way as the gzipped ones."""
    root = tmp_path_factory.mktemp("staticfiles")
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES),
    ):
        patch.setattr(whitenoise.compress, "brotli_installed", False)
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


def test_a_missing_static_name_fails_loudly(production_static):
    template = Template("{% load static %}{% static 'css/no-such-file.css' %}")

    with pytest.raises(ValueError, match="Missing staticfiles manifest entry for 'css/no-such-file.css'"):
        template.render(Context())


@pytest.mark.parametrize("name", sorted(THEME_NAMES_WITHOUT_FILES))
def test_only_the_themes_known_gaps_are_let_through_unhashed(production_static, name):
    rendered = Template("{% load static %}{% static name %}").render(Context({"name": name}))

    assert rendered == f"/static/{name}"
