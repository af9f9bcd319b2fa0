"""Local development: the default settings module."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405, S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["*"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if not DEBUG:
    # The demo (bootstrap.py) runs like production: its own error pages, static
    # files from collectstatic through WhiteNoise.
    STORAGES["staticfiles"] = SERVED_STATIC_STORAGE  # noqa: F405
