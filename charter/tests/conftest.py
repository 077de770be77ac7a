import pytest
from django.utils import translation

from charter.demo_pki import make_seal


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English msgids, whatever the Italian catalogue translates them to."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every factory user gets a hashed password; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the emails queued with transaction.on_commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def seal(settings, tmp_path):
    """A platform seal configured (a throw-away certificate); returns the certificate's path."""
    cert_path, key_path, _cert_pem = make_seal(tmp_path)
    settings.CHARTER_SEAL_CERT_PATH = str(cert_path)
    settings.CHARTER_SEAL_KEY_PATH = str(key_path)
    settings.CHARTER_SEAL_KEY_PASSPHRASE = "segreto"
    return cert_path
