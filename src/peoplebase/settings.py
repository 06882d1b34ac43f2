"""Django settings for Peoplebase, driven by environment variables (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from peoplebase import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

DEBUG = config.env_bool("PEOPLEBASE_DEBUG", False)
SECRET_KEY = config.secret_key(DATA_DIR)
ALLOWED_HOSTS = config.env_list("PEOPLEBASE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = config.env_list("PEOPLEBASE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "peoplebase.core",
    "peoplebase.users",
    "peoplebase.audit",
    "peoplebase.customfields",
    "peoplebase.companies",
    "peoplebase.contacts",
    "peoplebase.leads",
    "peoplebase.activities",
    "peoplebase.search",
    "peoplebase.bulk",
    "peoplebase.segments",
    "peoplebase.imports",
    "peoplebase.duplicates",
    "peoplebase.exports",
    "peoplebase.compliance",
    "peoplebase.merges",
    "peoplebase.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "peoplebase.urls"
WSGI_APPLICATION = "peoplebase.wsgi.application"

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
                "peoplebase.web.context_processors.navigation",
            ],
        },
    }
]

SQLITE_PATH = DATA_DIR / "peoplebase.sqlite3"
DATABASE_URL = config.env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Keep each server thread's connection between requests, as on PostgreSQL:
            # reopening ran the PRAGMAs again and started from an empty page cache, which
            # cost a list page several ms of reads at 1M contacts.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets the web server and the background worker read while one writes;
                # IMMEDIATE avoids "database is locked" on lock upgrades mid-transaction.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=10000;PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "contacts:contact_list"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = config.env_str("PEOPLEBASE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "files"
# Serve app static files straight from the installed packages: no collectstatic step needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = config.env_bool("PEOPLEBASE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# waitress speaks plain HTTP: in production the reverse proxy in front of it terminates TLS,
# redirects HTTP to HTTPS and sends HSTS (docs/configuration.md). Django's own redirect and HSTS
# header stay off, so their deploy checks do not apply.
SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008"]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Phone numbers typed without a country code are read in this region (ISO 3166 alpha-2).
# Admins can override it per workspace in Settings; this is the fallback.
PEOPLEBASE_DEFAULT_PHONE_REGION = config.env_str("PEOPLEBASE_DEFAULT_PHONE_REGION", "US").upper()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "peoplebase": {"handlers": ["console"], "level": "INFO"},
    },
}

# Exports: bigger selections than this run as background jobs writing a file under
# DATA_DIR/exports, which is deleted after PEOPLEBASE_EXPORT_DAYS days.
PEOPLEBASE_EXPORT_STREAM_LIMIT = 5000
PEOPLEBASE_EXPORT_DAYS = int(config.env_str("PEOPLEBASE_EXPORT_DAYS", "7") or 7)
