"""Settings shared by every environment.

Anything an operator may need to change is read from the environment in
``production.py``; this module holds the project's structure and safe defaults.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from agora_site import identity
from agora_site.env import env_bool, env_csp, env_list

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("AGORA_VAR_DIR", BASE_DIR / "var"))


INSTALLED_APPS = [
    "hearings",
    "home",
    "search",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_q",
    "social_django",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "agora_site.middleware.ContentSecurityPolicyMiddleware",
    "agora_site.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "agora_site.middleware.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agora_site.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agora_site.middleware.AccessSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "agora_site.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "agora_site.accounts.SignInErrorMiddleware",
]

ROOT_URLCONF = "agora_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "hearings.context_processors.municipality",
            ],
        },
    },
]

WSGI_APPLICATION = "agora_site.wsgi.application"

# Database: SQLite under var/ unless DATABASE_URL says otherwise. The SQLite
# options let the web process and the job worker write without locking each
# other out: WAL lets readers continue during a write, IMMEDIATE takes the write
# lock at BEGIN (no upgrade deadlocks), and the timeout waits instead of failing.
SQLITE_PATH = VAR_DIR / "agora.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}


def postgresql_options(database):
    """Give a PostgreSQL ``database`` server-side parameters and prepared statements.

    Django binds the parameters into the SQL text by default and PostgreSQL then parses
    and plans every statement afresh: about a millisecond for the hearing page's one
    query, more than running it (#16). With the parameters sent apart, psycopg prepares
    a statement once it has run ``DATABASE_PREPARE_THRESHOLD`` times on a connection
    (default 5) and PostgreSQL reuses its plan. ``off`` turns preparing off, for a
    connection pooler in transaction mode that does not keep prepared statements.
    """
    if database.get("ENGINE") != "django.db.backends.postgresql":
        return
    threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
    if threshold in ("off", "none", ""):
        threshold = None
    elif threshold.isdigit():
        threshold = int(threshold)
    else:
        raise ImproperlyConfigured("DATABASE_PREPARE_THRESHOLD must be a number or 'off'.")
    options = database.setdefault("OPTIONS", {})
    options.update({"server_side_binding": True, "prepare_threshold": threshold})


postgresql_options(DATABASES["default"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAILADMIN_LOGIN_URL = LOGIN_URL

# Sessions are kept in the database; a changed one is written with one statement
# (agora_site/sessions.py).
SESSION_ENGINE = "agora_site.sessions"
# Sessions end after SESSION_COOKIE_AGE seconds (default: a working day).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))

# Sign-in throttling, shared by the local form and single sign-on (throttle.py).
AGORA_SIGNIN_MAX_FAILURES = int(os.environ.get("AGORA_SIGNIN_MAX_FAILURES", "5"))
AGORA_SIGNIN_MAX_FAILURES_PER_ADDRESS = int(
    os.environ.get("AGORA_SIGNIN_MAX_FAILURES_PER_ADDRESS", "20")
)
AGORA_SIGNIN_MAX_FAILURES_GLOBAL = int(os.environ.get("AGORA_SIGNIN_MAX_FAILURES_GLOBAL", "200"))
AGORA_SIGNIN_LOCKOUT_MINUTES = int(os.environ.get("AGORA_SIGNIN_LOCKOUT_MINUTES", "15"))
AGORA_PASSWORD_RESET_MAX_PER_HOUR = int(os.environ.get("AGORA_PASSWORD_RESET_MAX_PER_HOUR", "3"))
# Local sign-in (username and password) beside single sign-on; off, only SSO signs in
# and Wagtail's password reset is off too.
AGORA_LOCAL_SIGNIN = env_bool("AGORA_LOCAL_SIGNIN", True)
WAGTAIL_PASSWORD_RESET_ENABLED = AGORA_LOCAL_SIGNIN
# A second factor (TOTP) for local accounts with staff rights (second_factor.py).
AGORA_REQUIRE_2FA_FOR_STAFF = env_bool("AGORA_REQUIRE_2FA_FOR_STAFF", False)
OTP_TOTP_ISSUER = os.environ.get("AGORA_SITE_NAME", "Agora")
AGORA_TRUSTED_PROXY_COUNT = int(os.environ.get("AGORA_TRUSTED_PROXY_COUNT", "0"))

# Single sign-on: the providers whose variables are set (identity.py,
# docs/identity.md). With none set, only the local sign-in form shows. The
# SOCIAL_AUTH_* and AGORA_SSO_* settings are module globals as Django expects.
IDENTITY = identity.configure(
    site_name=os.environ.get("AGORA_SITE_NAME", "Agora"),
    base_url=os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000"),
    contact_email=os.environ.get("DEFAULT_FROM_EMAIL", "agora@localhost"),
)
AUTHENTICATION_BACKENDS = [*IDENTITY.backends, "django.contrib.auth.backends.ModelBackend"]
globals().update(IDENTITY.settings)

# Internationalisation: Danish first, English available.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = [("da", "Dansk")]
# Our own catalogue first; then hand-written Danish for Wagtail admin strings that
# Wagtail does not translate (LOCALE_PATHS win over installed apps' catalogues, and an
# earlier entry over a later one). See docs/translations.md.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "overrides"]
# English dates as the Danish pages write them: day, month, year and a 24-hour clock.
FORMAT_MODULE_PATH = ["agora_site.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# Static files: our own assets, plus DKFDS installed by npm (never committed).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Wagtail's documents and images: under MEDIA_ROOT, or in S3-compatible object storage
# when AGORA_MEDIA_S3_BUCKET is set. Either way they are served only by the web process
# through the permission check (hearings/files.py), never from a public URL.
MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
AGORA_MEDIA_S3_BUCKET = os.environ.get("AGORA_MEDIA_S3_BUCKET", "")
if AGORA_MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "hearings.storage.MediaObjectStorage",
        "OPTIONS": {
            "bucket_name": AGORA_MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("AGORA_MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AGORA_MEDIA_S3_REGION") or None,
            # Empty: boto3's own chain (AWS_* variables, instance role).
            "access_key": os.environ.get("AGORA_MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AGORA_MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AGORA_MEDIA_S3_PREFIX", ""),
        },
    }
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Documents always through Wagtail's view and its before_serve_document hook.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("AGORA_SITE_NAME", "Agora")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("da", "Dansk"), ("en", "English")]
# Nothing leaves the building: initials instead of Gravatar images (which would send
# an MD5 of each user's e-mail address to gravatar.com), and no release check against
# releases.wagtail.org on the dashboard.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# E-mail: console in development, SMTP from the environment in production.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "agora@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-q2 with its ORM broker: no extra server. ``retry`` must exceed
# ``timeout`` or a slow task is handed out twice while it still runs.
Q_CLUSTER = {
    "name": "agora",
    "orm": "default",
    "workers": int(os.environ.get("AGORA_Q_WORKERS", "2")),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 5,
    "ack_failures": False,
    "catch_up": False,
}

# Agora
AGORA_ESDH_BACKEND = os.environ.get("AGORA_ESDH_BACKEND", "filesystem")
AGORA_ESDH_DIR = Path(os.environ.get("AGORA_ESDH_DIR", VAR_DIR / "esdh"))
# Response attachments: outside MEDIA_ROOT, never served by a public URL.
AGORA_PRIVATE_MEDIA_ROOT = Path(os.environ.get("AGORA_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
AGORA_ATTACHMENT_MAX_BYTES = int(os.environ.get("AGORA_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
# The largest content bundle import_content and the admin read (docs/content-bundles.md).
AGORA_CONTENT_BUNDLE_MAX_BYTES = int(
    os.environ.get("AGORA_CONTENT_BUNDLE_MAX_BYTES", 50 * 1024 * 1024)
)
# ClamAV: clamd's address (tcp://host:3310 or unix:///run/clamav/clamd.ctl) switches
# scanning on (hearings/scanning.py); uploads are refused while clamd is down.
AGORA_CLAMD_ADDRESS = os.environ.get("AGORA_CLAMD_ADDRESS", "")
AGORA_CLAMD_TIMEOUT = int(os.environ.get("AGORA_CLAMD_TIMEOUT", "30"))
# Without clamd: dotted path of a callable(file) -> (status, detail) that scans an
# upload; the default accepts everything unscanned.
AGORA_ATTACHMENT_SCANNER = os.environ.get(
    "AGORA_ATTACHMENT_SCANNER", "hearings.attachments.no_scan"
)
# Uploads past these limits are skipped while the request is read (hearings/attachments.py).
FILE_UPLOAD_HANDLERS = [
    "hearings.attachments.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Most files one request may upload to one question's files, whatever the question allows.
AGORA_ATTACHMENT_MAX_FILES = int(os.environ.get("AGORA_ATTACHMENT_MAX_FILES", "10"))
# Uploads never made part of an answer are deleted after this many hours.
AGORA_ORPHAN_UPLOAD_HOURS = int(os.environ.get("AGORA_ORPHAN_UPLOAD_HOURS", "24"))
# /healthz shows its details (queue figures, each check) to staff and to callers
# sending "Authorization: Bearer <token>"; anonymous callers get only the status.
AGORA_HEALTHZ_TOKEN = os.environ.get("AGORA_HEALTHZ_TOKEN", "")
# Send a queued mail from the request that queued it (development and tests, which run
# no worker) or hand it to the job queue's worker (production: a receipt does not keep
# the answer waiting). The outbox job sends whatever is left either way.
AGORA_SEND_MAIL_IN_REQUEST = env_bool("AGORA_SEND_MAIL_IN_REQUEST", True)
# Seconds a process keeps the site of a host name and its home page (0: asked of the
# database on every request). See hearings.sites.find_site.
AGORA_SITE_SECONDS = int(os.environ.get("AGORA_SITE_SECONDS", "10"))
# The cache sign-in throttling counts in (agora_site.throttle): one every process shares.
AGORA_THROTTLE_CACHE = "default"
# How long a person's staff flag and department are kept in their session (seconds;
# 0: asked of the database on every request). See hearings.access.remember_in_session.
AGORA_ACCESS_SESSION_SECONDS = int(os.environ.get("AGORA_ACCESS_SESSION_SECONDS", "300"))
# The Permissions-Policy header: the browser features the portal never uses.
AGORA_PERMISSIONS_POLICY = os.environ.get(
    "AGORA_PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "xr-spatial-tracking=()",
)

# Content Security Policy for the public site, sent by django-csp 4
# (agora_site/middleware.py). The portal has no inline scripts or styles.
# CSP_DIRECTIVES is a plain dict of lists shaped like Django 6's SECURE_CSP: moving to
# Django's built-in middleware makes it SECURE_CSP, and the path exemption below moves
# into agora_site/middleware.py (Django's has none). AGORA_CSP, written as in the
# header, replaces the default; an empty AGORA_CSP switches the header off.
CSP_DIRECTIVES = env_csp(
    "AGORA_CSP",
    {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
)
# Browsers check form-action against redirects too: the sign-in and sign-out forms
# post to our own URLs, which redirect to the identity providers.
if "form-action" in CSP_DIRECTIVES:
    CSP_DIRECTIVES["form-action"] = [
        *CSP_DIRECTIVES["form-action"],
        *env_list("AGORA_CSP_FORM_ACTION_EXTRA"),
        *IDENTITY.form_action_origins,
    ]
# None, not empty DIRECTIVES, is django-csp's "no header". Wagtail's admin (and its
# page previews) use inline scripts: no policy under EXCLUDE_URL_PREFIXES.
CONTENT_SECURITY_POLICY = (
    {
        "DIRECTIVES": CSP_DIRECTIVES,
        "EXCLUDE_URL_PREFIXES": env_list("AGORA_CSP_EXEMPT_PATHS", "/admin/"),
    }
    if CSP_DIRECTIVES
    else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {
        # Personal data stays out of the log even at DEBUG: see agora_site/log_filters.py.
        "drop_template_context": {"()": "agora_site.log_filters.DropTemplateContext"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.template": {"level": "INFO", "filters": ["drop_template_context"]},
        # Wagtail's index updates run through django-tasks and log every task.
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# Optional Redis broker for django-q2 instead of the ORM broker. Note: Redis gives no
# delivery receipts, so a task whose worker dies is lost (the ORM broker redelivers it
# after ``retry`` seconds). Every Agora job is idempotent and re-found by the next
# minute's run, so nothing is lost for good either way.
AGORA_Q_REDIS_URL = os.environ.get("AGORA_Q_REDIS_URL", "")
if AGORA_Q_REDIS_URL:
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = AGORA_Q_REDIS_URL

# Jobs: reminders, e-mail outbox, ESDH export retries.
AGORA_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("AGORA_NOTIFICATION_MAX_ATTEMPTS", "8"))
AGORA_ESDH_MAX_ATTEMPTS = int(os.environ.get("AGORA_ESDH_MAX_ATTEMPTS", "5"))
AGORA_ESDH_TIMEOUT = int(os.environ.get("AGORA_ESDH_TIMEOUT", "120"))
# The PDFs of an ESDH export rendered in this many child processes while the export files
# the ones before (0: all in the export's own process), for a hearing with more than
# AGORA_ESDH_PDF_POOL_AFTER responses (a small export starts no process).
AGORA_ESDH_PDF_WORKERS = int(os.environ.get("AGORA_ESDH_PDF_WORKERS", "2"))
AGORA_ESDH_PDF_POOL_AFTER = int(os.environ.get("AGORA_ESDH_PDF_POOL_AFTER", "20"))
# GetOrganized and SBSYS: see docs/esdh.md (JSON-valued ones are JSON strings).
_ENV = os.environ.get
AGORA_GETORGANIZED_URL = _ENV("AGORA_GETORGANIZED_URL", "")
AGORA_GETORGANIZED_SITE = _ENV("AGORA_GETORGANIZED_SITE", "")
AGORA_GETORGANIZED_USERNAME = _ENV("AGORA_GETORGANIZED_USERNAME", "")
AGORA_GETORGANIZED_PASSWORD = _ENV("AGORA_GETORGANIZED_PASSWORD", "")
AGORA_GETORGANIZED_AUTH = _ENV("AGORA_GETORGANIZED_AUTH", "ntlm")
AGORA_GETORGANIZED_CASE_TYPE = _ENV("AGORA_GETORGANIZED_CASE_TYPE", "GEN")
AGORA_GETORGANIZED_CASE_FIELDS = _ENV("AGORA_GETORGANIZED_CASE_FIELDS", "")
AGORA_GETORGANIZED_EXTERNAL_REFERENCE_COLUMN = _ENV(
    "AGORA_GETORGANIZED_EXTERNAL_REFERENCE_COLUMN", "EksterntSagsID"
)
AGORA_GETORGANIZED_KLE_FIELD = _ENV("AGORA_GETORGANIZED_KLE_FIELD", "KLENummer")
AGORA_GETORGANIZED_KLE_VALUES = _ENV("AGORA_GETORGANIZED_KLE_VALUES", "")
AGORA_GETORGANIZED_OWNER_FIELD = _ENV("AGORA_GETORGANIZED_OWNER_FIELD", "CaseOwner")
AGORA_GETORGANIZED_OWNER_VALUES = _ENV("AGORA_GETORGANIZED_OWNER_VALUES", "")
AGORA_GETORGANIZED_CATEGORY_FIELD = _ENV("AGORA_GETORGANIZED_CATEGORY_FIELD", "Kategori")
AGORA_GETORGANIZED_DOCUMENT_CATEGORIES = _ENV("AGORA_GETORGANIZED_DOCUMENT_CATEGORIES", "")
AGORA_GETORGANIZED_DOCUMENT_COLUMNS = _ENV("AGORA_GETORGANIZED_DOCUMENT_COLUMNS", "")
AGORA_GETORGANIZED_RELATION_TYPE = _ENV("AGORA_GETORGANIZED_RELATION_TYPE", "Bilag")
AGORA_GETORGANIZED_CHUNK_THRESHOLD = int(_ENV("AGORA_GETORGANIZED_CHUNK_THRESHOLD", 10 * 2**20))
AGORA_GETORGANIZED_CHUNK_SIZE = int(_ENV("AGORA_GETORGANIZED_CHUNK_SIZE", 10 * 2**20))
AGORA_SBSYS_URL = _ENV("AGORA_SBSYS_URL", "")  # versioned: …/api/v12/
AGORA_SBSYS_TOKEN_URL = _ENV("AGORA_SBSYS_TOKEN_URL", "")
AGORA_SBSYS_GRANT_TYPE = _ENV("AGORA_SBSYS_GRANT_TYPE", "client_credentials")
AGORA_SBSYS_CLIENT_ID = _ENV("AGORA_SBSYS_CLIENT_ID", "")
AGORA_SBSYS_CLIENT_SECRET = _ENV("AGORA_SBSYS_CLIENT_SECRET", "")
AGORA_SBSYS_USERNAME = _ENV("AGORA_SBSYS_USERNAME", "")
AGORA_SBSYS_PASSWORD = _ENV("AGORA_SBSYS_PASSWORD", "")
AGORA_SBSYS_TEMPLATE_IDS = _ENV("AGORA_SBSYS_TEMPLATE_IDS", "")
AGORA_SBSYS_CASE_TEMPLATE = _ENV("AGORA_SBSYS_CASE_TEMPLATE", "")
AGORA_SBSYS_CASE_FIELDS = _ENV("AGORA_SBSYS_CASE_FIELDS", "")
AGORA_SBSYS_CASE_WORKER = _ENV("AGORA_SBSYS_CASE_WORKER", "")
AGORA_SBSYS_FOLDERS = _ENV("AGORA_SBSYS_FOLDERS", "")
AGORA_SBSYS_CLOSED_STATUS = _ENV("AGORA_SBSYS_CLOSED_STATUS", "Afsluttet")
AGORA_SBSYS_CLOSE_COMMENT = _ENV("AGORA_SBSYS_CLOSE_COMMENT", "")
AGORA_HEALTHZ_REQUIRE_WORKER = env_bool("AGORA_HEALTHZ_REQUIRE_WORKER", False)
