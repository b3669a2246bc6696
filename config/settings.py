"""Settings for Encompass Guidance, read top to bottom.

Everything that differs between a laptop, CI and production comes from an
environment variable (see .env.example and the README). The defaults are safe:
DEBUG is off, and production (ENVIRONMENT=production) refuses to start with
DEBUG on, or without its secret key and allowed hosts.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# "production" makes the missing secret and hosts an error instead of a
# convenience, so a deployment cannot run on a laptop's defaults by accident.
ENVIRONMENT = env("ENVIRONMENT", "local")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    # Debug pages show settings and code to anyone who finds an error.
    raise ImproperlyConfigured(
        "DEBUG=true is refused with ENVIRONMENT=production: unset DEBUG (debug "
        "pages show settings and code to anyone)."
    )


def _local_secret_key():
    # Kept in a git-ignored file so restarts do not log everybody out.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY: production needs its own secret.")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS: the host names this site answers to."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "markdownx",
    "csp",
    "simple_history",
    "config.apps.SignInThrottlingConfig",  # django-axes
    "editorial",
    "guidance",
    "practice_points",
    "snapshot",
    "handouts",
    "search",
    "feedback",
    "documents",
    "upkeep",
]

MIDDLEWARE = [
    "config.middleware.DatabaseDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.KnownMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Reader pages from the cache, before sessions and authentication: a
    # cached page needs neither.
    "editorial.pagecache.ReaderPageCacheMiddleware",
    # Inside the page cache: a page is tidied once, before it is kept.
    "config.whitespace.TidyHTMLMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records which signed-in editor made each change in the content history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before any view reads the request (PostgreSQL cannot take a NUL), after
    # the middleware that gives its 400 page the site's headers.
    "config.middleware.RefuseNulMiddleware",
    # Per-address sign-in budget, before django-axes and any password hashing.
    "config.signin.SignInThrottleMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.context_processors.site",
            ],
        },
    },
]

# SQLite in var/ by default; DATABASE_URL=postgres://... for PostgreSQL. Persistent
# connections nearly double throughput of database-backed pages under gunicorn.
DATABASES = {
    # An empty DATABASE_URL means the default too, not a broken setting.
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# Seconds a request may wait for the database. A stopped server gives a 503
# page at once; a frozen one after this long, never a worker held for 30 s.
DATABASE_TIMEOUT = float(env("DATABASE_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with its health check under the same deadline.
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": max(1, round(DATABASE_TIMEOUT / 2)),
            "options": f"-c statement_timeout={int(DATABASE_TIMEOUT * 1000)}",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writes wait their turn instead of failing: a transaction takes the write
    # lock when it begins (IMMEDIATE), so it never holds a read lock it cannot
    # upgrade (SQLITE_BUSY at once, whatever the timeout), and waits up to
    # DATABASE_TIMEOUT for it. WAL lets readers read while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": DATABASE_TIMEOUT,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
# The database cache talks over a connection of its own, so a cache write never
# joins (or breaks) the transaction of the page or save that made it.
DATABASES["cache"] = {
    **DATABASES["default"],
    "OPTIONS": {**DATABASES["default"].get("OPTIONS", {})},
}
if DATABASES["cache"]["ENGINE"] == "django.db.backends.sqlite3":
    # A cache write gives way quickly: it waits a quarter second for an
    # editor's save, then is skipped (the page is still served).
    DATABASES["cache"]["OPTIONS"]["timeout"] = 0.25
else:
    # A locked or slow cache table costs a page a quarter second at most.
    DATABASES["cache"]["OPTIONS"]["options"] = "-c statement_timeout=250"
DATABASE_ROUTERS = ["config.routers.CacheRouter"]


def _cache(url):
    """CACHE_URL as a Django cache: redis://..., locmem://, or the database."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            # Django's Redis cache, skipped for a few seconds after a failure.
            "BACKEND": "config.cache.BreakerRedisCache",
            "LOCATION": url,
            # A stopped or frozen Redis costs one page a quarter second.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    # Django's database cache: no extra service, shared by every node on one
    # database. migrate creates its table.
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "encompass_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }


CACHES = {
    "default": _cache(env("CACHE_URL", "")),
    # This process's memory, in front of the shared cache. Keys carry the
    # content version, so it is never stale.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "encompass-local",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# How long a browser or proxy may reuse a reader page before asking again (it
# then gets a 304 in one query when nothing changed). 0 by default: a withdrawn
# quote must not linger in anyone's browser, and a 304 costs next to nothing.
PAGE_MAX_AGE = int(env("PAGE_MAX_AGE", "0"))
# Engines on which each process learns of a new content version without a
# query per request (editorial.versions): SQLite's data_version and PostgreSQL's
# LISTEN/NOTIFY. An editor's save returns only once every node's listener has
# heard it, so no reader gets the old page after. "" reads on every request.
CONTENT_VERSION_WATCH = env_list("CONTENT_VERSION_WATCH", "sqlite,postgresql")
# Count searches that found nothing (their words and a count per day, nothing
# else) for the editors' report under Site search; "false" keeps nothing.
SEARCH_NO_RESULTS_REPORT = env_bool("SEARCH_NO_RESULTS_REPORT", True)
# Re-order the fallback's best items by meaning too (wordllama; docs/search.md).
SEARCH_SEMANTIC = env_bool("SEARCH_SEMANTIC", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for
# one username from one address, that pair is locked out for AXES_COOLOFF_TIME
# hours, even with the right password. Editors lift it in the admin (Sign-in throttling >
# Access attempts: delete the attempt); or manage.py axes_reset.
# Only the login form is watched: readers never log in, so nothing is stored
# about them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(env("LOGIN_LOCKOUT_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries while paused are refused without being written down: the record of a
# paused sign-in does not grow with each further try (expired ones are deleted
# at the next failure).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Only failed sign-ins are kept (to count them); not a log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True
# The lockout page says for how long, and whom to ask (config.views.locked_out).
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
# Who a request comes from, for every per-client limit (editorial.clients):
# X-Forwarded-For counts only from these proxies (nginx on the same machine,
# by default when BEHIND_PROXY is on); a client reaching a node directly is
# known by its own socket address, whatever it sends.
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES", "127.0.0.1/32,::1/128" if env_bool("BEHIND_PROXY") else ""
)
AXES_CLIENT_IP_CALLABLE = "editorial.clients.client_address"
# Sign-in attempts one address may make in 10 minutes, whatever the usernames,
# counted before any password is checked (hashing one costs about 0.25 s).
SIGN_IN_ADDRESS_LIMIT = int(env("SIGN_IN_ADDRESS_LIMIT", "30"))
# New handouts one address may save in an hour (each is a stored row).
HANDOUT_ADDRESS_LIMIT = int(env("HANDOUT_ADDRESS_LIMIT", "60"))
# Saved handouts nobody has made or opened for this many days are pruned
# (manage.py prune_handouts). A printed handout's address then stops working.
HANDOUT_KEEP_DAYS = int(env("HANDOUT_KEEP_DAYS", "365"))

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Images editors upload, served by the site itself (config/uploads.py). With
# several nodes this must be storage they share (NFS, say), or set
# IMAGE_UPLOADS=false.
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
IMAGE_UPLOADS = env_bool("IMAGE_UPLOADS", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names that whitenoise serves with a far-future cache.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000

# Security headers. HTTPS settings are on unless a local run over plain HTTP
# asks for them off (make run does, via SECURE_SSL=false).
SECURE_SSL = env_bool("SECURE_SSL", PRODUCTION)
SECURE_SSL_REDIRECT = SECURE_SSL
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_SSL)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Readers follow links to support organisations: send them no path at all.
# "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null"
# on form posts, which Django's CSRF check rejects (the admin login fails).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Content-Security-Policy: our own files only, no inline script or style, so an
# injected <script> or style attribute does nothing. The admin works within it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Quick exit: the "Leave this site" button on every page goes here, replacing
# the current history entry where JavaScript allows. A neutral page.
QUICK_EXIT_ENABLED = env_bool("QUICK_EXIT_ENABLED", True)
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # An address or form value with a line break cannot forge a log line.
    "filters": {"escape_controls": {"()": "config.logs.EscapeControlCharacters"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["escape_controls"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# markdownx: our one sanitising renderer, also used for the admin preview,
# because markdownx's own renders editor HTML unchanged.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "guidance.markdown.render_markdown"
MARKDOWNX_UPLOAD_MAX_SIZE = 2 * 1024 * 1024
# Raster images only: an SVG can carry script. config/uploads.py also checks
# the file itself with Pillow, whatever type the browser claims.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"]
MARKDOWNX_MEDIA_PATH = "markdownx/"

# History records who changed what, when and why (the editor's change note,
# which may be longer than simple-history's default 100 characters).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Content due for review within this many days is flagged in the admin.
REVIEW_DUE_WITHIN_DAYS = 30

# Email (review reminders, "waiting for an editor", weekly digests) through
# Django's framework. With no EMAIL_HOST set, messages are printed to the
# console instead of sent (make run on a laptop).
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST))
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# run_due_jobs checks further resources' links weekly (false: never, e.g. on a
# machine with no internet access).
RESOURCE_LINK_CHECK = env_bool("RESOURCE_LINK_CHECK", True)

# What the site calls itself and credits in every footer.
SITE_NAME = env("SITE_NAME", "Encompass Guidance")
SITE_URL = env("SITE_URL", "")

# Snapshot figures with a count below this (and counts that can be worked out
# from other figures) get a disclosure warning in the admin.
SNAPSHOT_DISCLOSURE_THRESHOLD = int(env("SNAPSHOT_DISCLOSURE_THRESHOLD", "5"))
