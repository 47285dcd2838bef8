"""Private storage for response attachments: files on disk with no public URL."""

import os
from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under ``AGORA_PRIVATE_MEDIA_ROOT`` with no public URL.

    They are served only by ``hearings.views.download_attachment``, which asks
    ``hearings.access`` first. The location is read from the settings on every use,
    so tests and operators can move it.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.AGORA_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private attachments have no public URL.")


@cache
def private_storage():
    return PrivateStorage()
