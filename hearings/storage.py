"""Where uploaded files live: response attachments on disk with no public URL, and
Wagtail's documents and images in object storage when configured."""

import os
from functools import cache
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


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


class MediaObjectStorage(S3Storage):
    """Wagtail's documents and images in an S3-compatible bucket that is never public.

    Objects are written private, and a file's URL is the portal's own ``/media/`` view
    (``hearings.files.serve_media``), which asks ``hearings.access`` and streams the
    object: no bucket or signed URL ever reaches a browser. Configured by the
    ``AGORA_MEDIA_S3_*`` variables (docs/configuration.md).
    """

    default_acl = "private"
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
