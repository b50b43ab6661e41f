"""Gendan settings, read from the environment with safe defaults.

DEBUG is off unless GENDAN_DEBUG=1. Outside DEBUG a SECRET_KEY must be given.
DATABASE_URL selects PostgreSQL; the default is SQLite (WAL) under var/.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("GENDAN_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("GENDAN_DEBUG")
TESTING = env_bool("GENDAN_TESTING") or "pytest" in sys.modules  # a plain `pytest` works too
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or GENDAN_DEBUG=1 for local development)."
        )

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "django_filters",
    "django_countries",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "gendan.core",
    "gendan.accounts",
    "gendan.parties",
    "gendan.catalog",
    "gendan.sales",
    "gendan.followup",
    "gendan.finance",
    "gendan.documents",
    "gendan.shipping",
    "gendan.api",
    "gendan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gendan.core.middleware.CompanyLanguageMiddleware",  # after authentication: the user's own language
    "gendan.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gendan.urls"
WSGI_APPLICATION = "gendan.wsgi.application"

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
                "django.template.context_processors.i18n",
                "gendan.core.context_processors.navigation",
                "gendan.followup.context_processors.notifications",
            ],
        },
    }
]
FORM_RENDERER = "gendan.core.forms.GendanFormRenderer"

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gendan.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not shared-cache memory, so concurrent writers queue exactly as in production.
    # One file per test process, so parallel runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-gendan-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast fixtures; never in production
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling: 5 failures lock the username+IP pair for 15 minutes (UI and API token login alike).
# The pair, never the username alone, so nobody can lock a colleague out by typing their name; the address is
# the real client's behind a trusted proxy (see GENDAN_TRUSTED_PROXY_HEADER), not the proxy's own.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "gendan.core.middleware.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages come from npm (package-lock.json); only the built folders are served.
NODE_MODULES = PROJECT_DIR / "node_modules"
VENDOR_DIRS = {
    "tabler/css": "@tabler/core/dist/css",
    "tabler/js": "@tabler/core/dist/js",
    "tabler/img": "@tabler/core/dist/img",
    "tabler-icons": "@tabler/icons-webfont/dist",
    "htmx": "htmx.org/dist",
    "alpinejs": "alpinejs/dist",
    "tom-select": "tom-select/dist",
    "flatpickr": "flatpickr/dist",
    "echarts": "echarts/dist",
}
STATICFILES_DIRS += [
    (f"vendor/{prefix}", NODE_MODULES / folder)
    for prefix, folder in VENDOR_DIRS.items()
    if (NODE_MODULES / folder).exists()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Uploaded files (README, "Uploaded files"): stored under MEDIA_ROOT, sent back only through views
# that check who may see them. Limits for order attachments and import workbooks alike.
GENDAN_UPLOAD_MAX_MB = int(os.environ.get("GENDAN_UPLOAD_MAX_MB", 25))
GENDAN_UPLOAD_EXTENSIONS = [  # order attachments; anything a browser could run (html, svg, js) stays out
    e.strip().lower().lstrip(".") for e in os.environ.get(
        "GENDAN_UPLOAD_EXTENSIONS",
        "pdf,png,jpg,jpeg,gif,webp,tif,tiff,bmp,heic,doc,docx,xls,xlsx,ppt,pptx,csv,txt,rtf,odt,ods,"
        "zip,rar,7z,ai,psd,eps,cdr,dwg,dxf,step,stp,igs,iges,stl,eml,msg",
    ).split(",") if e.strip()
]
GENDAN_IMPORT_MAX_ROWS = int(os.environ.get("GENDAN_IMPORT_MAX_ROWS", 5000))
# An .xlsx is a zip: its parts together may unpack to at most this much (a zip bomb is refused unread).
GENDAN_IMPORT_MAX_UNPACKED_MB = int(os.environ.get("GENDAN_IMPORT_MAX_UNPACKED_MB", 50))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON only: nested lines cannot travel in form encodings (415, not silently dropped); see api/parsers.py
    "DEFAULT_PARSER_CLASSES": ["gendan.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,  # money and quantities travel as exact decimal strings, as documented
    "DEFAULT_PAGINATION_CLASS": "gendan.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gendan.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gendan API",
    "DESCRIPTION": "Customers, products, sales orders and their state transitions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"CurrencyEnum": "gendan.api.schema.CURRENCY_CODES",
                            "ScheduleKindEnum": "gendan.finance.choices.ScheduleKind",
                            "SupplierKindEnum": "gendan.parties.choices.SupplierKind",
                            "DocumentLanguageEnum": "gendan.core.trade.DocumentLanguage",
                            "CertificateKindEnum": "gendan.shipping.choices.CertificateKind"},
    # Swagger UI and Redoc served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Mail goes to the SMTP server named by EMAIL_HOST; without one (a fresh `make run`) it is written to
# files under var/mail, so digests and delay notices can be read there instead of being lost.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
if "EMAIL_HOST" in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gendan@localhost")

# ---------------------------------------------------------------- HTTPS and the reverse proxy
# GENDAN_HTTPS=1: users reach the site over HTTPS, normally through a proxy that ends TLS and says so in
# X-Forwarded-Proto. Then cookies are Secure, plain HTTP is redirected, and browsers are told (HSTS) to use
# nothing but HTTPS for a year. `gendan check --deploy` is clean in this mode.
HTTPS = env_bool("GENDAN_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or env_bool("GENDAN_SECURE_COOKIES")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("GENDAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("GENDAN_HSTS_SECONDS", 365 * 24 * 3600))
    # Covers only subdomains of the host Gendan runs on (gendan.example.com), not its siblings.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GENDAN_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading binds the whole registered domain in browsers for months: only on explicit request.
    SECURE_HSTS_PRELOAD = env_bool("GENDAN_HSTS_PRELOAD")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# The client's address is REMOTE_ADDR unless a proxy we trust names it in GENDAN_TRUSTED_PROXY_HEADER
# (e.g. X-Forwarded-For). With GENDAN_TRUSTED_PROXY_COUNT proxies in front, the address is the entry that many
# places from the right: the right-most one not written by our own proxies, which no client can forge.
# Without the setting the header is ignored, so a forged one changes nothing.
GENDAN_TRUSTED_PROXY_HEADER = os.environ.get("GENDAN_TRUSTED_PROXY_HEADER", "").strip()
GENDAN_TRUSTED_PROXY_COUNT = max(1, int(os.environ.get("GENDAN_TRUSTED_PROXY_COUNT", 1)))

# ---------------------------------------------------------------- Content-Security-Policy (django-csp)
# Pages load scripts, styles, fonts and images from this site only; an inline <script> or <style> runs only with
# the request's nonce (none of our pages needs one; the API docs pages do). Allowed beyond that, and why:
# - script-src 'unsafe-eval': Alpine.js's standard build evaluates x-data/x-on expressions with new Function().
#   Its CSP build would drop this, at the price of moving every expression into registered components.
# - style-src-attr 'unsafe-inline': style="" attributes, set by ECharts (tooltips), Tabler and some templates;
#   they cannot run code. <style> elements still need the nonce.
# - img-src data: for Tabler's SVG icons inside its CSS (select arrows, check marks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, UNSAFE_EVAL],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# ---------------------------------------------------------------- caches
# "shared" holds what every web worker must count together (the API token-login throttle): the database, or
# Redis when GENDAN_REDIS_URL names one (needs the `redis` package). `gendan migrate` creates the table
# (core's post_migrate runs createcachetable). "default" stays per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["GENDAN_REDIS_URL"]}
        if os.environ.get("GENDAN_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gendan_cache",
              "OPTIONS": {"MAX_ENTRIES": 10_000}}  # one row per client address counted
    ),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "gendan.core.logfilters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

GENDAN_SITE_URL = os.environ.get("GENDAN_SITE_URL", "http://127.0.0.1:8000")
GENDAN_DIGEST_HOUR = int(os.environ.get("GENDAN_DIGEST_HOUR", 7))  # the morning digest goes out from 07:00
GENDAN_PERIODIC_TASKS = [  # (task, every N minutes), enqueued by `gendan worker`
    ("gendan.followup.tasks.scan_reminders", int(os.environ.get("GENDAN_SCAN_MINUTES", 15))),
]
# A morning digest claimed by a worker that was killed is sent by another once this lease runs out.
GENDAN_DIGEST_LEASE_SECONDS = int(os.environ.get("GENDAN_DIGEST_LEASE_SECONDS", 120))
# A task left RUNNING by a worker that is gone goes back on the queue: at once when that worker restarts
# (same --worker-id), otherwise this long after it started (longer than any task takes).
GENDAN_TASK_TIMEOUT_MINUTES = int(os.environ.get("GENDAN_TASK_TIMEOUT_MINUTES", 30))
# A deposit is due this many days after the order is confirmed (the default plan's "deposit received" step
# expects it a week after confirmation too)
GENDAN_DEPOSIT_DUE_DAYS = int(os.environ.get("GENDAN_DEPOSIT_DUE_DAYS", 7))
# a filter left empty says "All", not django-filter's "---------" (its choice fields build that choice themselves)
FILTERS_EMPTY_CHOICE_LABEL = _("All")
# A customer with money overdue by more than this many days is flagged on their page
GENDAN_OVERDUE_FLAG_DAYS = int(os.environ.get("GENDAN_OVERDUE_FLAG_DAYS", 30))
# CNY per unit of a currency, for an order's unpaid part in its profit (and a product cost or FOB value in another
# currency) until the company has a confirmed receipt in that currency: then the latest receipt's rate is used
# (gendan/finance/profit.py). GENDAN_DEFAULT_RATES="USD=7.10,EUR=7.75" replaces these.
GENDAN_DEFAULT_RATES = {
    code.strip().upper(): rate.strip() for code, rate in (pair.split("=") for pair in os.environ.get(
        "GENDAN_DEFAULT_RATES", "USD=7.10,EUR=7.75,GBP=9.05,JPY=0.048,HKD=0.91,AUD=4.65,CAD=5.15,CHF=8.05").split(",")
        if pair.strip())
}
