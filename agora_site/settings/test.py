"""Tests: PostgreSQL when DATABASE_URL is set (as in CI), fast hashing, local e-mail."""

from .base import *  # noqa: F403
from .base import BASE_DIR, MEDIA_STORAGE

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
AGORA_PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files from the finders (node_modules, app folders): no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
