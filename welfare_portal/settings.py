"""Settings for the Legnano generative-welfare portal.

One module, configured by environment variables. The defaults are safe: debug is off unless
DJANGO_DEBUG=1 (which `make run`, `make test` and the test suite set), and then SQLite, console
email and a development secret suit a developer's machine. Production leaves debug off and sets a
real secret, hosts, PORTAL_BASE_URL and REDIS_URL (`manage.py check --deploy` fails otherwise).
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rates(name, default):
    """Comma-separated django-ratelimit rates ("10/h,30/d"), checked at start-up: a typo would
    otherwise surface as an error on the first request it limits."""
    rates = env_list(name, default)
    for rate in rates:
        if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", rate):
            raise ImproperlyConfigured(f"{name}: {rate!r} is not a rate such as 10/h or 5/15m.")
    return rates


# Off unless asked: a server started without configuration must not show tracebacks and settings.
DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The partnership's names, shown in the header, emails and documents. Data of the deployment,
# not code: another ambito sets its own.
PORTAL_NAME = os.environ.get("PORTAL_NAME", "Welfare generativo")
PORTAL_AMBITO_NAME = os.environ.get("PORTAL_AMBITO_NAME", "Ambito territoriale di Legnano")
# Scheme and host of the portal as people reach it: emails sent after a commit, with no request
# at hand, build their links from it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "welfare_portal",
    "partners",
    "projects",
    "charter",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_ratelimit",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap_italia_template",
    # Checks that the Content-Security-Policy settings are in django-csp 4's format.
    "csp",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "welfare_portal.request_id.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, the first to read a POST: refuses bodies over the page's limit unread.
    "welfare_portal.uploads.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before the staff check, which leaves a message for the page it redirects to.
    "django.contrib.messages.middleware.MessageMiddleware",
    "welfare_portal.middleware.TwoFactorMiddleware",
    "welfare_portal.middleware.HtmlLangMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "welfare_portal.urls"
WSGI_APPLICATION = "welfare_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "welfare_portal.context_processors.portal",
            ],
        },
    },
]

# SQLite by default, so a newcomer runs the portal at once; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Production sets DJANGO_CONN_MAX_AGE=60: opening a PostgreSQL connection per request
        # costs ~13 ms, most of a simple page (make bench). Checked before reuse.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL compiles any query its planner estimates as costly, and the
    # review queue's (a conflict-of-interest check per row in its ORDER BY) looks costly while it
    # runs in 60 ms; compiling it took 490 ms more on every view (make bench, 10,000 proposals).
    # JIT pays off for long analytical queries, which the portal does not run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache makes the rate limits (allauth's and django-ratelimit's) hold across gunicorn
# workers.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Background jobs (welfare_portal.jobs): rendering the PDFs and delivering emails. With a Redis
# (PORTAL_JOBS_REDIS_URL, by default the cache's REDIS_URL) they go to RQ queues that
# `manage.py run_worker` works on; without one (make run, newcomers) they run in this process
# right after the transaction commits. The tests run them at once ("eager", tests/settings.py).
JOBS_REDIS_URL = os.environ.get("PORTAL_JOBS_REDIS_URL") or os.environ.get("REDIS_URL", "")
PORTAL_JOBS = "redis" if JOBS_REDIS_URL else "inline"
JOB_QUEUES = ("email", "documents")  # the worker takes emails first: they never wait for a render
RQ_QUEUES = {
    name: {"URL": JOBS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600} for name in JOB_QUEUES
}
# django-rq would otherwise hold an enqueue back until the surrounding transaction commits; the
# portal says when, with welfare_portal.jobs.enqueue_after_commit.
RQ = {"COMMIT_MODE": "auto"}
# What `manage.py run_worker` runs when it starts and then every PORTAL_JOB_SWEEP_SECONDS: each
# finds work that a lost worker or a lost queue entry left undone and queues it again.
JOB_SWEEPERS = ["charter.documents.sweep_owed_documents"]
JOB_SWEEP_SECONDS = float(os.environ.get("PORTAL_JOB_SWEEP_SECONDS", "30"))
# Delivery of an email: tries and the pauses between them, in seconds.
EMAIL_DELIVERY_ATTEMPTS = int(os.environ.get("PORTAL_EMAIL_ATTEMPTS", "5"))
EMAIL_DELIVERY_RETRY_SECONDS = [60, 300, 1800, 3600]

# django-ratelimit's checks accept only memcached and django-redis. Django's own Redis backend
# adds with SET NX and increments with INCR, atomic as the library needs: it is just not on its
# list (W001). The per-process memory cache (E003) is the development and test cache; a
# production without REDIS_URL is what `check --deploy` must catch, not every command.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if CACHES["default"]["BACKEND"].endswith(".LocMemCache"):
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
RATELIMIT_USE_CACHE = "default"
# django-ratelimit's "ip" key: the client as welfare_portal.network tells it behind the proxies.
RATELIMIT_IP_META_KEY = "welfare_portal.network.rate_limit_ip"
# Emails the public forms (no login needed: event registration and cancellation) may send, per
# client address (IPv6: per /64) and per recipient, as django-ratelimit rates.
PORTAL_PUBLIC_MAIL_PER_CLIENT = env_rates("PORTAL_PUBLIC_MAIL_PER_CLIENT", "10/h,30/d")
PORTAL_PUBLIC_MAIL_PER_RECIPIENT = env_rates("PORTAL_PUBLIC_MAIL_PER_RECIPIENT", "5/h,10/d")
# Reverse proxies in front of the portal that append the client's address to X-Forwarded-For
# (README, Production); 0 ignores the header. The one setting for allauth and the portal
# (welfare_portal.network.client_ip): rate limits and the evidence stored with signatures.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

AUTH_USER_MODEL = "welfare_portal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; every address is verified before the account is usable.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "welfare_portal.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_ADAPTER = "welfare_portal.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that they are visibly on...
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    # ...except where a stranger makes the portal write to any address typed (a reset link, or
    # "no account with this address"; a verification email, or "you already have an account"):
    # per client and per address by the hour and the day, not only by the minute.
    "reset_password": "5/m/ip,20/h/ip,3/h/key,10/d/key",
    "signup": "5/m/ip,20/h/ip",
    "confirm_email": "1/3m/key,10/d/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PORTAL_NAME
# Where staff without two-factor authentication may still go: the account pages (log-out and
# the set-up among them) and the language switch; everywhere else sends them to the set-up.
TWO_FACTOR_SETUP_PATH_PREFIXES = ("/accounts/", "/i18n/")
# How long an outreach invitation link stays valid, in seconds.
OUTREACH_INVITATION_MAX_AGE = int(os.environ.get("OUTREACH_INVITATION_DAYS", "30")) * 24 * 3600
# How recent the password (or code) a signer re-enters must be, in seconds, for a signature.
CHARTER_REAUTHENTICATION_MAX_AGE = int(os.environ.get("CHARTER_REAUTHENTICATION_SECONDS", "300"))
# Root certificates (PEM files) of the certification authorities whose qualified signatures are
# "issuer verified"; without them an uploaded signature is recorded as integrity-checked only.
CHARTER_TRUSTED_ROOTS_DIR = os.environ.get("CHARTER_TRUSTED_ROOTS_DIR", "")
# Largest Patto signed with a qualified signature that may be uploaded, in megabytes.
CHARTER_QUALIFIED_MAX_MB = int(os.environ.get("CHARTER_QUALIFIED_MAX_MB", "20"))
# The platform seal (PAdES) applied to every rendered document: certificate and private key as
# PEM files, the key's passphrase if any. Unset: documents are issued unsealed.
CHARTER_SEAL_CERT_PATH = os.environ.get("CHARTER_SEAL_CERT_PATH", "")
CHARTER_SEAL_KEY_PATH = os.environ.get("CHARTER_SEAL_KEY_PATH", "")
CHARTER_SEAL_KEY_PASSPHRASE = os.environ.get("CHARTER_SEAL_KEY_PASSPHRASE", "")
# Where seed_demo keeps the self-signed demo seal it uses when no seal is configured (`make run`
# then hands it to the portal). Never a production setting.
CHARTER_DEMO_SEAL_DIR = BASE_DIR / "var" / "demo-seal"
# Public verification page: largest PDF compared (never stored) and uploads per IP per hour.
CHARTER_VERIFY_MAX_UPLOAD_BYTES = int(os.environ.get("CHARTER_VERIFY_MAX_UPLOAD_MB", "20")) * 1024 * 1024
CHARTER_VERIFY_UPLOADS_PER_HOUR = int(os.environ.get("CHARTER_VERIFY_UPLOADS_PER_HOUR", "30"))
# Rendering a PDF in the background (charter.documents): its time limit, how many tries and the
# pauses between them, how often a running render shows it is alive, and after how many seconds
# without a sign of life its worker counts as lost (the sweeper then queues it again).
CHARTER_RENDER_TIMEOUT = int(os.environ.get("CHARTER_RENDER_TIMEOUT_SECONDS", "900"))
CHARTER_RENDER_ATTEMPTS = int(os.environ.get("CHARTER_RENDER_ATTEMPTS", "3"))
CHARTER_RENDER_RETRY_SECONDS = [30, 300]
CHARTER_RENDER_HEARTBEAT_SECONDS = float(os.environ.get("CHARTER_RENDER_HEARTBEAT_SECONDS", "10"))
CHARTER_RENDER_STALE_SECONDS = float(os.environ.get("CHARTER_RENDER_STALE_SECONDS", "60"))
# Largest attachment a proposal may carry (bytes); types are checked from the content.
PROJECTS_ATTACHMENT_MAX_BYTES = int(os.environ.get("PROJECTS_ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
# The form fields of any request, files aside (the longest text a form takes is 20,000
# characters); pages that take files add their own limit (welfare_portal.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_BOOTSTRAP_ITALIA_USE_CDN = False

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
# locale_overrides/ holds formal Italian for allauth's and Django's strings whose own catalogues
# say "tu" (its header says more). Order matters: Django merges LOCALE_PATHS in reverse after
# the apps' catalogues, so the first entry wins and both win over allauth's (trans_real.py,
# DjangoTranslation._add_local_translations); makemessages writes into the first entry
# (makemessages.py, default_locale_path), so `make messages` never touches the overrides.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded attachments and rendered PDFs are never served from MEDIA_URL, not even in
# development: views that check the reader's permission stream them.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing and testing.
        "BACKEND": (
            "welfare_portal.storage.PortalStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# The PDF renderer's fallback fonts (static/charter/fonts/fallback, 8 MB of TrueType) are read
# from the source tree and never sent to a browser: compressing them only slowed collectstatic
# (23 s to 68 s of CPU). WhiteNoise's own list, plus TrueType.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv", "woff", "woff2",
    "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "ttf",
)

# Every email goes through the job queue (welfare_portal.jobs), which retries a failed delivery;
# the backend that really delivers is EMAIL_DELIVERY_BACKEND.
EMAIL_BACKEND = "welfare_portal.mail_queue.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "welfare-generativo@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening; `manage.py check --deploy` is quiet when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading is a promise to browsers, hard to take back, that covers every subdomain of the
# domain: only the domain's owner can make it (DJANGO_HSTS_PRELOAD=1). Django's check --deploy
# would warn that it is off (W021); off is the deliberate default.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS += ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and images come only from the portal
# itself; no inline script or style, no eval, no plugins, no framing, forms post only here. The
# theme's inline scripts are gone (templates/bootstrap-italia-base.html). data: URIs are allowed
# for images (Bootstrap Italia's CSS draws small icons so, allauth the QR code of an authenticator
# app) and fonts (the theme's CSS embeds Video.js's icon font so, and Chromium decodes it as soon
# as the stylesheet loads); neither can run code, and no one can add CSS. A template that ever
# needs an inline script gives it the request's nonce (add csp.constants.NONCE to script-src and
# write nonce="{{ request.csp_nonce }}").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Where browsers report what the policy blocked (e.g. Sentry's security endpoint); unset: nowhere.
if os.environ.get("DJANGO_CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [os.environ["DJANGO_CSP_REPORT_URI"]]

# Request ids (django-log-request-id): every log line of a request and its error report carry one,
# and the response says it in X-Request-ID, so a person's "it failed at 10:32" leads to the log.
# Behind a proxy that sets its own (DJANGO_REQUEST_ID_HEADER=X-Request-ID, e.g. nginx's
# $request_id), the proxy's is used and the two logs match; otherwise the portal makes one and
# ignores what a client sends.
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
_request_id_header = os.environ.get("DJANGO_REQUEST_ID_HEADER", "").strip()
LOG_REQUEST_ID_HEADER = (
    "HTTP_" + _request_id_header.upper().replace("-", "_") if _request_id_header else None
)
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True

# Optional error reporting (sentry-sdk), started in WelfarePortalConfig.ready() only when
# SENTRY_DSN is set. No personal data is sent (welfare_portal/error_reporting.py says what).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")
SENTRY_RELEASE = os.environ.get("SENTRY_RELEASE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {
        # "none" outside a request (management commands, start-up).
        "portal": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "portal"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # pyHanko logs a traceback for every signer certificate whose issuer is not among the
        # trusted roots; the portal records that outcome itself ("issuer not verified").
        "pyhanko.sign.validation": {"level": "ERROR"},
    },
}

# --- Privacy (GDPR) ---------------------------------------------------------------------------
# Who answers for the personal data the portal holds, shown by the privacy notice (/privacy/).
# Data of the deployment: the defaults are EXAMPLES for the Ambito di Legnano (its lead
# municipality, with contacts on the reserved .example domain), and the notice marks as an
# example every value whose variable is not set (PRIVACY_EXAMPLE_SETTINGS).
_PRIVACY_EXAMPLES = {
    "PRIVACY_CONTROLLER_NAME": "Comune di Legnano, ente capofila dell'Ambito territoriale di Legnano",
    "PRIVACY_CONTROLLER_ADDRESS": "Piazza San Magno 9, 20025 Legnano (MI)",
    "PRIVACY_CONTROLLER_EMAIL": "ufficiodipiano@comune-legnano.example",
    "PRIVACY_CONTROLLER_PEC": "protocollo@pec.comune-legnano.example",
    "PRIVACY_DPO_NAME": "Responsabile della protezione dei dati del Comune di Legnano",
    "PRIVACY_DPO_EMAIL": "rpd@comune-legnano.example",
    # Processors (GDPR art. 28), separated by ";".
    "PRIVACY_PROCESSORS": "Esempio Hosting S.r.l. (hosting del portale, in Italia); "
                          "Esempio Posta S.p.A. (invio delle email)",
}
PRIVACY_EXAMPLE_SETTINGS = frozenset(name for name in _PRIVACY_EXAMPLES if not os.environ.get(name, "").strip())
PRIVACY_CONTROLLER_NAME = os.environ.get("PRIVACY_CONTROLLER_NAME", "").strip() or _PRIVACY_EXAMPLES["PRIVACY_CONTROLLER_NAME"]
PRIVACY_CONTROLLER_ADDRESS = (
    os.environ.get("PRIVACY_CONTROLLER_ADDRESS", "").strip() or _PRIVACY_EXAMPLES["PRIVACY_CONTROLLER_ADDRESS"]
)
PRIVACY_CONTROLLER_EMAIL = (
    os.environ.get("PRIVACY_CONTROLLER_EMAIL", "").strip() or _PRIVACY_EXAMPLES["PRIVACY_CONTROLLER_EMAIL"]
)
PRIVACY_CONTROLLER_PEC = os.environ.get("PRIVACY_CONTROLLER_PEC", "").strip() or _PRIVACY_EXAMPLES["PRIVACY_CONTROLLER_PEC"]
PRIVACY_DPO_NAME = os.environ.get("PRIVACY_DPO_NAME", "").strip() or _PRIVACY_EXAMPLES["PRIVACY_DPO_NAME"]
PRIVACY_DPO_EMAIL = os.environ.get("PRIVACY_DPO_EMAIL", "").strip() or _PRIVACY_EXAMPLES["PRIVACY_DPO_EMAIL"]
PRIVACY_PROCESSORS = [
    item.strip()
    for item in (os.environ.get("PRIVACY_PROCESSORS", "").strip() or _PRIVACY_EXAMPLES["PRIVACY_PROCESSORS"]).split(";")
    if item.strip()
]
# Days an event registration is kept after the event (then `manage.py prune_registrations`
# deletes it), and days the server keeps its logs (the operator's log rotation must match).
PRIVACY_EVENT_REGISTRATION_DAYS = int(os.environ.get("PRIVACY_EVENT_REGISTRATION_DAYS", "365"))
PRIVACY_LOG_RETENTION_DAYS = int(os.environ.get("PRIVACY_LOG_RETENTION_DAYS", "90"))
