"""Settings, read from environment variables.

SQLite in the project folder is the default so a new user runs the app with no
database server; DATABASE_URL=postgres://... selects PostgreSQL in production.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

# The public address, e.g. https://cchc.example.vn: its host is allowed and a trusted
# CSRF origin; with https the cookies are Secure, HSTS is on, http is redirected.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
_site = urlsplit(SITE_URL)
if SITE_URL and (_site.scheme not in {"http", "https"} or not _site.hostname):
    raise ImproperlyConfigured("SITE_URL must look like https://cchc.example.vn")
HTTPS = _site.scheme == "https"

# The local names stay allowed so that a health check on the server itself gets through.
_default_hosts = [_site.hostname or "", "127.0.0.1", "localhost"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ",".join(_default_hosts))
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", f"{_site.scheme}://{_site.netloc}" if SITE_URL else ""
)

# Behind a reverse proxy (the nginx sample in deploy/) that sets X-Forwarded-Proto and
# X-Real-IP; on by default with an https SITE_URL. Never on where clients reach the app
# directly: they could then claim any address and scheme.
TRUST_PROXY_HEADERS = env_bool("TRUST_PROXY_HEADERS", HTTPS)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# The load balancer asks for the health endpoint over plain http, from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is asked for by the registered domain (example.vn), not by an app on
    # one of its subdomains: the domain's owner decides it, not this setting.
    "security.W021",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "scoring",
    "remediation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An account holding a one-time password sets its own before anything else.
    "scoring.accounts.middleware.MustSetPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scoring.notifications.context_processors.bell",
            ],
            "builtins": ["cchc.templatetags.vn_format"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "TEST_DATABASE_NAME", "test_cchc"
    )
    # PostgreSQL's JIT compiles a plan it guesses is costly: 150-280 ms on statements
    # that run in tens of milliseconds once totals are stored (docs/benchmarks.md).
    if not env_bool("DB_JIT"):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    # Django's UserAttributeSimilarityValidator, also with the tone marks taken off.
    {"NAME": "cchc.passwords.FoldedNameSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Password guessing (django-axes): after AXES_FAILURE_LIMIT failures within the
# cool-off time, for one account or from one address, logins are refused until
# the cool-off has passed since the last failure. The counts live in the database,
# so every app server behind the load balancer sees the same ones. Unlock: the
# admin's "Access attempts", or `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "cchc.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command; attempts are still logged
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_REAL_IP", "REMOTE_ADDR") if TRUST_PROXY_HEADERS else ("REMOTE_ADDR",)
)

# Sessions live in the database (shared by every app server) and end after a
# working day without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = True

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Day-first date input (dd/mm/yyyy) in every form, the admin's included.
FORMAT_MODULE_PATH = ["cchc.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Static files: `collectstatic` writes them compressed under content-hashed names,
# and WhiteNoise serves them from every app server. Uploaded files go through the
# "default" storage: MEDIA_ROOT, or S3-compatible object storage when S3_BUCKET is
# set (django-storages; `pip install ".[s3]"`), so app servers share them.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Evidence files (tài liệu kiểm chứng): the largest upload accepted, in megabytes.
EVIDENCE_MAX_MB = env_int("EVIDENCE_MAX_MB", 20)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000  # a sheet posts several fields per criterion

# Uploaded and imported files. An upload over its limit (EVIDENCE_MAX_MB a file and
# EVIDENCE_MAX_TOTAL_MB a request, or IMPORT_MAX_MB in the admin, where import files
# go) stops being kept as soon as it passes it, and the form refuses it with a message
# without holding it whole. Imports refuse files that unpack to more than
# IMPORT_MAX_MB or hold more than IMPORT_MAX_ROWS rows.
EVIDENCE_MAX_TOTAL_MB = env_int("EVIDENCE_MAX_TOTAL_MB", 100)
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "cchc.uploads.LimitedUploadHandler",
]
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 200)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1_000_000)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Content-Security-Policy (django-csp): pages load scripts, styles, fonts and images
# from this site only; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Errors are seen: everything to stderr (journald under systemd), request errors with
# their tracebacks, and mail to ADMINS ("Tên <a@b.vn>, c@d.vn") when it is set.
ADMINS = [
    (name, address) for name, address in getaddresses([os.environ.get("ADMINS", "")]) if address
]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "cchc@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if DEBUG and "EMAIL_HOST" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# send_reminders tells a unit (and Nội vụ) this many days before a deadline.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 3)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "filters": {"debug_off": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["debug_off"],
        },
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
    },
}

# Formula injection: the admin's exports make a cell such as "=HYPERLINK(...)" inert
# (scoring.admin.files' export formats do it with cchc.spreadsheets, as every export does).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
