"""Attachments: checks by content, safe names and the scanning hook.

A file's type is decided by its bytes, never by its name: an executable renamed to
``.pdf`` is refused. DOCX, XLSX and ODT are zip files, so their members are opened
to tell them apart (and from any other zip). A file that fails a check is refused with
``Refused`` (code ``invalid``); the files live in ``hearings.storage``.
"""

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from hearings.errors import Refused
from hearings.filetypes import CONTENT_TYPES, EXTENSION_ALIASES, EXTENSIONS, FileType
from hearings.models import ScanStatus

SNIFF_BYTES = 64 * 1024
MAX_NAME_LENGTH = 120


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
                    return FileType.ODT
                return None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return FileType.DOCX
                if "xl/workbook.xml" in names:
                    return FileType.XLSX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


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
    scanner = import_string(settings.AGORA_ATTACHMENT_SCANNER)
    upload.seek(0)
    try:
        return scanner(upload)
    finally:
        upload.seek(0)


def check_upload(upload, allowed_types, max_bytes):
    """Check one uploaded file; raise ``Refused`` with a message, or describe it."""
    original_name = upload.name or ""
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
