"""Settings for Thetsaban, all read from environment variables (see docs/configuration.md)."""

import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import fontpkg_sarabun
import leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from thetsaban.env import env_bool, env_int, env_list, env_rate, env_str
from thetsaban.storage import media_origins, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("THETSABAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# The test runner sets a short throw-away key and a few test-only settings below.
TESTING = "test" in sys.argv[1:2]
# Commands that neither serve requests nor sign anything may run with a throw-away key, or
# with none at all (`make test` checks the migrations with SECRET_KEY=test-only; a bare
# `manage.py makemigrations --check` needs no key).
KEYLESS_COMMAND = TESTING or "makemigrations" in sys.argv[1:2]

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        weak = len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT
        if weak and not DEBUG and not KEYLESS_COMMAND:
            raise ImproperlyConfigured(
                f"SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} random characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
            )
        return key
    if KEYLESS_COMMAND:
        return secrets.token_urlsafe(SECRET_KEY_MIN_LENGTH)
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    return _development_key(VAR_DIR / "secret_key")


def _development_key(path: Path) -> str:
    """One random key per checkout, kept under var/, readable by its owner only."""
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # Sign-up, e-mail confirmation, sign-in by e-mail or username, password reset (the `account`
    # app only: no social providers).
    "allauth",
    "allauth.account",
    "thetsaban.accounts",
    # Background jobs (Django's Tasks API; thetsaban/jobs/): the queue's table, the job records.
    "django_tasks",
    "django_tasks_db",
    "thetsaban.jobs",
    # A service the apps below register their documents with (thetsaban/hooks.py).
    "thetsaban.search",
    "thetsaban.places",
    "thetsaban.directory",
    "thetsaban.practices",
    "thetsaban.coaching",
    "thetsaban.transfers",
    "thetsaban.policy",
    "thetsaban.participation",
    "thetsaban.localdata",
    "thetsaban.eservice",
    "thetsaban.learning",
    "thetsaban.calls",
    # PDPA: the register of personal data the apps above declare, subject requests, the breach log.
    "thetsaban.newsroom",
    "thetsaban.privacy",
]
if TESTING:
    # A throw-away app that plugs in through its AppConfig alone (thetsaban/tests/test_app_hooks.py).
    INSTALLED_APPS.append("thetsaban.tests.sample_app")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body, inside the middleware that set the security headers.
    "thetsaban.middleware.UploadLimitMiddleware",
    "thetsaban.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thetsaban.languages.ChosenLanguageMiddleware",  # Thai unless chosen, not by Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so that it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Observability (thetsaban/observability.py): first, so that /health/ answers a load balancer
# before host checks and the HTTPS redirect, and every log line carries the request id.
MIDDLEWARE.insert(0, "thetsaban.observability.ObservabilityMiddleware")

# Read replicas: before anything reads the database (see the read replicas block below).
if env_list("DATABASE_REPLICA_URLS", []):
    MIDDLEWARE.insert(1, "thetsaban.replicas.ReadYourWritesMiddleware")

ROOT_URLCONF = "thetsaban.urls"
WSGI_APPLICATION = "thetsaban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thetsaban" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thetsaban.context_processors.site",
            ],
            "builtins": ["thetsaban.templatetags"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'thetsaban.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL: readers never wait for a writer and see the last committed state. Reads run in
    # autocommit, outside transactions; only explicit write transactions (transaction.atomic)
    # begin IMMEDIATE, taking the write lock up front so two writers queue on the busy
    # timeout instead of failing on a lock upgrade.
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE", "timeout": env_int("SQLITE_BUSY_TIMEOUT", 10)}
    )
# PostgreSQL's JIT compiler pays off on long analytical queries; on the platform's short look-ups
# its compile time (measured up to 2 s on a broad picker word) dwarfs the query, so it is off
# unless DATABASE_JIT turns it on.
POSTGRES_OPTIONS = {} if env_bool("DATABASE_JIT", False) else {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    for _key, _value in POSTGRES_OPTIONS.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_key, _value)

# ---- Read replicas (thetsaban/replicas.py; README, Deploying) --------------------------------
# DATABASE_REPLICA_URLS: PostgreSQL streaming replicas of DATABASE_URL, comma-separated. Reads
# go to a healthy replica, writes and migrations to the primary; after a user's write their
# reads stay on the primary until the replica has replayed it. In tests each replica is a
# mirror of the primary's test database (a streaming replica carries it over by itself), and
# reads stay on the primary unless a test turns DATABASE_REPLICA_READS on.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL "
                                   "(SQLite has no replicas)")
    _replica = dj_database_url.parse(_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
                                     conn_health_checks=True)
    _replica.setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_REPLICA_CONNECT_TIMEOUT", 2)
    for _key, _value in POSTGRES_OPTIONS.items():
        _replica["OPTIONS"].setdefault(_key, _value)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["thetsaban.replicas.ReplicaRouter"]
DATABASE_REPLICA_READS = env_bool("DATABASE_REPLICA_READS", not TESTING)
# Longest a writer's reads stay on the primary when the replica does not catch up sooner.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 60)
# How long an unreachable replica is left out before it is tried again.
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 10)
# ---- end of read replicas ----------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-ins from a username and address locked out by django-axes.
    "thetsaban.accounts.backends.LoginAttemptBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in by e-mail address as well as by username (django-allauth).
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): members sign up with an e-mail address they must confirm before
# signing in; they sign in by e-mail or username. Accounts staff create (the admin, commands)
# have no address record and are trusted as they are (thetsaban.accounts.adapter).
ACCOUNT_ADAPTER = "thetsaban.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Thetsaban] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# django-axes counts failed sign-ins (below); allauth's own count would answer first with a
# form error instead of the lockout page. Its other limits (sign-ups, reset e-mails) stay.
ACCOUNT_RATE_LIMITS = {"login_failed": None}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first; English second; more languages are added as catalogues, not code.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# Filter forms offer "Any" as their unset choice, not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Any")
LOCALE_PATHS = [BASE_DIR / "thetsaban" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
# Front-end assets come from installed packages: the Sarabun font and Leaflet (django-leaflet
# ships Leaflet; its Django app needs GDAL, so only its static files are used).
STATICFILES_DIRS = [
    BASE_DIR / "thetsaban" / "static",
    ("fonts/sarabun", str(fontpkg_sarabun.ROOT / "files")),
    ("leaflet", str(Path(leaflet.__file__).parent / "static" / "leaflet")),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    # Local disk, or an S3-compatible object store (MEDIA_STORAGE_URL; thetsaban/storage.py).
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Production serves STATIC_ROOT as collectstatic left it (`make serve` runs it), with the
# compressed copies beside each file; development and tests read the apps' folders directly.
# WHITENOISE_USE_FINDERS=true keeps a server that never ran collectstatic working (uncompressed).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG or TESTING)

# Uploads: attachments are capped here and checked by type in the forms.
# The largest upload of any kind (pages, API, imports, management commands reading files);
# a request announcing a larger body is answered 413 before it is read (UploadLimitMiddleware).
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
# Limits on an imported table (CSV or XLSX), checked before and while it is read, so that a
# small crafted file cannot take the server's time or memory (thetsaban.tabular.Limits).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 5_000_000)
IMPORT_MAX_LINE_CHARS = env_int("IMPORT_MAX_LINE_CHARS", 100_000)
IMPORT_MAX_SHARED_STRINGS = env_int("IMPORT_MAX_SHARED_STRINGS", 1_000_000)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 100)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "thetsaban@localhost")

# ---- Background jobs (thetsaban/jobs/; README, Background jobs) -------------------------------
# JOBS_QUEUE=database: jobs wait in the database (django-tasks-db) for `manage.py db_worker`
# processes; the default on PostgreSQL outside tests. JOBS_QUEUE=immediate: the request that
# starts a job runs it at once (no worker needed): the default on SQLite, so `make run` needs
# nothing else, and in tests (which pick the database queue where they test it).
JOBS_QUEUE = env_str("JOBS_QUEUE", "database" if DATABASES["default"]["ENGINE"]
                     == "django.db.backends.postgresql" and not TESTING else "immediate")
if JOBS_QUEUE not in {"database", "immediate"}:
    raise ImproperlyConfigured(f"JOBS_QUEUE={JOBS_QUEUE!r}: use 'database' or 'immediate'")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend" if JOBS_QUEUE == "database"
                     else "django_tasks.backends.immediate.ImmediateBackend"}}
# E-mail goes out through a job on the database queue (a slow or absent mail server holds up no
# page, and a failed send is retried); JOBS_EMAIL_BACKEND is the backend the job sends with.
JOBS_EMAIL_BACKEND = EMAIL_BACKEND
if JOBS_QUEUE == "database" and not TESTING:
    EMAIL_BACKEND = "thetsaban.jobs.mail.QueuedEmailBackend"
# Renaming a record that more than this many indexed records carry (a theme, a province)
# re-indexes them in a background job instead of in the saving request.
SEARCH_REINDEX_INLINE_MAX = env_int("SEARCH_REINDEX_INLINE_MAX", 200)
# /health/ says "degraded" when the oldest waiting job has waited longer than this.
JOBS_MAX_WAIT_SECONDS = env_int("JOBS_MAX_WAIT_SECONDS", 600)
# ---- end of background jobs --------------------------------------------------------------------


# The cache holds the rate-limit counters (API throttles, participation posting limits), so
# every app server must see the same one: Redis when REDIS_URL (or CACHE_URL) is set, else a
# table in the database. Per-process memory is used only by the test runner.
CACHE_URL = env_str("REDIS_URL") or env_str("CACHE_URL") or ""
if CACHE_URL and urlsplit(CACHE_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(
        f"REDIS_URL/CACHE_URL={CACHE_URL!r} is not a Redis URL (redis://host:port/db)")
if TESTING:
    # Each test process its own, cleared by the tests that count; the Redis tests open their own.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "thetsaban"),
    }}
else:
    # `migrate` creates the table (thetsaban.accounts.apps runs createcachetable after it).
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "thetsaban_cache",
    }}

# ---- Sessions with Redis (README, Deploying) ---------------------------------------------------
# With REDIS_URL, sessions are read from Redis and written through to the database
# (cached_db): every app server reads them without a database query, and a Redis restart or
# eviction signs nobody out (the next read refills Redis from the table). Without Redis they
# stay in the database table, which every app server shares too.
if CACHE_URL and not TESTING:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# ---- end of sessions ---------------------------------------------------------------------------

# HTTPS. Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the header it sets
# (X-Forwarded-Proto); Django then trusts it, so the proxy must overwrite it on every request.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Proxies (load balancer, TLS terminator) in front of the app servers whose X-Forwarded-For
# entries are trusted to name the client (thetsaban/network.py); 0 reads REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
X_FRAME_OPTIONS = "DENY"


# The practice map. Tiles come from a tile server the operator chooses; empty means no
# background layer (intranets, tests), and markers still show.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")


def _tiles_origin(url: str) -> list[str]:
    """The origin the map tiles come from, for img-src ({s} subdomains become a wildcard)."""
    if not url:
        return []
    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Content-Security-Policy: scripts and styles only from our own static files, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tiles_origin(MAP_TILES_URL),
                    *media_origins(STORAGES["default"])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer",
                    "microphone", "payment", "usb", "browsing-topics", "interest-cohort")
}

# Sign-in lockout (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins for one username
# from one address, that pair is refused for LOGIN_LOCKOUT_MINUTES (counted again from each
# further try). Attempts are rows in the database, so every app server sees them; staff
# unlock by deleting the attempt in the admin (Axes > Access attempts).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One count per account whether it is typed as a username or an e-mail address.
AXES_USERNAME_CALLABLE = "thetsaban.accounts.backends.attempted_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "thetsaban.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "thetsaban.network.client_address"
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["thetsaban.restapi.RestrictedPermission"],
    "DEFAULT_PARSER_CLASSES": [
        "thetsaban.restapi.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "thetsaban.restapi.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "thetsaban.restapi.CappedPagination",
    "DEFAULT_SCHEMA_CLASS": "thetsaban.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "thetsaban.restapi.exception_handler",
    # Rates are read on each request (thetsaban.restapi), counted in the shared cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "thetsaban.restapi.AnonRateThrottle",
        "thetsaban.restapi.UserRateThrottle",
        "thetsaban.restapi.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/min"),
        "user": env_rate("API_THROTTLE_USER", "600/min"),
        # Endpoints that cost a search, a solver run or a whole export (throttle_scope).
        "expensive": env_rate("API_THROTTLE_EXPENSIVE", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Thetsaban API",
    "DESCRIPTION": "Best practices, places, the directory and search of a league of municipalities.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a field called kind or status; name each enum after its choices.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "thetsaban.directory.choices.OrganisationKind",
        "ContactKindEnum": "thetsaban.directory.choices.ContactKind",
        "DocumentKindEnum": "thetsaban.search.choices.DocumentKind",
        "AttachmentKindEnum": "thetsaban.practices.choices.AttachmentKind",
        "TrainingKindEnum": "thetsaban.coaching.choices.TrainingKind",
        "ReviewStatusEnum": "thetsaban.practices.choices.ReviewStatus",
        "CoachStatusEnum": "thetsaban.coaching.choices.CoachStatus",
        "ProjectStatusEnum": "thetsaban.transfers.choices.ProjectStatus",
        "RecommendationStatusEnum": "thetsaban.policy.choices.RecommendationStatus",
        "ProposalStatusEnum": "thetsaban.participation.choices.ProposalStatus",
        "SubjectRequestKindEnum": "thetsaban.privacy.choices.RequestKind",
        "VisibilityEnum": "thetsaban.directory.choices.Visibility",
        "RequestedRoleEnum": "thetsaban.accounts.choices.RequestedRole",
        "RequestStatusEnum": "thetsaban.accounts.choices.RequestStatus",
        "IssueLevelEnum": "thetsaban.transfers.choices.IssueLevel",
        "LogframeLevelEnum": "thetsaban.transfers.choices.LogframeLevel",
        "ParticipationTargetTypeEnum": "thetsaban.participation.targets.TARGET_TYPE_CHOICES",
        "FlaggedContentTypeEnum": "thetsaban.participation.targets.CONTENT_TYPE_CHOICES",
        "RegistryStatusEnum": "thetsaban.localdata.choices.RegistryStatus",
    },
}

# Posting limits for comments and proposals (thetsaban/participation/ratelimit.py), counted in
# the shared cache like the API throttles.
PARTICIPATION_POSTS_PER_MINUTE_PER_USER = env_int("PARTICIPATION_POSTS_PER_MINUTE_PER_USER", 5)
PARTICIPATION_POSTS_PER_DAY_PER_USER = env_int("PARTICIPATION_POSTS_PER_DAY_PER_USER", 50)
PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS = env_int("PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS", 20)

# The programme's target: at least this many approved coaches per municipality.
COACH_TARGET_RATIO = float(env_str("COACH_TARGET_RATIO", "1.0"))
# About how many LGUs the country has (the national list, ~7,850): with far fewer loaded, the
# coverage page says that its numbers rest on a partial list.
NATIONAL_LGU_COUNT = env_int("NATIONAL_LGU_COUNT", 7850)

# Absolute links in e-mails (follower notices); empty means links carry a path only.
SITE_URL = env_str("SITE_URL", "")


# ---- Personal data (PDPA; thetsaban/privacy, docs/architecture.md "Personal data") -----------
# The erasure ledger: a file outside the database and the uploads (keep it, and its copies,
# apart from the backups), replayed after `manage.py restore`.
PRIVACY_ERASURE_LEDGER = Path(env_str("PRIVACY_ERASURE_LEDGER", str(VAR_DIR / "privacy" / "erasure-ledger.jsonl")))
# Retention in days per register entry, overriding the apps' defaults: "eservice.ServiceRequest=365,…".
PRIVACY_RETENTION_DAYS = {}
for _rule in env_list("PRIVACY_RETENTION_DAYS", []):
    _label, _equals, _days = _rule.partition("=")
    if not (_equals and _days.strip().isdigit()):
        raise ImproperlyConfigured(f"PRIVACY_RETENTION_DAYS: {_rule!r} is not model=days")
    PRIVACY_RETENTION_DAYS[_label.strip()] = int(_days)


if TESTING:
    # Throttles stay on but out of the way of the rest of the suite; their own tests lower them.
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
        "anon": "100000/min", "user": "100000/min", "expensive": "100000/min"}
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Never the site's own ledger; tests that erase point it at their own file.
    PRIVACY_ERASURE_LEDGER = Path(tempfile.gettempdir()) / f"thetsaban-test-ledger-{os.getpid()}.jsonl"
    MAP_TILES_URL = ""
    # Assertions read in the source (English) strings; tests of Thai pages ask for Thai the
    # way the language switch does (the language cookie) or override this.
    LANGUAGE_CODE = "en"

# ---- Observability (thetsaban/observability.py; README, Deploying) -----------------------------
# /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; without a token it is off (404).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# A replica further behind than this makes /health/ say "degraded".
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 30)
# LOG_FORMAT=json: one JSON object per line with the request id; `text` (default) for people.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not text or json")
# ---- end of observability ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "thetsaban.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "thetsaban.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Tests request forbidden and missing pages on purpose; only real errors are worth a line.
    "loggers": {
        "django.request": {"level": "ERROR" if TESTING else "WARNING"},
        # django-axes logs each failed sign-in and lockout (usernames masked): keep them.
        "axes": {"level": "ERROR" if TESTING else "WARNING"},
    },
}
