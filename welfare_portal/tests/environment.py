"""The environment the tests run in: a pytest plugin that pytest.ini loads first (`-p`).

Debug is off unless DJANGO_DEBUG=1 (settings.py), and without debug the settings need a real
secret and hosts. pytest-django imports the settings before any conftest.py, so the tests ask for
the developer's defaults here, at import, as `make run` and `make test` do. A DJANGO_DEBUG set in
the environment still wins. (Django's test runner then turns settings.DEBUG off for the tests
themselves; the settings derived from it at import stay those of a developer's machine.)
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
