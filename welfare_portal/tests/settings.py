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

os.environ.setdefault("DJANGO_DEBUG", "1")

from welfare_portal.settings import *  # noqa: E402,F403
