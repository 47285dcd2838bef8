"""The interface every ESDH adapter implements, and how the configured one is chosen.

An adapter only talks to its system: it does not know about hearings, retries or
what has been filed before. ``hearings.exports.service`` builds the documents, keeps
the record of what was filed (so nothing is filed twice) and calls the adapter.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

BACKENDS = {
    "filesystem": "hearings.esdh.filesystem.FilesystemAdapter",
    "getorganized": "hearings.esdh.getorganized.GetOrganizedAdapter",
    "sbsys": "hearings.esdh.sbsys.SBSYSAdapter",
}


class ESDHError(Exception):
    """The ESDH system refused or failed a request."""


class ESDHUnavailable(ESDHError):
    """The ESDH system could not be reached (network error, timeout, 5xx): try later."""


@dataclass(frozen=True)
class CaseInfo:
    """What the adapter needs to create or find the case of a hearing."""

    reference: str  # Agora's own stable key, e.g. "agora-hearing-42"
    title: str
    case_number: str = ""  # an existing case typed in by the editor, if any
    kle_number: str = ""
    department: str = ""
    owner: str = ""


@dataclass
class Document:
    """One file to file: the bytes, how to name it and its metadata."""

    source_key: str  # stable per source item, e.g. "hearing-text" or "response-7"
    title: str
    filename: str
    content: bytes
    mime_type: str = "application/pdf"
    metadata: dict = field(default_factory=dict)

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()


def clean_filename(name, max_length=120):
    """A file name every ESDH system accepts: none of <>:"/\\|?* or control characters."""
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if dot and len(name) > max_length:
        name = stem[: max_length - len(extension) - 1] + "." + extension
    return name[:max_length] or "document"


class ESDHAdapter:
    """Create or find a case, add documents, finalize them, close the case.

    Methods raise ``ESDHUnavailable`` for what may succeed later and ``ESDHError``
    for a refusal. Ids are strings in whatever form the system uses.
    """

    name = ""

    def ensure_case(self, case: CaseInfo) -> str:
        """Return the id of the case for ``case``, creating it if it does not exist."""
        raise NotImplementedError

    def add_document(self, case_id: str, document: Document, parent_id: str | None = None) -> str:
        """File ``document`` in the case, related to ``parent_id`` if given; return its id."""
        raise NotImplementedError

    def find_document(self, case_id: str, document: Document) -> str | None:
        """The id of ``document`` if an earlier, interrupted attempt already filed it.

        Asked only when Agora cannot tell whether a call went through. Systems that
        cannot look documents up return None; the export then files it again.
        """
        return None

    def finalize(self, case_id: str, document_ids: list[str]) -> None:
        """Lock the documents as records (journalized)."""
        raise NotImplementedError

    def close_case(self, case_id: str) -> None:
        raise NotImplementedError

    def dry_run(self, write):
        """An adapter that prints (through ``write``) what this one would send or
        write, sends and writes nothing, and answers as the system plausibly would.
        See ``hearings.esdh.dryrun``."""
        raise ESDHError(f"The {self.name or type(self).__name__} adapter has no dry run.")


class AdapterSettings:
    """An adapter's settings: ``config`` (per municipality) first, then Django settings.

    ``AdapterSettings("SBSYS", config)["url"]`` is ``config["url"]`` when the key is
    there, otherwise ``settings.AGORA_SBSYS_URL``. JSON-valued settings (maps, lists)
    may be given as a JSON string (environment) or as the value itself.
    """

    def __init__(self, prefix, config=None):
        self.prefix = prefix
        self.config = dict(config or {})

    def get(self, key, default=None):
        if key in self.config:
            return self.config[key]
        return getattr(settings, f"AGORA_{self.prefix}_{key.upper()}", default)

    __getitem__ = get

    def json(self, key, default):
        value = self.get(key, None)
        if value in (None, ""):
            return default
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as error:
                raise ImproperlyConfigured(
                    f"AGORA_{self.prefix}_{key.upper()} is not valid JSON: {error}"
                ) from error
        return value


def get_adapter(name=None, config=None):
    """The adapter named by ``AGORA_ESDH_BACKEND``: a short name or a dotted path.

    ``config`` is a mapping of the adapter's settings (per municipality); keys are the
    names of its ``AGORA_<ADAPTER>_*`` settings, lower-case and without the prefix. A key
    left out falls back to the installation's setting.
    """
    name = name or settings.AGORA_ESDH_BACKEND
    cls = import_string(BACKENDS.get(name, name))
    return cls(config=config) if config else cls()
