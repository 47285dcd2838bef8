"""Attachments: limits, checks by content, safe names and virus scanning.

A file's type is decided by its bytes, never by its name: an executable renamed to
``.pdf`` is refused. DOCX, XLSX and ODT are zip files, so their members are opened
to tell them apart (and from any other zip); one that carries macros (a
``vbaProject.bin``, a macro-enabled content type, ODF Basic scripts) is refused. Files
are scanned by clamd when configured (``hearings.scanning``). A file that fails a check
is refused with ``Refused`` (code ``invalid``); the files live in ``hearings.storage``.

Limits hold before anything is stored: ``LimitedUploadHandler`` stops reading a file
past ``AGORA_ATTACHMENT_MAX_BYTES`` and any file past ``AGORA_ATTACHMENT_MAX_FILES``
in one request, and ``hearings.responding.stash_uploads`` checks a question's
``max_files`` before storing any of its files.
"""

import hashlib
import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from hearings import scanning
from hearings.errors import Refused
from hearings.filetypes import CONTENT_TYPES, EXTENSION_ALIASES, EXTENSIONS, FileType
from hearings.models import ResponseAttachment, ScanStatus
from hearings.storage import private_storage
from hearings.text import scrub

logger = logging.getLogger(__name__)

SNIFF_BYTES = 64 * 1024
MAX_NAME_LENGTH = 120
# What ``detect_type`` answers for an Office document with macros.
MACROS = "macros"


class LimitedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: skips a file once it grows past
    ``AGORA_ATTACHMENT_MAX_BYTES`` and every file past ``AGORA_ATTACHMENT_MAX_FILES`` in
    one request, so no more than that is written even to a temporary file. The skipped
    files are listed on ``request.skipped_uploads`` as (field name, file name, reason)
    for ``stash_uploads`` to report. Wagtail's admin (documents, images) keeps its own
    limits: the handler stands aside under ``/admin/``."""

    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"

    def __init__(self, request=None):
        super().__init__(request)
        self.files = 0
        self.received = 0
        self.active = request is None or not request.path.startswith("/admin/")
        if request is not None:
            request.skipped_uploads = []

    def _skip(self, reason):
        if self.request is not None:
            self.request.skipped_uploads.append((self.field_name, self.file_name, reason))
        raise SkipFile

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files += 1
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        # Skipping here, not in new_file: Django then closes the next handlers' files of
        # this upload, not those of the file before it.
        if not self.active:
            return raw_data
        if self.files > settings.AGORA_ATTACHMENT_MAX_FILES:
            self._skip(self.TOO_MANY)
        self.received += len(raw_data)
        if self.received > settings.AGORA_ATTACHMENT_MAX_BYTES:
            self._skip(self.TOO_LARGE)
        return raw_data

    def file_complete(self, file_size):
        return None


@dataclass
class CheckedFile:
    file_type: str
    content_type: str
    name: str
    original_name: str
    size: int
    sha256: str
    scan_status: str
    scan_detail: str


def detect_type(upload):
    """The ``FileType`` of ``upload`` judged by its content, or None if not allowed."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"PK\x03\x04"):
        return _detect_office(upload)
    if _looks_like_text(head):
        return FileType.TXT
    return None


def _detect_office(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                if mimetype == CONTENT_TYPES[FileType.ODT].encode():
                    # OpenDocument keeps macros in Basic/ and Scripts/.
                    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                        return MACROS
                    return FileType.ODT
                return None
            if "[Content_Types].xml" in names:
                if _has_macros(archive, names):
                    return MACROS
                if "word/document.xml" in names:
                    return FileType.DOCX
                if "xl/workbook.xml" in names:
                    return FileType.XLSX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def _has_macros(archive, names):
    """An Office Open XML file with VBA macros: a ``vbaProject.bin`` part (in any folder,
    so a renamed .docm or .xlsm is caught too) or a macro-enabled content type."""
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return True
    content_types = archive.read("[Content_Types].xml")[: 1024 * 1024].lower()
    return b"macroenabled" in content_types or b"vbaproject" in content_types


def _looks_like_text(head):
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        if error.start < len(head) - 4:
            text = head.decode("cp1252", errors="replace")
        else:
            text = head[: error.start].decode("utf-8")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    return controls == 0


def sanitise_name(name, file_type):
    """A safe display and storage name: no path, no control or odd characters.

    The extension is set from the detected type, so a name never claims another type.
    """
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    stem, extension = os.path.splitext(name)
    stem = re.sub(r"[^\w\s.-]", "_", stem, flags=re.UNICODE)
    stem = re.sub(r"\s+", " ", stem).strip(" ._-") or "fil"
    extension = extension.lower()
    if EXTENSION_ALIASES.get(extension) != file_type:
        extension = EXTENSIONS[file_type]
    return stem[: MAX_NAME_LENGTH - len(extension)] + extension


def max_bytes_for(question_max_mb=None):
    """The size limit: the installation's, or the question's if that is lower."""
    limit = settings.AGORA_ATTACHMENT_MAX_BYTES
    if question_max_mb:
        limit = min(limit, question_max_mb * 1024 * 1024)
    return limit


def no_scan(upload):
    """The default scanner: accepts the file unscanned."""
    return ScanStatus.SKIPPED, ""


def scan(upload):
    """(status, detail): clamd's verdict when configured, otherwise the scanner hook's."""
    if scanning.is_configured():
        scanner = scanning.clamd_scan
    else:
        scanner = import_string(settings.AGORA_ATTACHMENT_SCANNER)
    upload.seek(0)
    try:
        return scanner(upload)
    finally:
        upload.seek(0)


def check_upload(upload, allowed_types, max_bytes):
    """Check one uploaded file; raise ``Refused`` with a message, or describe it."""
    original_name = scrub(upload.name or "")
    if upload.size > max_bytes:
        raise Refused(
            _("%(name)s is too large (%(size)s). Files may be up to %(limit)s.")
            % {
                "name": original_name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
            Refused.INVALID,
        )
    if upload.size == 0:
        raise Refused(_("%(name)s is empty.") % {"name": original_name}, Refused.INVALID)
    file_type = detect_type(upload)
    if file_type == MACROS:
        raise Refused(
            _("%(name)s contains macros. Save it without macros (e.g. as .docx) and try again.")
            % {"name": original_name},
            Refused.INVALID,
        )
    if file_type is None or file_type not in allowed_types:
        labels = dict(FileType.CHOICES)
        raise Refused(
            _("%(name)s is not an allowed file type. Allowed: %(types)s.")
            % {
                "name": original_name,
                "types": ", ".join(str(labels[t]) for t in allowed_types),
            },
            Refused.INVALID,
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    status, detail = scan(upload)
    if status == ScanStatus.INFECTED:
        raise Refused(
            _("%(name)s was refused by the virus scanner.") % {"name": original_name},
            Refused.INVALID,
        )
    if status == ScanStatus.FAILED:
        raise Refused(
            _("%(name)s could not be checked for viruses. Please try again later.")
            % {"name": original_name},
            Refused.INVALID,
        )
    return CheckedFile(
        file_type=file_type,
        content_type=CONTENT_TYPES[file_type],
        name=sanitise_name(original_name, file_type),
        original_name=original_name[:500],
        size=upload.size,
        sha256=digest.hexdigest(),
        scan_status=status,
        scan_detail=detail or "",
    )


def store(user, hearing, question_id, upload, checked):
    """Write an upload ``check_upload`` accepted, as ``user``'s attachment for ``hearing``."""
    attachment = ResponseAttachment(
        hearing=hearing,
        uploaded_by=user,
        question_id=question_id,
        original_name=checked.original_name,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        scan_status=checked.scan_status,
        scan_detail=checked.scan_detail,
    )
    upload.seek(0)
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    return attachment


# Orphans ---------------------------------------------------------------------------


def remove_stray_files(now=None):
    """Delete files in the attachment folder that no row names (a save interrupted
    half-way), older than ``AGORA_ORPHAN_UPLOAD_HOURS``; return how many went.

    Uploads that have a row but never joined an answer are ``retention``'s
    (``remove_orphan_uploads``), which logs them per hearing.
    """
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(hours=settings.AGORA_ORPHAN_UPLOAD_HOURS)
    removed = 0
    storage = private_storage()
    known = set(ResponseAttachment.objects.values_list("file", flat=True))
    for name in _stored_files(storage, "attachments"):
        if name in known or storage.get_modified_time(name) >= cutoff:
            continue
        storage.delete(name)
        removed += 1
    if removed:
        logger.info("Removed %d stray upload file(s)", removed)
    return removed


def _stored_files(storage, folder):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_files(storage, f"{folder}/{sub}")
