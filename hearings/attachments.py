"""Attachments: private storage, checks by content, safe names and the scanning hook."""

from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


@cache
def _storage(location):
    # base_url=None: these files have no public URL; they are served by a view that
    # asks hearings.access first.
    return FileSystemStorage(location=location, base_url=None)


def private_storage():
    return _storage(str(settings.AGORA_PRIVATE_MEDIA_ROOT))
