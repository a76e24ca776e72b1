"""Sangathan settings, configured by environment variables.

Defaults are the embedded, one-machine deployment: SQLite under ``var/``, Huey on SQLite, console messages.
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` moves the task queue to Redis. DEBUG is off unless
``SANGATHAN_DEBUG=1`` (which ``make run`` sets).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SANGATHAN_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in var/ (never in the repo)."""
    if key := os.environ.get("SANGATHAN_SECRET_KEY"):
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("SANGATHAN_DEBUG")
TESTING = env_bool("SANGATHAN_TESTING")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("SANGATHAN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SANGATHAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "huey.contrib.djhuey",
    "ninja",
    "sangathan.core",
    "sangathan.org",
    "sangathan.access",
    "sangathan.people",
    "sangathan.messaging",
    "sangathan.grievances",
    "sangathan.rosters",
    "sangathan.outreach",
    "sangathan.campaigns",
    "sangathan.fieldwork",
    "sangathan.committees",
    "sangathan.events",
    "sangathan.dashboard",
    "sangathan.schedule",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sangathan.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow phone networks (static files come pre-compressed from WhiteNoise above): Django's
    # GZipMiddleware, which pads each answer with random bytes against BREACH (CSRF tokens are masked per answer).
    "sangathan.core.middleware.CompressTextMiddleware",
    # Reads of reports go to the replica, except for a user who just wrote (core.db_router).
    "sangathan.core.middleware.PrimaryAfterWriteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sangathan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sangathan.access.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sangathan.urls"
WSGI_APPLICATION = "sangathan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SANGATHAN_SQLITE_PATH", str(VAR_DIR / "sangathan.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE avoids deadlocking upgrades.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# A streaming replica of the primary for reports: reads inside ``core.db_router.reading_from_replica()`` go
# there, unless the user wrote in the last SANGATHAN_REPLICA_STICKY_SECONDS (docs/OPERATIONS.md, "Replica").
if os.environ.get("DATABASE_URL") and os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {**dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60,
                                                    conn_health_checks=True),
                            # Tests read the primary's test database through the alias.
                            "TEST": {"MIRROR": "default"}}
# PostgreSQL's JIT off for the app's sessions (unless the URL's ``options`` set it): this is short work, and
# when a plan's cost estimate is high — a report over a million rows, or a table grown since its last ANALYZE
# — compiling took longer than running (29 ms on a 0.5 ms sync statement; 140 ms on the events funnel).
for _database in DATABASES.values():
    if "postgresql" in _database["ENGINE"]:
        _options = _database.setdefault("OPTIONS", {})
        if "jit" not in _options.get("options", ""):
            _options["options"] = (_options.get("options", "") + " -c jit=off").strip()
DATABASE_ROUTERS = ["sangathan.core.db_router.ReplicaRouter"]
SANGATHAN_REPLICA_STICKY_SECONDS = int(os.environ.get("SANGATHAN_REPLICA_STICKY_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_VENDOR = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
# Covering (INCLUDE) columns are a PostgreSQL speed-up; SQLite builds the same index without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASE_VENDOR == "sqlite3" else []

# --- Background work (Huey) ---------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "sangathan",
        "url": os.environ["REDIS_URL"],
        "immediate": TESTING,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "sangathan",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": TESTING,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# Rate limits (core.ratelimit) count in the database, or in Redis through Django's cache when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
SANGATHAN_RATE_LIMIT_STORE = os.environ.get("SANGATHAN_RATE_LIMIT_STORE",
                                            "cache" if os.environ.get("REDIS_URL") else "db")

# --- Accounts and login ----------------------------------------------------------------------------
AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sangathan.access.backends.MobileBackend",
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "access:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Lock a mobile number out from one address after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("SANGATHAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "mobile"
AXES_USERNAME_CALLABLE = "sangathan.access.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sangathan.access.views.lockout_response"
AXES_VERBOSE = False
# Axes counts by the same client address as every other limit (core.ratelimit.client_ip).
AXES_CLIENT_IP_CALLABLE = "sangathan.core.ratelimit.client_ip"

# --- Security ------------------------------------------------------------------------------------
HTTPS = env_bool("SANGATHAN_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SANGATHAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SANGATHAN_BEHIND_PROXY") else None
# How many reverse proxies in front of the app append to X-Forwarded-For: the client address is the Nth entry
# from the right (0: REMOTE_ADDR only, whatever the header says). Behind one proxy by default when
# SANGATHAN_BEHIND_PROXY is set.
SANGATHAN_TRUSTED_PROXIES = int(os.environ.get("SANGATHAN_TRUSTED_PROXIES",
                                               "1" if env_bool("SANGATHAN_BEHIND_PROXY") else "0"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Language and time ------------------------------------------------------------------------------
LANGUAGE_CODE = "hi"
LANGUAGES = [("hi", _("Hindi")), ("en", _("English"))]
# The project's catalog, then each app's in the app order: through LOCALE_PATHS they outrank Django's own
# Hindi catalogs (contrib apps come first in INSTALLED_APPS and would otherwise win for words like "Log in").
LOCALE_PATHS = [PACKAGE_DIR / "locale", *(
    path for app in INSTALLED_APPS if app.startswith("sangathan.")
    if (path := PACKAGE_DIR / app.removeprefix("sangathan.") / "locale").is_dir())]
LANGUAGE_COOKIE_NAME = "sangathan_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = os.environ.get("SANGATHAN_TIME_ZONE", "Asia/Kolkata")
USE_I18N = True
USE_TZ = True

# --- Static files (served locally: deployments may be offline) --------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Files browsers ask for at the site's root (favicon.ico), served as they are by WhiteNoise.
WHITENOISE_ROOT = PACKAGE_DIR / "webroot"
MEDIA_ROOT = VAR_DIR / "media"

# --- Sangathan ----------------------------------------------------------------------------------------
SANGATHAN_PHONE_REGION = os.environ.get("SANGATHAN_PHONE_REGION", "IN")
SANGATHAN_API_TOKEN_DAYS = int(os.environ.get("SANGATHAN_API_TOKEN_DAYS", "90"))
SANGATHAN_PAGE_SIZE = 50
# The address the public reaches this deployment at (e.g. https://sangathan.example.org), used in SMS links
# and printed receipts; empty falls back to the request's own host, or a bare path when there is no request.
SANGATHAN_PUBLIC_URL = os.environ.get("SANGATHAN_PUBLIC_URL", "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SANGATHAN_LOG_LEVEL", "INFO")},
    # The worker (huey) installs its own handler; not propagating keeps its lines from printing twice.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"},
                "huey": {"level": "INFO", "propagate": False}},
}
