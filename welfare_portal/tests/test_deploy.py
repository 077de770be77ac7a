"""The production configuration, checked the way an operator would: `manage.py check --deploy`
in a fresh process with the environment the README's production section sets."""

import os
import re
import secrets
import shlex
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE_PY = settings.BASE_DIR / "manage.py"
# The portal's own variables: the test run's would otherwise leak into the fresh process.
PORTAL_VARIABLES = re.compile(r"^(DJANGO_|PORTAL_|SENTRY_|REDIS_URL$|DATABASE_URL$)")


def clean_environment(**environment):
    env = {name: value for name, value in os.environ.items() if not PORTAL_VARIABLES.match(name)}
    env.update(environment)
    return env


def run_manage(*args, **environment):
    """Run manage.py in a fresh interpreter with the portal's variables replaced by `environment`."""
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), *args],
        cwd=settings.BASE_DIR,
        env=clean_environment(**environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def readme_production_block():
    """The shell block of the README's "Production" section: its `export` (continuation lines
    joined) and its commands."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    section = readme.split("### Production", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return block.replace("\\\n", " ").splitlines()


def readme_production_variables():
    export = next(line for line in readme_production_block() if line.startswith("export "))
    variables = dict(item.split("=", 1) for item in shlex.split(export)[1:])
    # The README's placeholders ("…"), filled in as an operator would.
    variables["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    variables["DATABASE_URL"] = "postgres://portal:secret@db.example.org:5432/welfare_portal"
    assert not [value for value in variables.values() if "…" in value]
    return variables


def readme_check_command():
    line = next(line for line in readme_production_block() if " manage.py check" in line)
    return shlex.split(line.split(" manage.py ", 1)[1])


def production_environment(**overrides):
    return {**readme_production_variables(), **overrides}


def printed_by(code, **environment):
    """What `code`, run by `manage.py shell` in a fresh process with `environment`, prints."""
    result = run_manage("shell", "--no-imports", "-c", code, **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_deploy_check_is_clean_with_the_readmes_production_variables():
    command = readme_check_command()
    result = run_manage(*command, **production_environment())

    assert command[:2] == ["check", "--deploy"]
    assert result.returncode == 0, result.stdout + result.stderr
    # Two silenced: HSTS preload, off on purpose, and django-ratelimit's W001 (below).
    assert "System check identified no issues (2 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    assert "?:" not in result.stdout + result.stderr  # every issue is printed as "?: (id) ..."


def test_the_readmes_check_fails_on_a_warning_too():
    """The check above is clean because the configuration is right, not because it is silenced:
    a weak secret key is one of Django's warnings, and the README's command fails on it."""
    result = run_manage(*readme_check_command(), **production_environment(DJANGO_SECRET_KEY="short"))

    assert "security.W009" in result.stdout + result.stderr
    assert result.returncode != 0


def test_deploy_check_fails_with_debug_on():
    result = run_manage("check", "--deploy", **production_environment(DJANGO_DEBUG="1"))

    assert result.returncode != 0
    assert "welfare_portal.E001" in result.stderr


@pytest.mark.parametrize("base_url", ["http://localhost:8000", "http://127.0.0.1:8103", "http://[::1]:8000"])
def test_deploy_check_fails_with_the_base_url_on_this_machine(base_url):
    result = run_manage("check", "--deploy", **production_environment(PORTAL_BASE_URL=base_url))

    assert result.returncode != 0
    assert "welfare_portal.E002" in result.stderr
    assert "links in emails and on sealed PDFs would point at this machine" in result.stderr


def test_deploy_check_fails_without_the_base_url():
    environment = production_environment()
    del environment["PORTAL_BASE_URL"]
    result = run_manage("check", "--deploy", **environment)

    assert result.returncode != 0
    assert "welfare_portal.E002" in result.stderr


def test_deploy_check_fails_with_a_plain_http_base_url():
    result = run_manage("check", "--deploy", **production_environment(PORTAL_BASE_URL="http://welfare.example.org"))

    assert result.returncode != 0
    assert "welfare_portal.E003" in result.stderr


def test_deploy_check_fails_without_redis():
    environment = production_environment()
    del environment["REDIS_URL"]
    result = run_manage("check", "--deploy", **environment)

    assert result.returncode != 0
    assert "welfare_portal.E004" in result.stderr
    assert "rate limits would not hold across workers" in result.stderr


def test_debug_is_off_when_django_debug_is_unset():
    environment = production_environment()
    del environment["DJANGO_DEBUG"]

    assert printed_by("from django.conf import settings; print(settings.DEBUG)", **environment) == "False"


def test_without_any_configuration_the_portal_refuses_to_start():
    """Debug off by default means a bare start asks for a secret rather than running with the
    development one."""
    result = run_manage("check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr


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
    silenced = [check for check in settings.SILENCED_SYSTEM_CHECKS if check.startswith("django_ratelimit.")]
    assert sorted(message.id for message in check_caches(None)) == sorted(silenced) == [
        "django_ratelimit.E003", "django_ratelimit.W001",
    ]
    result = run_manage("check", "--deploy", **production_environment(REDIS_URL="redis://127.0.0.1:6379/1"))
    assert result.returncode == 0, result.stderr
    # W001 and HSTS preload (security.W021) only.
    assert "System check identified no issues (2 silenced)." in result.stdout


HSTS_HEADER = (
    "from django.http import HttpResponse; from django.middleware.security import SecurityMiddleware; "
    "from django.test import RequestFactory; "
    "request = RequestFactory().get('/', secure=True, HTTP_HOST='welfare.example.org'); "
    "print(SecurityMiddleware(lambda request: HttpResponse())(request)['Strict-Transport-Security'])"
)


def test_hsts_has_no_preload_unless_asked():
    assert printed_by(HSTS_HEADER, **production_environment()) == "max-age=31536000; includeSubDomains"


def test_hsts_preload_when_asked():
    assert printed_by(HSTS_HEADER, **production_environment(DJANGO_HSTS_PRELOAD="1")) == (
        "max-age=31536000; includeSubDomains; preload"
    )


SENTRY_STATE = (
    "import sentry_sdk; client = sentry_sdk.get_client(); options = client.options; "
    "print(client.is_active(), client.dsn, options['send_default_pii'], options['max_request_body_size'], "
    "options['include_local_variables'], options['environment'], options['release'])"
)


def test_error_reporting_starts_with_a_dsn_and_sends_no_personal_data():
    # A DSN on a local port nobody listens on: starting the client sends nothing.
    dsn = "http://public@127.0.0.1:9/1"
    printed = printed_by(SENTRY_STATE, **production_environment(SENTRY_DSN=dsn, SENTRY_RELEASE="portal@1.4.0"))

    assert printed == f"True {dsn} False never False production portal@1.4.0"


def test_no_error_reporting_without_a_dsn():
    printed = printed_by(SENTRY_STATE, **production_environment())

    assert printed.startswith("False None ")


def make_dry_run(*arguments, **environment):
    """The commands `make` would run (`make -n`), with the given command-line variables."""
    result = subprocess.run(
        ["make", "-n", *arguments], cwd=settings.BASE_DIR, env=clean_environment(**environment),
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def command_of(output, manage_command):
    """The shell command (continuation lines joined) that runs this manage.py command."""
    return next(line for line in output.replace("\\\n", " ").splitlines() if f"manage.py {manage_command}" in line)


def test_make_run_points_links_at_its_own_host_and_port():
    output = make_dry_run("run", "PORT=8103")

    for manage_command in ("seed_demo", "runserver"):
        assert 'PORTAL_BASE_URL="http://127.0.0.1:8103"' in command_of(output, manage_command)
    assert command_of(output, "runserver").endswith("manage.py runserver 127.0.0.1:8103")


def test_make_run_puts_an_ipv6_host_in_brackets():
    output = make_dry_run("run", "HOST=::1", "PORT=8103")

    assert 'PORTAL_BASE_URL="http://[::1]:8103"' in command_of(output, "runserver")
    assert command_of(output, "runserver").endswith("manage.py runserver [::1]:8103")


def test_make_run_keeps_a_base_url_the_environment_sets():
    output = make_dry_run("run", "PORT=8103", PORTAL_BASE_URL="https://demo.example.org")

    assert 'PORTAL_BASE_URL="https://demo.example.org"' in command_of(output, "seed_demo")
    assert 'PORTAL_BASE_URL="https://demo.example.org"' in command_of(output, "runserver")


def test_make_turns_debug_on_for_its_commands_unless_the_environment_says():
    """What a command that make runs sees in its environment (a rule added for the test)."""
    def debug_seen(**environment):
        result = subprocess.run(
            ["make", "-s", "--eval", 'show-debug: ; @echo "$$DJANGO_DEBUG"', "show-debug"],
            cwd=settings.BASE_DIR, env=clean_environment(**environment), capture_output=True, text=True, timeout=60,
        )
        return result.stdout.strip()

    assert debug_seen() == "1"
    assert debug_seen(DJANGO_DEBUG="0") == "0"
