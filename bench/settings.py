"""Production settings for ``make bench`` (bench/run.py), on loopback.

What differs from production, and why: the bare comparison view (bench/urls.py); no
HTTPS redirect and no second factor (the load generator speaks plain HTTP with a
session it was handed); static files named without a manifest (no collectstatic
needed); media under var/bench.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
_VAR = Path(__file__).resolve().parent.parent / "var" / "bench"
os.environ.setdefault("MEDIA_ROOT", str(_VAR / "media"))
os.environ.setdefault("AGORA_PRIVATE_MEDIA_ROOT", str(_VAR / "private"))

from agora_site.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
AGORA_REQUIRE_2FA_FOR_STAFF = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
