"""Settings for the call portal, driven by environment variables.

With no variable set the portal runs embedded: SQLite and files under ``var/``, a
Celery broker kept in a folder, emails written as files under ``var/mail``. Every
production setting is listed in ``.env.example``.
"""

import secrets
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENV_FILE = BASE_DIR / ".env"
if ENV_FILE.exists():
    env.read_env(str(ENV_FILE))

VAR_DIR = Path(env("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
PRODUCTION = env.bool("PORTAL_PRODUCTION", default=False)


def _embedded_secret_key():
    """A key generated once per installation and kept outside the repository."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env("DJANGO_SECRET_KEY")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default=None) or _embedded_secret_key()

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("PORTAL_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "portal",
    "intake",
    "reviews",
    "partners",
    "builder",
    "privacy",
    "notifications",
    "demo",
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_countries",
    "rules.apps.AutodiscoverRulesConfig",
]

MIDDLEWARE = [
    "portal.middleware.ArrivalTimeMiddleware",
    "portal.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.StaffTwoFactorMiddleware",
    "portal.middleware.UserLanguageMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Compiled templates are kept by each process: with no "loaders" given, Django wraps the
# filesystem and app loaders in its cached loader (in production and in development alike).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "portal.domain_words.domain_words",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
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
LOGIN_REDIRECT_URL = "portal:dashboard"

# django-allauth: login by email, verified email, rate limits on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# An account is used once its address is confirmed; so sign-up answers the same whether
# the address is new or already has an account (which is told so by email instead).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
# "ip" is the client's own address (see PORTAL_TRUSTED_PROXIES), "key" the account tried:
# one person's failures slow down that person and the account they guess at, nobody else.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# The client address is set by ClientAddressMiddleware; allauth must not read headers itself.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Call portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

# Two-factor authentication (allauth.mfa): an authenticator app and recovery codes.
# Staff must set it up before any other page (portal.middleware.StaffTwoFactorMiddleware);
# applicants may turn it on from their account pages.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("PORTAL_TOTP_ISSUER", default="Call portal")
MFA_TOTP_PERIOD = 30
MFA_TOTP_DIGITS = 6
MFA_TOTP_TOLERANCE = 1  # the code of the previous or next 30 s also counts: phone clocks drift
MFA_RECOVERY_CODE_COUNT = 10
MFA_TRUST_ENABLED = False  # a code at every login, on every browser

# The load balancers (addresses or networks) whose X-Forwarded-For is believed; the client
# address of a request from anywhere else is its own REMOTE_ADDR. See docs/operations.md.
# "none" says no proxy stands in front; left unset, check --deploy warns in production.
_trusted_proxies = env("PORTAL_TRUSTED_PROXIES", default=None)
PORTAL_TRUSTED_PROXIES = (
    None
    if _trusted_proxies is None
    else [part.strip() for part in _trusted_proxies.split(",") if part.strip() and part.strip() != "none"]
)

# Internationalisation: English source, French first; times stored in UTC.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise; uploads never are. In every mode but DEBUG they are
# the ones `collectstatic` wrote (`make setup` runs it; the tests collect their own once a
# session): names carry a hash of the content, each is stored brotli- and gzip-compressed
# beside the original, and a hashed file is cached by browsers for a year. A page naming a
# file that was never collected fails loudly (the manifest is strict) instead of linking to
# nothing. Under DEBUG the storage links the plain names and WhiteNoise serves the source
# folders as they change, so nothing needs collecting while developing.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Source maps are read by developer tools only: compressing them would double collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

MEDIA_ROOT = Path(env("PORTAL_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = None  # private storage: files go out only through permission-checked views

PRIVATE_STORAGE_BACKEND = env("PORTAL_STORAGE", default="local")
if PRIVATE_STORAGE_BACKEND == "s3":
    private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env("AWS_LOCATION", default="private"),
        },
    }
else:
    private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None, "directory_permissions_mode": 0o700},
    }
STORAGES = {
    "default": private_storage,
    "private": private_storage,
    "staticfiles": {
        "BACKEND": env(
            "PORTAL_STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
        # Public files, readable by a front web server too (uploads keep FILE_UPLOAD_PERMISSIONS).
        "OPTIONS": {"file_permissions_mode": 0o644},
    },
}

# Uploads: content decides the type; these caps apply to every application.
UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("PORTAL_UPLOAD_MAX_FILES", default=15)
# An office file or PDF is refused when its contents expand past this in all, or when a
# part expands more than this many times its compressed size (zip bombs).
UPLOAD_MAX_EXPANDED_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_COMPRESSION_RATIO = 100
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE stream into a temporary file here, not in
# /tmp: beside var/media a stored upload is moved rather than copied, and a file a killed
# process left behind is removed by the daily sweep (notifications.file_sweep).
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "upload-tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, exist_ok=True)


# Email (Django's MAILERS): files under var/mail unless EMAIL_URL names an SMTP server,
# or PORTAL_MAILER_BACKEND an API provider's backend (django-anymail, see docs/notifications.md).
def _mailer_from_url(url):
    config = env.email_url_config(url)
    options = {
        "host": config.get("EMAIL_HOST"),
        "port": config.get("EMAIL_PORT"),
        "username": config.get("EMAIL_HOST_USER") or None,
        "password": config.get("EMAIL_HOST_PASSWORD") or None,
        "use_tls": bool(config.get("EMAIL_USE_TLS")),
        "use_ssl": bool(config.get("EMAIL_USE_SSL")),
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    }
    options = {name: value for name, value in options.items() if value is not None}
    return {"BACKEND": config["EMAIL_BACKEND"], "OPTIONS": options}


EMAIL_URL = env("EMAIL_URL", default="")
if env("PORTAL_MAILER_BACKEND", default=""):
    _default_mailer = {
        "BACKEND": env("PORTAL_MAILER_BACKEND"),
        "OPTIONS": env.json("PORTAL_MAILER_OPTIONS", default={}),
    }
elif EMAIL_URL:
    _default_mailer = _mailer_from_url(EMAIL_URL)
else:
    _default_mailer = {
        "BACKEND": "notifications.mail_files.ReadableFileBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
MAILERS = {"default": _default_mailer}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Call portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Outbox delivery: temporary failures are retried with exponential backoff and jitter.
PORTAL_EMAIL_MAX_ATTEMPTS = env.int("PORTAL_EMAIL_MAX_ATTEMPTS", default=6)
PORTAL_EMAIL_RETRY_BASE_SECONDS = env.int("PORTAL_EMAIL_RETRY_BASE_SECONDS", default=60)
PORTAL_EMAIL_RETRY_MAX_SECONDS = env.int("PORTAL_EMAIL_RETRY_MAX_SECONDS", default=3600)
# A message left "queued" this long past its time (broker down at commit time, a lost
# retry) is handed to the broker again by the sweep; one left "sending" longer than the
# lease (its worker died mid-send) is taken back and sent again. The lease must stay longer
# than the delivery task's hard time limit (60 s), or a slow send would go out twice.
PORTAL_OUTBOX_REQUEUE_AFTER_SECONDS = env.int("PORTAL_OUTBOX_REQUEUE_AFTER_SECONDS", default=60)
PORTAL_OUTBOX_SENDING_LEASE_SECONDS = env.int("PORTAL_OUTBOX_SENDING_LEASE_SECONDS", default=600)
# The tasks making a message's attachments (a letter, a receipt) are published again after
# this long without news: the broker may have lost them, or the worker rendering one died.
PORTAL_OUTBOX_ATTACHMENT_RETRY_SECONDS = env.int("PORTAL_OUTBOX_ATTACHMENT_RETRY_SECONDS", default=300)

# Celery: Redis in production; a broker kept in a folder when nothing is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="filesystem://"))
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "celery-broker"
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
else:
    # Longer than the longest countdown a task is given, so Redis never redelivers early.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7200)
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
# Installations (or test runs) that share one Redis keep apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A worker process that grew past this (KiB) is replaced after its task: PDF rendering
# can be memory-hungry and long-lived workers must not creep.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=500)
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-messages": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "applicant-deadline-reminders": {"task": "intake.tasks.send_deadline_reminders", "schedule": 3600.0},
    "evaluator-review-reminders": {"task": "reviews.tasks.send_review_reminders", "schedule": 3600.0},
    "partner-reminders": {"task": "partners.tasks.send_partner_reminders", "schedule": 3600.0},
    "unreferenced-file-sweep": {"task": "notifications.tasks.sweep_unreferenced_files", "schedule": 86400.0},
    "participant-data-retention": {
        "task": "partners.tasks.anonymise_expired_participants",
        "schedule": 86400.0,
    },
    "application-contact-retention": {
        "task": "privacy.tasks.anonymise_expired_applications",
        "schedule": 86400.0,
    },
}

# Caches and sessions: the database by default, so several processes share them.
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        default="dbcache://portal_cache",
    )
}
# Sessions are kept in the database; with Redis as the cache they are read from it first
# (cached_db), which spares a query on every request and survives a Redis restart.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if "redis" in CACHES["default"]["BACKEND"].lower()
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_HTTPONLY = True  # read by the server only
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION

# Content Security Policy: no inline script anywhere, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses, refused for the portal and anything it could embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SILENCED_SYSTEM_CHECKS = env.list("DJANGO_SILENCED_SYSTEM_CHECKS", default=[])
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a one-way decision for the domain owner, not a default.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}

# The version of the privacy notice an applicant accepts; bump it when the text changes.
PRIVACY_NOTICE_VERSION = env("PORTAL_PRIVACY_NOTICE_VERSION", default="2026-12")
# Who the privacy notice names as the controller of personal data, and where people write to
# use their rights (empty: the contact address of each project with a published call).
PRIVACY_CONTROLLER = env("PORTAL_PRIVACY_CONTROLLER", default="Efus (European Forum for Urban Security)")
PRIVACY_CONTACT_EMAIL = env("PORTAL_PRIVACY_CONTACT_EMAIL", default="")
# Months the contact data of applications that got no place are kept after the call's
# decision (each call may change it); then a daily task anonymises them (privacy.retention).
APPLICATION_RETENTION_MONTHS = env.int("PORTAL_APPLICATION_RETENTION_MONTHS", default=24)

# Participants of a project's activities: the privacy notice partners accept before entering
# their data, and how long those data are kept after the project ends (a project may change it).
PARTICIPANT_PRIVACY_NOTICE_VERSION = env("PORTAL_PARTICIPANT_PRIVACY_NOTICE_VERSION", default="2026-12")
PARTICIPANT_RETENTION_MONTHS = env.int("PORTAL_PARTICIPANT_RETENTION_MONTHS", default=12)
