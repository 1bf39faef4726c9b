"""Settings shared by every mode. Everything deployment-specific comes from the environment."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from haidang.config.env import data_dir, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = data_dir()


def _secret_key() -> str:
    """Use HAIDANG_SECRET_KEY, else a key generated once and kept (0600) in the data directory."""
    configured = env_str("HAIDANG_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key, encoding="utf-8")
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("HAIDANG_DEBUG", default=False)
ALLOWED_HOSTS = env_list("HAIDANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("HAIDANG_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
    "haidang.apps.accounts",
    "haidang.apps.registry",
    "haidang.apps.audit",
    "haidang.apps.ops",
    "haidang.apps.duty",
    "haidang.apps.notify",
    "haidang.apps.incidents",
    "haidang.apps.portal",
    "haidang.apps.monitoring",
    "haidang.apps.directives",
    "haidang.apps.advisories",
    "haidang.apps.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "haidang.apps.web.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "haidang.apps.accounts.middleware.RequireTwoFactorMiddleware",
    "haidang.apps.audit.context.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haidang.config.urls"
WSGI_APPLICATION = "haidang.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haidang.apps.web.context.platform",
                "haidang.apps.notify.context.notifications",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env_str("HAIDANG_DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "haidang.sqlite3"),
        # WAL lets the web server, the worker and the scheduler read while one writes;
        # IMMEDIATE transactions take the write lock up front so writers queue instead of failing.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMBEDDED = not env_str("HAIDANG_DATABASE_URL")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login lockout (django-axes): lock the account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("HAIDANG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("HAIDANG_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("HAIDANG_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Embedded mode serves static files straight from the package (WHITENOISE_USE_FINDERS), so a
    # start needs no collectstatic; production collects and pre-compresses them (see production.py).
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("HAIDANG_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("HAIDANG_IMPORT_MAX_ROWS", 5000)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("HAIDANG_SESSION_HOURS", 12) * 3600
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _cache() -> dict[str, Any]:
    url = env_str("HAIDANG_CACHE_URL") or env_str("HAIDANG_REDIS_URL")
    if url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    # File cache is shared by every process of the embedded mode (web workers, Celery).
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache")}


CACHES = {"default": _cache()}

# Celery: the same task code in both modes. Embedded: a SQLite-backed kombu transport in the data
# directory, so no external service is needed. Scale-out: HAIDANG_BROKER_URL (Redis).
CELERY_BROKER_URL = env_str("HAIDANG_BROKER_URL") or f"sqla+sqlite:///{DATA_DIR / 'broker.sqlite3'}"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
HEALTH_WORKER_MAX_AGE_SECONDS = env_int("HAIDANG_WORKER_HEARTBEAT_MAX_AGE", 150)

HAIDANG_ORG_NAME = env_str("HAIDANG_ORG_NAME", "Sở phụ trách an toàn thông tin thành phố")
HAIDANG_HOTLINE = env_str("HAIDANG_HOTLINE", "")
# Official documents (Nghị định 30/2020, Phụ lục I): the issuing agency's superior agency (ô 2, line 1),
# the place name of the date line (ô 4), the agency's abbreviation in the document symbol ("BC-<abbr>")
# and the signer's title (ô 7). Configured per deployment: agencies are never written in code.
HAIDANG_ORG_PARENT = env_str("HAIDANG_ORG_PARENT", "UBND THÀNH PHỐ")
HAIDANG_ORG_PLACE = env_str("HAIDANG_ORG_PLACE", "Hải Phòng")
HAIDANG_ORG_SYMBOL = env_str("HAIDANG_ORG_SYMBOL", "")
HAIDANG_REPORT_SIGNER_TITLE = env_str("HAIDANG_REPORT_SIGNER_TITLE", "Giám đốc")
# Public portal abuse limits: reports per client address per hour, tracking-code lookups per address
# per hour, and the proxy whose X-Forwarded-For is believed (empty: the peer address is the client).
HAIDANG_PORTAL_REPORTS_PER_HOUR = env_int("HAIDANG_PORTAL_REPORTS_PER_HOUR", 5)
HAIDANG_PORTAL_LOOKUPS_PER_HOUR = env_int("HAIDANG_PORTAL_LOOKUPS_PER_HOUR", 30)
HAIDANG_PORTAL_MIN_FILL_SECONDS = env_int("HAIDANG_PORTAL_MIN_FILL_SECONDS", 3)
HAIDANG_PORTAL_TRUSTED_PROXIES = env_list("HAIDANG_PORTAL_TRUSTED_PROXIES")
HAIDANG_REQUIRE_2FA_ROLES = env_list("HAIDANG_REQUIRE_2FA_ROLES", ["admin"])
OTP_TOTP_ISSUER = env_str("HAIDANG_OTP_ISSUER", "Hai Dang")

# --- incidents (haidang.apps.incidents) ---
# Attachments are checked by content and kept under MEDIA_ROOT/incidents, never served directly.
HAIDANG_ATTACHMENT_MAX_BYTES = env_int("HAIDANG_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Directives: recipients with unfinished items are reminded this many hours before the report is due
# (once), and escalated to the department's duty officer once it has passed.
HAIDANG_DIRECTIVE_REMIND_BEFORE_HOURS = env_int("HAIDANG_DIRECTIVE_REMIND_BEFORE_HOURS", 24)
# Vulnerability warnings: units with unfinished systems are reminded this many hours before the
# remediation deadline (once) and escalated once it has passed.
HAIDANG_WARNING_REMIND_BEFORE_HOURS = env_int("HAIDANG_WARNING_REMIND_BEFORE_HOURS", 24)
# Another default-deadline policy file instead of the packaged advisories/data/deadlines.toml (empty: packaged).
HAIDANG_WARNING_DEADLINES_FILE = env_str("HAIDANG_WARNING_DEADLINES_FILE", "")
# Scheduled feed downloads (off by default: an air-gapped install imports files with
# `haidang advisories import`). When on, the KEV catalogue and the NVD API (changes since the last
# successful download; HAIDANG_NVD_API_KEY raises NVD's rate limit) are fetched every
# HAIDANG_FEED_INTERVAL_HOURS, then the inventory is matched again.
# Largest NVD/KEV file the web page accepts (the command line has no such limit).
HAIDANG_FEED_UPLOAD_MAX_BYTES = env_int("HAIDANG_FEED_UPLOAD_MAX_BYTES", 512 * 1024 * 1024)
HAIDANG_FEED_DOWNLOAD = env_bool("HAIDANG_FEED_DOWNLOAD", default=False)
HAIDANG_FEED_INTERVAL_HOURS = env_int("HAIDANG_FEED_INTERVAL_HOURS", 6)
HAIDANG_KEV_URL = env_str(
    "HAIDANG_KEV_URL", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
)
HAIDANG_NVD_API_URL = env_str("HAIDANG_NVD_API_URL", "https://services.nvd.nist.gov/rest/json/cves/2.0")
HAIDANG_NVD_API_KEY = env_str("HAIDANG_NVD_API_KEY")
# Reference numbers look like SC-2026-0042 ("sự cố").
HAIDANG_INCIDENT_REFERENCE_PREFIX = env_str("HAIDANG_INCIDENT_REFERENCE_PREFIX", "SC")
# Another deadlines rules file instead of the packaged incidents/data/deadlines.toml (empty: packaged).
HAIDANG_INCIDENT_DEADLINES_FILE = env_str("HAIDANG_INCIDENT_DEADLINES_FILE", "")
# E-mail intake (`haidang incidents mail-in` as a postfix pipe or fetchmail MDA): largest message accepted.
HAIDANG_INCIDENT_MAIL_MAX_BYTES = env_int("HAIDANG_INCIDENT_MAIL_MAX_BYTES", 25 * 1024 * 1024)

# --- notifications (haidang.apps.notify) ---------------------------------------------------------
# E-mail goes through this SMTP server; without HAIDANG_SMTP_HOST e-mail channels report "not configured".
# HAIDANG_SMTP_TLS: starttls (default), ssl (implicit TLS, usually port 465) or none (a local relay).
# HAIDANG_SMTP_PASSWORD may be given as HAIDANG_SMTP_PASSWORD_FILE.
HAIDANG_SMTP_HOST = env_str("HAIDANG_SMTP_HOST")
HAIDANG_SMTP_PORT = env_int("HAIDANG_SMTP_PORT", 587)
HAIDANG_SMTP_USER = env_str("HAIDANG_SMTP_USER")
HAIDANG_SMTP_PASSWORD = env_str("HAIDANG_SMTP_PASSWORD")
HAIDANG_SMTP_FROM = env_str("HAIDANG_SMTP_FROM", "haidang@localhost")
HAIDANG_SMTP_TLS = env_str("HAIDANG_SMTP_TLS", "starttls").strip().lower()
# Bot APIs, overridable for a self-hosted Telegram Bot API server or a test receiver.
HAIDANG_TELEGRAM_API_BASE = env_str("HAIDANG_TELEGRAM_API_BASE", "https://api.telegram.org")
HAIDANG_ZALO_API_BASE = env_str("HAIDANG_ZALO_API_BASE", "https://bot-api.zaloplatforms.com")
# Connect and read timeout of one delivery attempt, in seconds.
HAIDANG_NOTIFY_TIMEOUT_SECONDS = env_int("HAIDANG_NOTIFY_TIMEOUT_SECONDS", 10)
# Minutes the person on duty has to acknowledge an alert before it goes to the next tier; severities
# without a value (info, low, medium) do not escalate unless the caller gives a time.
HAIDANG_ACK_MINUTES_CRITICAL = env_int("HAIDANG_ACK_MINUTES_CRITICAL", 10)
HAIDANG_ACK_MINUTES_HIGH = env_int("HAIDANG_ACK_MINUTES_HIGH", 30)
# The address people open the platform at, for links in e-mail, Telegram, Zalo and webhooks.
HAIDANG_BASE_URL = env_str("HAIDANG_BASE_URL", "http://127.0.0.1:8000")
# Webhook/Telegram/Zalo targets on private or loopback networks are refused unless this is on
# (cloud-metadata addresses stay refused); the same switch as the scanner's --allow-private.
HAIDANG_ALLOW_PRIVATE_TARGETS = env_bool("HAIDANG_ALLOW_PRIVATE_TARGETS", default=False)

# Continuous website monitoring. Every registered website is scanned every
# HAIDANG_SCAN_INTERVAL_MINUTES (a website's own interval or a running heightened-alert period's
# overrides it); one task scans HAIDANG_SCAN_CHUNK websites concurrently, each with up to
# HAIDANG_SCAN_INNER_PAGES inner pages. A website unreachable for HAIDANG_DOWN_ALERT_MINUTES raises
# an alert and an incident.
HAIDANG_SCAN_INTERVAL_MINUTES = env_int("HAIDANG_SCAN_INTERVAL_MINUTES", 10)
HAIDANG_SCAN_CHUNK = env_int("HAIDANG_SCAN_CHUNK", 50)
HAIDANG_DOWN_ALERT_MINUTES = env_int("HAIDANG_DOWN_ALERT_MINUTES", 15)
HAIDANG_SCAN_INNER_PAGES = env_int("HAIDANG_SCAN_INNER_PAGES", 10)
# Vantage points: where this worker's scans come from. Workers of the "default" vantage take the
# `celery` queue and drive the findings; a worker elsewhere (HAIDANG_VANTAGE=hanoi, started with
# `haidang worker --queues scan.hanoi`) scans the websites watched from it and its observations are
# compared with the others'. HAIDANG_VANTAGE_SOURCE_ADDRESS is the local IP address scans leave from
# (a machine with several uplinks; empty: the system's choice).
HAIDANG_VANTAGE = env_str("HAIDANG_VANTAGE", "default")
HAIDANG_VANTAGE_SOURCE_ADDRESS = env_str("HAIDANG_VANTAGE_SOURCE_ADDRESS")

NINJA_PAGINATION_CLASS = "ninja.pagination.LimitOffsetPagination"
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HAIDANG_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
