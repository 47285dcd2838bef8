"""Dry runs: what an adapter would send, printed, with nothing sent and nothing written.

The HTTP adapters talk through ``self.session``; a dry run swaps it for a
``RecordingSession`` that prints each request and answers with a plausible fake
response (``adapter.dry_run_answer``) so the export flow goes on as it would against
the real system. The filesystem adapter is replaced by ``FilesystemDryRun``, which
prints the paths, sizes and SHA-256 it would write.

What is printed never holds a secret: the Authorization header, cookies, session
credentials and any field whose name says token, secret or password are replaced by
``[redacted]``. File contents (base64 text, byte lists) are printed as their size and
SHA-256, beside the file name that travels with them.
"""

import base64
import binascii
import hashlib
import json
import json as _json
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

from .base import CaseInfo, Document, ESDHAdapter, ESDHError, clean_filename

REDACTED = "[redacted]"
PERSONAL = "[personal data]"
SECRET_WORDS = ("authorization", "token", "secret", "password", "cookie", "apikey", "api_key")
MANIFEST = "manifest.json"


def is_secret(name):
    name = str(name).lower().replace("-", "_")
    return any(word in name for word in SECRET_WORDS)


def digest(data):
    return f"<{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}>"


def summarised(value, binary_fields, name=""):
    """``value`` with secrets redacted and file contents replaced by size and SHA-256."""
    if name and is_secret(name):
        return REDACTED
    if isinstance(value, dict):
        return {key: summarised(item, binary_fields, key) for key, item in value.items()}
    if name in binary_fields:
        if isinstance(value, list):
            return digest(bytes(value))
        if isinstance(value, str):
            try:
                return digest(base64.b64decode(value, validate=True))
            except (binascii.Error, ValueError):
                return digest(value.encode())
        if isinstance(value, bytes):
            return digest(value)
    if isinstance(value, list):
        return [summarised(item, binary_fields) for item in value]
    return value


class RecordingSession:
    """Stands in for ``requests.Session``: records and prints, sends nothing."""

    def __init__(self, answer, write, binary_fields=()):
        self.answer = answer  # (method, path, payload) -> JSON-able fake answer
        self.write = write
        self.binary_fields = set(binary_fields)
        self.auth = None
        self.headers = {}
        self.sent = []  # (method, url) of every request that would have been sent
        # Values that name a person (a respondent, the owner): the adapter adds them
        # before it sends; they are printed as "[personal data]".
        self.personal = set()
        self.print = write
        self.write = self.write_redacted

    def write_redacted(self, line):
        for value in sorted(self.personal, key=len, reverse=True):
            if len(value) >= 3:
                line = line.replace(value, PERSONAL)
        self.print(line)

    def request(self, method, url, *, timeout=None, json=None, data=None, headers=None, **kw):
        self.sent.append((method, url))
        number = len(self.sent)
        parts = urlsplit(url)
        query = urlencode(
            [(k, REDACTED if is_secret(k) else v) for k, v in parse_qsl(parts.query)],
            safe="[]",
        )
        self.write(f"--- request {number}: {method} {parts.path}" + (f"?{query}" if query else ""))
        # The host without any user:password@ a URL might carry.
        port = f":{parts.port}" if parts.port else ""
        self.write(f"    host: {parts.scheme}://{parts.hostname}{port}")
        shown = {**self.headers, **(headers or {})}
        if self.auth is not None:
            shown["Authorization"] = "(session credentials)"
        for name, value in sorted(shown.items()):
            self.write(f"    {name}: {REDACTED if is_secret(name) else value}")
        if json is not None:
            self.write("    Content-Type: application/json")
            body = summarised(json, self.binary_fields)
            self.write(_indent(_dumps(body)))
        elif isinstance(data, bytes):
            self.write(f"    body: {digest(data)}")
        elif data is not None:
            self.write("    Content-Type: application/x-www-form-urlencoded")
            self.write(_indent(_dumps(summarised(data, self.binary_fields))))
        files = kw.get("files") or {}
        if files:
            self.write("    Content-Type: multipart/form-data")
        for name, (filename, content, *rest) in files.items():
            content = content if isinstance(content, bytes | str) else content.read()
            kind = f" ({rest[0]})" if rest else ""
            if filename is None:  # a form field: shown, as JSON when it is
                self.write(f"    part {name}{kind}:")
                try:
                    self.write(_indent(_indent(_dumps(_json.loads(content)))))
                except ValueError:
                    self.write(_indent(_indent(str(content))))
            else:
                content = content.encode() if isinstance(content, str) else content
                self.write(f"    part {name}: {filename}{kind} {digest(content)}")
        return fake_response(method, url, self.answer(method, parts.path, json))


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def _indent(text):
    return "\n".join(f"    {line}" for line in text.splitlines())


def fake_response(method, url, payload):
    response = requests.Response()
    response.status_code = 200
    response.url = url
    response.request = requests.Request(method, url).prepare()
    response._content = json.dumps(payload).encode() if payload is not None else b""
    response.headers["Content-Type"] = "application/json"
    return response


class FilesystemDryRun(ESDHAdapter):
    """The filesystem adapter's archive, read but never written: prints what it would write."""

    name = "filesystem (dry run)"

    def __init__(self, adapter, write):
        self.adapter = adapter
        self.write = write
        self.root = adapter.root
        self.case_titles = {}

    def folder(self, case_id):
        return self.adapter.folder(case_id)

    def ensure_case(self, case: CaseInfo) -> str:
        case_id = clean_filename(case.case_number or case.reference)
        folder = self.folder(case_id)
        if (folder / MANIFEST).exists():
            self.write(f"--- case folder {folder} exists: documents are added to it")
        else:
            self.write(f"--- would create folder {folder}")
            self.write(f"    would write {folder / MANIFEST} (case {case_id!r}, {case.title!r})")
        return case_id

    def add_document(self, case_id, document: Document, parent_id=None) -> str:
        filename = clean_filename(document.filename)
        path = Path(self.folder(case_id)) / filename
        self.write(f"--- would write {path} {digest(document.content)}")
        self.write(f"    title: {document.title}; type: {document.mime_type}; parent: {parent_id}")
        self.write(f"    would update {path.with_name(MANIFEST)}")
        return filename

    def find_document(self, case_id, document):
        try:
            return self.adapter.find_document(case_id, document)
        except ESDHError:
            return None

    def finalize(self, case_id, document_ids):
        self.write(
            f"--- would mark finalized in {self.folder(case_id) / MANIFEST}: "
            + ", ".join(document_ids)
        )

    def close_case(self, case_id):
        self.write(f"--- would mark the case closed in {self.folder(case_id) / MANIFEST}")
