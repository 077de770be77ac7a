"""Settings of the test suite (pytest.ini): the portal's own, read with debug on.

Debug is off unless DJANGO_DEBUG=1 (welfare_portal/settings.py), and without debug the settings
need a real secret and hosts. The tests ask for the developer's defaults here, before the
portal's settings are read, as `make run` and `make test` do; a DJANGO_DEBUG set in the
environment still wins. (A `-p` plugin in pytest.ini could set it too, but the `pytest` command,
unlike `python -m pytest`, cannot import a plugin from the project.) Django's test runner then
turns settings.DEBUG off for the tests themselves; what the settings derive from it at import
(the development secret, local hosts, plain static files) stays that of a developer's machine.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "1")

from welfare_portal.settings import *  # noqa: E402,F403

# Background jobs (welfare_portal.jobs) run at once, inside the caller's transaction: a test sees
# the PDF right after the service call that owes it, without committing. The tests of the real
# behaviour set PORTAL_JOBS to "inline" (after the commit, django_capture_on_commit_callbacks) or
# "redis" (a real queue and `manage.py run_worker`), which is also what a worker started by a
# test reads from its environment.
PORTAL_JOBS = os.environ.get("PORTAL_JOBS", "eager")

# `manage.py run_worker`, started by a test in another process, must see the test database: on
# SQLite that database is then a file (Django's default test database lives in memory, in one
# process), one per test run.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"welfare-test-db-{os.getpid()}.sqlite3"),
    }

# Test-only hook of charter.documents: the render waits while this file exists (the worker test
# kills the worker in the middle of a render).
CHARTER_RENDER_TEST_PAUSE_FILE = os.environ.get("CHARTER_RENDER_TEST_PAUSE_FILE", "")
