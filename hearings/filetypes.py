"""The attachment types Agora accepts, with their content types and file extensions.

Offered by the file question (``hearings.blocks.questions``) and checked by content in
``hearings.attachments``.
"""

from django.utils.translation import gettext_lazy as _


class FileType:
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    ODT = "odt"
    PNG = "png"
    JPEG = "jpeg"
    TXT = "txt"

    CHOICES = [
        (PDF, "PDF"),
        (DOCX, _("Word (DOCX)")),
        (XLSX, _("Excel (XLSX)")),
        (ODT, _("OpenDocument text (ODT)")),
        (PNG, "PNG"),
        (JPEG, "JPEG"),
        (TXT, _("Plain text (TXT)")),
    ]
    ALL = [value for value, __ in CHOICES]


CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
    FileType.PNG: "image/png",
    FileType.JPEG: "image/jpeg",
    FileType.TXT: "text/plain",
}
EXTENSIONS = {
    FileType.PDF: ".pdf",
    FileType.DOCX: ".docx",
    FileType.XLSX: ".xlsx",
    FileType.ODT: ".odt",
    FileType.PNG: ".png",
    FileType.JPEG: ".jpg",
    FileType.TXT: ".txt",
}
# Extensions that are a legitimate spelling of the detected type.
EXTENSION_ALIASES = {".jpeg": FileType.JPEG, ".text": FileType.TXT}


def accept_list(file_types):
    """A file input's ``accept`` value for ``file_types``: a hint for the file picker."""
    extensions = [EXTENSIONS[t] for t in file_types]
    if ".jpg" in extensions:
        extensions.append(".jpeg")
    return ",".join(extensions)
