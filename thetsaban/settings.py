"""Settings for Thetsaban, all read from environment variables (see docs/configuration.md)."""

import secrets
from pathlib import Path

import dj_database_url
import fontpkg_sarabun
import leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from thetsaban.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("THETSABAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    # Development only: one random key per checkout, kept under var/.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
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
    "thetsaban.accounts",
    "thetsaban.places",
    "thetsaban.directory",
    "thetsaban.practices",
    "thetsaban.search",
    "thetsaban.coaching",
    "thetsaban.transfers",
    "thetsaban.policy",
    "thetsaban.participation",
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
]

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
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first; English second; more languages are added as catalogues, not code.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Uploads: attachments are capped here and checked by type in the forms.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "thetsaban@localhost")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["thetsaban.restapi.RestrictedPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "thetsaban.restapi.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "thetsaban.restapi.CappedPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "thetsaban.restapi.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
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
        "VisibilityEnum": "thetsaban.directory.choices.Visibility",
        "IssueLevelEnum": "thetsaban.transfers.choices.IssueLevel",
        "LogframeLevelEnum": "thetsaban.transfers.choices.LogframeLevel",
        "ParticipationTargetTypeEnum": "thetsaban.participation.targets.TARGET_TYPE_CHOICES",
        "FlaggedContentTypeEnum": "thetsaban.participation.targets.CONTENT_TYPE_CHOICES",
    },
}

# The programme's target: at least this many approved coaches per municipality.
COACH_TARGET_RATIO = float(env_str("COACH_TARGET_RATIO", "1.0"))

# Absolute links in e-mails (follower notices); empty means links carry a path only.
SITE_URL = env_str("SITE_URL", "")

# The practice map. Tiles come from a tile server the operator chooses; empty means no
# background layer (intranets, tests), and markers still show.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

import sys  # noqa: E402

if "test" in sys.argv[1:2]:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MAP_TILES_URL = ""
    # Assertions read in the source (English) strings; tests of Thai pages ask for Thai the
    # way a browser does (Accept-Language, the language cookie) or override this.
    LANGUAGE_CODE = "en"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Tests request forbidden and missing pages on purpose; only real errors are worth a line.
    "loggers": {"django.request": {"level": "ERROR" if "test" in sys.argv[1:2] else "WARNING"}},
}
