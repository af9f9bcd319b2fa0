"""Settings shared by every environment.

Each scale-out part is switched on by an environment variable and falls back
to an embedded default, so one machine runs everything out of the box:
DATABASE_URL (SQLite), MEDIA_ROOT (local disk), AWS_STORAGE_BUCKET_NAME (S3),
REDIS_URL (database task queue), ELASTICSEARCH_URL (database search).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The Wagtail site's hostname (setup_archive): the first real host the site
# answers to. Public pages, feeds and the sitemap use the request's own host.
SITE_HOSTNAME = os.environ.get("SITE_HOSTNAME") or next(
    (host for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")), "localhost"
)

INSTALLED_APPS = [
    "heritage",
    "media_pipeline",
    "search",
    "open_data",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer (static files, cached pages, CommonMiddleware's
    # redirects), so open data's answers all carry the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Static files answer here, before sessions and pages: hashed names,
    # gzip and brotli files made by collectstatic, cached for years.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cached anonymous page is stored compressed, so it answers before the
    # rest runs (heritage/page_cache.py); keyed on whether gzip is accepted.
    "heritage.page_cache.AnonymousPageCacheMiddleware",
    # Compresses what everything below it writes (pages, JSON, playlists),
    # not streamed files (media ranges, already compressed).
    "heritage.compression.PageGZipMiddleware",
    "heritage.csp.PathCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it turns a lock-out raised anywhere above into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heritage.urls"
WSGI_APPLICATION = "heritage.wsgi.application"

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
            ],
        },
    },
]

# --- Login security -------------------------------------------------------
# django-axes counts failed logins (the Wagtail admin login goes through
# authenticate(request=...)): 5 failures for one username from one address
# lock that pair for 30 minutes; another user, or the same user elsewhere,
# can still log in. Failures older than the cool-off are forgotten.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "heritage/lockout.html"

# Only forms (the admin's password change and user editor) apply these;
# create_user and set_password in commands and the demo do not.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Database -------------------------------------------------------------
# SQLite must survive a provincial team publishing at once: WAL lets readers
# run beside the writer, IMMEDIATE takes the write lock at BEGIN (so no
# transaction fails half-way on lock upgrade) and the busy timeout queues
# writers instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
    ),
}

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
if not os.environ.get("DATABASE_URL"):
    (BASE_DIR / "var").mkdir(exist_ok=True)  # a fresh clone has no var/ yet
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation ------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
# The public switch names each language in itself; the admin names them in the officer's.
WAGTAIL_CONTENT_LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where static files are served without DEBUG (production, the demo): hashed
# names (so they are cached for years) and gzip + brotli copies made once by
# collectstatic, which WhiteNoise sends to browsers that accept them.
SERVED_STATIC_STORAGE = {"BACKEND": "heritage.static_storage.ServedStaticStorage"}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
# Masters and signed consent forms never live under MEDIA_ROOT's public URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or MEDIA_ROOT.parent / "private")

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or os.environ.get("AWS_DEFAULT_REGION")


def s3_storages(bucket_name, endpoint_url=None, region_name=None):
    """Public renditions and private masters in one bucket, under two prefixes."""
    common = {
        "bucket_name": bucket_name,
        "endpoint_url": endpoint_url,
        "region_name": region_name,
        # A master must never be overwritten by a later upload of the same name.
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "public",
                "default_acl": None,
                "querystring_auth": False,
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


if AWS_STORAGE_BUCKET_NAME:
    STORAGES = s3_storages(AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME)
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

MEDIA_MAX_UPLOAD_BYTES = int(os.environ.get("MEDIA_MAX_UPLOAD_BYTES", 20 * 1024**3))
# Media does not know records or consent: the archive hands it who may see what.
MEDIA_ACCESS_POLICY = "heritage.access.media_policy"

# --- Content-Security-Policy (django-csp, heritage/csp.py) -----------------
# The public site runs no inline script or style, and nothing from another
# host but the media bucket: every page, player and map is written for this.
# With S3, /files/ redirects to signed bucket URLs, so players and images load
# from the bucket's host (or hosts listed in CSP_MEDIA_ORIGINS).
MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS")
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_ORIGINS += (
        [AWS_S3_ENDPOINT_URL]
        if AWS_S3_ENDPOINT_URL
        else [
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com",
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com",
        ]
    )
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "media-src": [SELF, "blob:", *MEDIA_ORIGINS],
        "connect-src": [SELF, *MEDIA_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin: scripts only from our host, but Wagtail 8's form widgets
# (InlinePanel, choosers, date pickers) start with inline scripts that hold
# each field's id, so the admin needs 'unsafe-inline' there (never
# 'unsafe-eval'; heritage/csp.py lists them); styles stay 'self'. Previews
# of archive pages get the public policy (heritage/csp.py). The admin frames
# its own preview.
ADMIN_CSP_PATH_PREFIX = "/admin/"
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "frame-ancestors": [SELF],
    }
}

# --- Background tasks ------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    TASKS = {
        "default": {
            "BACKEND": "media_pipeline.task_backend.ResilientRQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
    INSTALLED_APPS.append("django_rq")
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Cache ---------------------------------------------------------------------
# One cache shared by every server process, so page caches and rate limits agree
# across them: Redis when there is one, else a database table (made by
# ``setup_archive``, which runs ``createcachetable``).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "heritage_cache",
        }
    }
# Anonymous public pages are kept this long in that cache; publishing,
# unpublishing, restricting, deleting and consent changes clear them at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))

# --- Open data (open_data/http.py) -------------------------------------------
# Requests per client address, counted in the shared cache above.
OPEN_DATA_RATES = {"api": "60/m", "oai": "60/m", "iiif": "60/m", "downloads": "10/m"}
RATELIMIT_USE_CACHE = "default"
# Open data is read-only and the same for everyone: any site may read it, with GET only.
CORS_URLS_REGEX = r"^/(api/v1|oai|iiif|open-data/files)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]

# --- Search ------------------------------------------------------------------
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    # Elasticsearch 8 with the archive's analysers (search/backends/elasticsearch.py).
    # Only "wagtail.search" is in INSTALLED_APPS: adding "modelsearch" beside it
    # passes the checks but makes every search fail.
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "heritage_"),
            "TIMEOUT": 10,
            "SEARCH_TIMEOUT": 5,
            # update_index builds a fresh index and swaps the alias: no downtime.
            "ATOMIC_REBUILD": True,
            "BULK_CHUNK_SIZE": 200,
            "OPTIONS": {"max_retries": 1, "retry_on_timeout": False},
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

# --- Wagtail -------------------------------------------------------------------
WAGTAIL_SITE_NAME = _("Vietnam Festivals and Customs Archive")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_USER_LOGIN_FORM = "heritage.admin_login.LoginForm"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128_000_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
LOGIN_URL = "wagtailadmin_login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "heritage": {"handlers": ["console"], "level": "INFO"},
        "media_pipeline": {"handlers": ["console"], "level": "INFO"},
        "search": {"handlers": ["console"], "level": "INFO"},
    },
}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no request to an outside host from the admin
