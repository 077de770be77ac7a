"""Fixtures for the portal's own tests."""

import pytest


@pytest.fixture
def fast_password_hashing(settings):
    """Hash passwords cheaply: PBKDF2's deliberate slowness would make up most of the run time
    of tests that sign up and log in. Opt in with `pytest.mark.usefixtures`."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
