"""The production configuration, checked the way an operator would: `manage.py check --deploy`
in a fresh process with the environment production sets."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

MANAGE_PY = settings.BASE_DIR / "manage.py"


def run_manage(*args, **environment):
    """Run manage.py in a fresh interpreter with the portal's DJANGO_* variables replaced by
    `environment` (the test run's own variables would otherwise leak in)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_environment(**overrides):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "welfare.example.org",
        **overrides,
    }


def test_deploy_check_is_quiet_with_the_production_environment():
    result = run_manage("check", "--deploy", **production_environment())

    assert result.returncode == 0, result.stderr
    # Silenced: django-ratelimit's complaints about the cache, and only those (test below).
    assert "System check identified no issues (2 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    assert "?:" not in result.stdout + result.stderr  # every issue is printed as "?: (id) ..."


def test_deploy_check_complains_about_a_weak_secret_key():
    """The check above is quiet because the configuration is right, not because it is silenced."""
    result = run_manage("check", "--deploy", **production_environment(DJANGO_SECRET_KEY="short"))

    assert "security.W009" in result.stdout + result.stderr


def test_startup_without_a_secret_key_in_production_fails_with_a_clear_message():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="welfare.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr


def test_startup_with_an_empty_secret_key_in_production_fails_too():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr


def test_only_django_ratelimit_cache_checks_are_silenced_and_only_where_they_are_wrong(settings):
    """Its checks call Django's own Redis backend "not officially supported" (W001), though it
    adds and increments atomically, and the per-process cache "not shared" (E003): true, and
    the development and test cache. With REDIS_URL, E003 has nothing to say and is not silenced."""
    from django_ratelimit.checks import check_caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert sorted(message.id for message in check_caches(None)) == sorted(settings.SILENCED_SYSTEM_CHECKS) == [
        "django_ratelimit.E003", "django_ratelimit.W001",
    ]
    result = run_manage("check", "--deploy", **production_environment(REDIS_URL="redis://127.0.0.1:6379/1"))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout
