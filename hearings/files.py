"""Serving uploaded files — Wagtail documents and images — through a permission check.

Every uploaded file is served by the web process, whatever stores it (the file system
under ``MEDIA_ROOT`` by default, S3-compatible object storage when configured): no file
has a public URL of its own. Who may download what is decided by
``hearings.access.can_see_file``; anyone else gets 404, as for a hearing they may not see.

- ``/documents/<id>/<name>``: Wagtail's document view (``WAGTAILDOCS_SERVE_METHOD =
  "serve_view"``), asking ``access`` through the ``before_serve_document`` hook
  (hearings/wagtail_hooks.py); ``serve_document`` below adds the cache headers.
- ``/media/<path>``: originals, renditions (what image blocks show) and the documents'
  stored files, looked up by their stored name — a path that no record holds is 404, so
  nothing else in the storage can be reached.
- ``/municipality/logo``: the one public file, the logo of the site the request is for
  (MunicipalitySettings.logo). It is shown to everybody, signed in or not, on every
  page; an SVG logo is served with a policy that keeps any script in it from running.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from hearings import access, sites
from hearings.models.municipality import municipality_of


def stored_file_owner(name):
    """The document or image a stored file belongs to (a rendition's image), else None.

    Profile pictures of admin users belong to the admin: the user profile is returned.
    """
    Document = get_document_model()
    Image = get_image_model()
    document = Document.objects.filter(file=name).first()
    if document is not None:
        return document
    image = Image.objects.filter(file=name).first()
    if image is not None:
        return image
    rendition = Image.get_rendition_model().objects.filter(file=name).select_related("image")
    rendition = rendition.first()
    if rendition is not None:
        return rendition.image
    return UserProfile.objects.filter(avatar=name).first()


def may_download(user, owner):
    if isinstance(owner, UserProfile):
        return access.is_hearing_staff(user)
    return access.can_see_file(user, owner)


def _private_headers(response):
    # Never kept by a shared cache: who may download a file depends on who asks, and
    # a hearing's audience can change.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def serve_media(request, path):
    """A stored document, image or rendition under ``MEDIA_URL``, if the caller may see it."""
    if "\x00" in path:  # PostgreSQL refuses NUL in a query: not a name we store
        raise Http404
    owner = stored_file_owner(path)
    if owner is None or not may_download(request.user, owner):
        raise Http404
    try:
        stored = default_storage.open(path, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(stored, content_type=content_type)
    if not content_type.startswith("image/"):
        # Documents download; nothing in them runs in the portal's origin.
        response["Content-Disposition"] = "attachment"
        response["Content-Security-Policy"] = "default-src 'none'"
    return _private_headers(response)


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (its hook asks ``access``), with private cache headers."""
    if len(document_id) > 18 or "\x00" in document_filename:  # not an id or name we store
        raise Http404
    response = wagtail_serve_document(request, document_id, document_filename)
    return _private_headers(response)


# An uploaded SVG could hold a script: opened on its own, nothing in it may run or load.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@require_safe
def serve_logo(request):
    """The logo of the request's municipality, public; 404 when it has none."""
    logo = municipality_of(sites.request_site(request)).logo
    if not logo:
        raise Http404
    try:
        stored = default_storage.open(logo.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = "image/svg+xml" if logo.name.lower().endswith(".svg") else "image/png"
    response = FileResponse(stored, content_type=content_type)
    response["Content-Security-Policy"] = LOGO_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    # Public, but per host: the same path shows each municipality's own logo.
    patch_cache_control(response, public=True, max_age=3600)
    patch_vary_headers(response, ["Host"])
    return response
