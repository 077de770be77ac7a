"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache

pytest_plugins = ["welfare_portal.tests.browser"]


@pytest.fixture(autouse=True)
def _isolated_test_environment(settings, tmp_path):
    """Each test starts with an empty cache (allauth's rate limits live there), its own media
    folder and demo seal folder, and plain static files (the manifest test sets up its own)."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHARTER_DEMO_SEAL_DIR = tmp_path / "demo-seal"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    cache.clear()
