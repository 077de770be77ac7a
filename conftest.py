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


@pytest.fixture
def jobs_redis(settings):
    """The job queues on a real Redis (TEST_REDIS_URL, by default database 14 of the local one),
    emptied before and after. Skipped when Redis cannot be reached, unless CI=true: there it
    must be there, and the test fails."""
    import os

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"Redis is needed at {url}: {error}")
        pytest.skip(f"no Redis at {url}")
    client.flushdb()
    settings.PORTAL_JOBS = "redis"
    settings.RQ_QUEUES = {name: {"URL": url, "DEFAULT_TIMEOUT": 600} for name in settings.JOB_QUEUES}
    yield url
    client.flushdb()
