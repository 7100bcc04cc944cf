"""Townhall settings: one module, driven by environment variables.

Embedded mode (nothing set): SQLite under var/, tasks run in-process, a generated
SECRET_KEY kept under var/. Production: set DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=false.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TOWNHALL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "townhall.core",
    "townhall.accounts",
    "townhall.connectors",
    "townhall.triage",
    "townhall.inbox",
    "townhall.ingest",
    "townhall.api",
    "townhall.demo",
    "townhall.manage",
    "townhall.respond",
    "townhall.listening",
    "townhall.connectors.webchat",
    "townhall.analytics",
    "townhall.shift",
    "townhall.open311",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "townhall.accounts.middleware.CouncilMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "townhall.triage.context_processors.safeguarding",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'townhall.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while an import writes; IMMEDIATE transactions stop
    # two writers deadlocking on a lock upgrade, which SQLite reports as "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "townhall" / "locale"]
# The English / Cymraeg switch in the header stores the choice in a cookie that outlives
# the sign-in session, so staff who work in Welsh stay in Welsh after signing in again.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [d for d in [BASE_DIR / "frontend" / "build"] if d.exists()]
# Serve from the finders too, so tests and `runserver` work before collectstatic has run.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and "127.0.0.1" not in ALLOWED_HOSTS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "townhall.core.errors.csrf_failure"

REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
# The periodic tasks. With REDIS_URL set, run `celery -A config beat` beside the worker.
# In embedded mode `townhall serve` runs them itself, in each worker process, one at a
# time, with a lease per task in the database so no task runs twice at once (decision 6).
# `townhall schedule list` shows each one's last run; `townhall schedule run NAME` runs
# one now. TOWNHALL_SCHEDULER=off stops `townhall serve` running them (say, to use cron).
TOWNHALL_SCHEDULER = env_bool("TOWNHALL_SCHEDULER", True)
CELERY_BEAT_SCHEDULE = {
    "send-queued-replies": {
        "task": "townhall.connectors.tasks.sweep_replies",
        "schedule": 60,
    },
    "reconcile-channels": {
        "task": "townhall.connectors.tasks.reconcile_channels",
        "schedule": 10 * 60,
    },
    "sweep-webhook-bodies": {
        "task": "townhall.connectors.tasks.sweep_webhooks",
        "schedule": 60,
    },
    "retrain-triage-models": {
        "task": "townhall.triage.tasks.retrain_all_councils",
        "schedule": 7 * 24 * 60 * 60,
    },
    "warn-before-response-breach": {
        "task": "townhall.respond.tasks.warn_before_breach",
        "schedule": 5 * 60,
    },
    "open311-sweep": {
        "task": "townhall.open311.tasks.sweep",
        "schedule": 5 * 60,
    },
    # Each connected channel's check, so a revoked token is noticed (and its council's
    # admins emailed once) before residents' messages go missing.
    "recheck-channels": {
        "task": "townhall.connectors.tasks.recheck_channels",
        "schedule": 6 * 60 * 60,
    },
    # Analytics: roll-ups kept up to date, recounted whole each night, and last month's
    # committee report emailed on the 1st.
    "refresh-analytics": {
        "task": "townhall.analytics.tasks.refresh_all_rollups",
        "schedule": 60,
    },
    "recount-analytics": {
        "task": "townhall.analytics.tasks.rebuild_all_rollups",
        "schedule": crontab(hour=2, minute=30),
    },
    "email-committee-reports": {
        "task": "townhall.analytics.tasks.email_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=7, minute=0),
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Email: SMTP when EMAIL_HOST is set; otherwise each email is written to var/outbox, so an
# embedded install loses no alert even before mail is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "townhall@localhost")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "outbox")
# Links in emails point here.
TOWNHALL_BASE_URL = env_str("TOWNHALL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where council-trained triage models are kept.
TOWNHALL_MODEL_DIR = Path(env_str("TOWNHALL_MODEL_DIR", str(VAR_DIR / "models")))

# A webhook body or an import line larger than this is refused with a clear error.
TOWNHALL_MAX_BODY_BYTES = env_int("TOWNHALL_MAX_BODY_BYTES", 1024 * 1024)
# A platform webhook is answered once its body is committed; its items are stored after
# (decision 508): "background" (a thread in each web process) or "inline" (before the
# answer). With REDIS_URL set, Celery workers store them instead.
TOWNHALL_WEBHOOK_PROCESSING = env_str("TOWNHALL_WEBHOOK_PROCESSING", "background")
# On SQLite with the background thread, a body is answered once it is flushed to a file
# here, not committed as a row: SQLite's single writer made answers wait behind processing
# (decision 508). "auto" (that case only), "on" or "off". One folder per database.
TOWNHALL_WEBHOOK_SPOOL = env_str("TOWNHALL_WEBHOOK_SPOOL", "auto")
TOWNHALL_WEBHOOK_SPOOL_DIR = Path(env_str("TOWNHALL_WEBHOOK_SPOOL_DIR", str(VAR_DIR / "webhook-spool")))
# Hosts a connect page may call over plain http (a Mastodon server, a Bluesky PDS) for
# local trials; every other address must be https (decision 507).
TOWNHALL_CONNECT_INSECURE_HOSTS = env_list("TOWNHALL_CONNECT_INSECURE_HOSTS", [])
DATA_UPLOAD_MAX_MEMORY_SIZE = max(TOWNHALL_MAX_BODY_BYTES * 2, 2_621_440)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # In embedded mode every task runs in-process; one line per task is noise.
        "celery.app.trace": {"level": "WARNING"},
    },
}
