"""Development: DEBUG on, SQLite under var/, e-mail printed to the console."""

from agora_site.env import env_bool, env_list

from .base import *  # noqa: F403
from .base import MEDIA_STORAGE, MIDDLEWARE, VAR_DIR

DEBUG = True
SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

VAR_DIR.mkdir(parents=True, exist_ok=True)
# Serve static files from the finders (node_modules, app folders): no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo shows the portal's own 404 page, as production does (Django's technical
# page only when asked for).
if not env_bool("AGORA_TECHNICAL_404", False):
    MIDDLEWARE = [*MIDDLEWARE, "agora_site.middleware.PortalNotFoundMiddleware"]
