"""Content bundles: the shared library moved between installations as versioned JSON.

A bundle names every item by a natural key, never by a database id: text blocks by
slug, consent texts by title, response-form templates and hearing types by name, images
and documents by the SHA-1 of their content (the files themselves ride along, base64).
References between items (a hearing type's default form, a consent question's text, an
image in a text block) are written as those keys and resolved again on import.

Importing is idempotent: an item whose key exists is updated when it differs and
skipped when it is the same. An import runs in one transaction: if any item fails,
nothing is changed. The format is documented in docs/content-bundles.md and
docs/content-bundle.schema.json.
"""

import base64
import binascii
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from hearings import library
from hearings.blocks.questions import ResponseFormBlock
from hearings.models import ConsentText, HearingType, ResponseFormTemplate, TextBlockSnippet

FORMAT = "agora-content"
VERSION = 1
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "content-bundle.schema.json"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

CREATE, UPDATE, SKIP = "create", "update", "skip"
KINDS = ("images", "documents", "text_blocks", "consent_texts", "form_templates", "hearing_types")

TAG = re.compile(r"<(?:embed|a)\b[^>]*>")
IMAGE_EMBED = re.compile(r'\bembedtype="image"')
DOCUMENT_LINK = re.compile(r'\blinktype="document"')
ID_ATTRIBUTE = re.compile(r'\bid="([^"]*)"')


class BundleError(Exception):
    """A bundle that cannot be read or imported; the message says why, for people."""


@dataclass(frozen=True)
class Change:
    kind: str
    key: str
    action: str
    note: str = ""


def max_bytes():
    return getattr(settings, "AGORA_CONTENT_BUNDLE_MAX_BYTES", DEFAULT_MAX_BYTES)


@cache
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def sha1(data):
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


# Export ------------------------------------------------------------------------------


class Exporter:
    def __init__(self):
        self.files = {"images": {}, "documents": {}}

    def file_entry(self, kind, pk):
        model = get_image_model() if kind == "images" else get_document_model()
        item = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if item is None:
            return None
        with item.open_file() as handle:
            data = handle.read()
        key = sha1(data)
        if item.file_hash != key:
            item.file_hash = key
            item.save(update_fields=["file_hash"])
        self.files[kind][key] = {
            "key": key,
            "title": item.title,
            "filename": os.path.basename(item.file.name),
            "data": base64.b64encode(data).decode("ascii"),
        }
        return key

    def rich_text(self, text):
        def rewrite(match):
            tag = match.group(0)
            if IMAGE_EMBED.search(tag):
                kind, prefix = "images", "image"
            elif DOCUMENT_LINK.search(tag):
                kind, prefix = "documents", "document"
            else:
                return tag
            found = ID_ATTRIBUTE.search(tag)
            key = self.file_entry(kind, found.group(1)) if found else None
            reference = f"{prefix}:{key}" if key else ""
            return ID_ATTRIBUTE.sub(f'id="{reference}"', tag, count=1)

        return TAG.sub(rewrite, text or "")

    def stream_value(self, value):
        if isinstance(value, str):
            return self.rich_text(value) if "<" in value else value
        if isinstance(value, list):
            return [self.stream_value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.stream_value(item) for key, item in value.items()}
        return value

    def questions(self, template):
        result = []
        for child in template.questions.get_prep_value():
            child = dict(child)
            value = self.stream_value(child.get("value"))
            if child.get("type") == "consent" and isinstance(value, dict):
                text = ConsentText.objects.filter(pk=value.get("consent_text") or 0).first()
                value["consent_text"] = text.title if text else None
            child["value"] = value
            result.append(child)
        return result

    def text_block(self, item):
        return {"slug": item.slug, "title": item.title, "text": self.rich_text(item.text)}

    def consent_text(self, item):
        return {"title": item.title, "text": self.rich_text(item.text)}

    def form_template(self, item):
        return {
            "name": item.name,
            "description": item.description,
            "questions": self.questions(item),
        }

    def hearing_type(self, item):
        template = item.default_form_template
        return {
            "name": item.name,
            "description": item.description,
            "auto_approve": item.auto_approve,
            "default_form_template": template.name if template else None,
        }


def export_bundle(site=None):
    """The library as a bundle: every item, or a site's own and the shared ones."""

    def items(model, order):
        return library.for_site(model.objects.all(), site).order_by(order)

    exporter = Exporter()
    bundle = {
        "format": FORMAT,
        "version": VERSION,
        "text_blocks": [exporter.text_block(i) for i in items(TextBlockSnippet, "slug")],
        "consent_texts": [exporter.consent_text(i) for i in items(ConsentText, "title")],
        "form_templates": [exporter.form_template(i) for i in items(ResponseFormTemplate, "name")],
        "hearing_types": [
            exporter.hearing_type(i)
            for i in items(HearingType, "name").select_related("default_form_template")
        ],
    }
    for kind in ("images", "documents"):
        bundle[kind] = [exporter.files[kind][key] for key in sorted(exporter.files[kind])]
    return bundle


def dumps(bundle):
    return json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# Reading -----------------------------------------------------------------------------


def load(raw):
    """Parse and check a bundle (bytes or str); raise BundleError saying what is wrong."""
    if len(raw) > max_bytes():
        raise BundleError(
            _("The bundle is too large (%(size)d MB at most).")
            % {"size": max_bytes() // (1024 * 1024)}
        )
    try:
        bundle = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise BundleError(_("The file is not a JSON content bundle.")) from error
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleError(_('The file is not an Agora content bundle ("format" is missing).'))
    if bundle.get("version") != VERSION:
        raise BundleError(
            _("This bundle has format version %(found)s; this installation reads version %(v)s.")
            % {"found": bundle.get("version"), "v": VERSION}
        )
    try:
        jsonschema.validate(bundle, schema())
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "bundle"
        raise BundleError(
            _("The bundle is not valid at %(where)s: %(why)s")
            % {"where": where, "why": error.message[:300]}
        ) from error
    for kind in ("images", "documents"):
        for entry in bundle[kind]:
            try:
                data = base64.b64decode(entry["data"], validate=True)
            except (binascii.Error, ValueError) as error:
                raise BundleError(
                    _("The file %(name)s is not valid base64.") % {"name": entry["filename"]}
                ) from error
            if sha1(data) != entry["key"]:
                raise BundleError(
                    _("The file %(name)s does not match its key.") % {"name": entry["filename"]}
                )
    return bundle


# Import ------------------------------------------------------------------------------


class Importer:
    """Resolves keys to this installation's items and writes (unless ``dry_run``)."""

    def __init__(self, bundle, site, dry_run):
        self.bundle = bundle
        self.site = site
        self.dry_run = dry_run
        self.changes = []
        self.file_ids = {"images": {}, "documents": {}}
        self.file_keys = {
            kind: {entry["key"] for entry in bundle[kind]} for kind in ("images", "documents")
        }
        self.exporter = Exporter()

    def visible(self, model):
        return library.for_site(model.objects.all(), self.site)

    def record(self, kind, key, action, note=""):
        self.changes.append(Change(kind, key, action, note))

    # Files.
    def import_files(self, kind):
        model = get_image_model() if kind == "images" else get_document_model()
        for entry in self.bundle[kind]:
            key = entry["key"]
            existing = model.objects.filter(file_hash=key).first()
            if existing:
                self.file_ids[kind][key] = existing.pk
                self.record(kind, entry["filename"], SKIP)
                continue
            self.record(kind, entry["filename"], CREATE)
            if self.dry_run:
                continue
            data = base64.b64decode(entry["data"])
            name = get_valid_filename(os.path.basename(entry["filename"])) or "file"
            try:
                item = model(title=entry["title"] or name)
                item.file = (ImageFile if kind == "images" else File)(io.BytesIO(data), name=name)
                if kind == "images":
                    item._set_image_file_metadata()
                else:
                    item._set_document_file_metadata()
                item.full_clean(exclude=["file"])
                item.save()
            except Exception as error:  # noqa: BLE001 - any unreadable file is the bundle's fault
                raise BundleError(
                    _("The file %(name)s cannot be imported: %(why)s")
                    % {"name": entry["filename"], "why": str(error)[:200]}
                ) from error
            self.file_ids[kind][key] = item.pk

    def rich_text(self, text, where):
        def rewrite(match):
            tag = match.group(0)
            found = ID_ATTRIBUTE.search(tag)
            if not found or not (IMAGE_EMBED.search(tag) or DOCUMENT_LINK.search(tag)):
                return tag
            kind = "images" if IMAGE_EMBED.search(tag) else "documents"
            prefix, __, key = found.group(1).partition(":")
            if prefix not in ("image", "document") or key not in self.file_keys[kind]:
                raise BundleError(
                    _("%(where)s refers to a file that is not in the bundle.") % {"where": where}
                )
            pk = self.file_ids[kind].get(key, 0)
            return ID_ATTRIBUTE.sub(f'id="{pk}"', tag, count=1)

        return TAG.sub(rewrite, text)

    def stream_value(self, value, where):
        if isinstance(value, str):
            return self.rich_text(value, where) if "<" in value else value
        if isinstance(value, list):
            return [self.stream_value(item, where) for item in value]
        if isinstance(value, dict):
            return {key: self.stream_value(item, where) for key, item in value.items()}
        return value

    def questions(self, entry, where):
        result = []
        for child in entry["questions"]:
            child = dict(child)
            value = self.stream_value(child.get("value"), where)
            if child.get("type") == "consent" and isinstance(value, dict):
                title = value.get("consent_text")
                text = self.visible(ConsentText).filter(title=title).first() if title else None
                if title and text is None and not self.dry_run:
                    raise BundleError(
                        _('%(where)s names the consent text "%(title)s", which is missing.')
                        % {"where": where, "title": title}
                    )
                value["consent_text"] = text.pk if text else None
            child["value"] = value
            result.append(child)
        block = ResponseFormBlock()
        try:
            block.clean(block.to_python(result))
        except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as error:
            raise BundleError(
                _("%(where)s has questions that cannot be read.") % {"where": where}
            ) from error
        return result

    # Items: find by key, compare the exported form, then create/update/skip.
    def upsert(self, kind, key, existing, entry, serialize, write):
        if existing is not None and existing.site_id not in (None, getattr(self.site, "pk", None)):
            self.record(kind, key, SKIP, _("kept to another municipality"))
            return
        if existing is not None and serialize(existing) == entry:
            self.record(kind, key, SKIP)
            return
        self.record(kind, key, UPDATE if existing else CREATE)
        if self.dry_run:
            return
        item = existing
        if item is None:
            item = write.model(site=self.site)
        try:
            write(item)
            item.full_clean()
            item.save()
        except ValidationError as error:
            raise BundleError(
                _("%(kind)s %(key)s cannot be saved: %(why)s")
                % {"kind": kind, "key": key, "why": "; ".join(error.messages)[:300]}
            ) from error

    def run(self):
        for kind in ("images", "documents"):
            self.import_files(kind)
        for entry in self.bundle["text_blocks"]:
            where = _("Text block %(key)s") % {"key": entry["slug"]}

            def write(item, entry=entry, where=where):
                item.slug, item.title = entry["slug"], entry["title"]
                item.text = self.rich_text(entry["text"], where)

            write.model = TextBlockSnippet
            self.rich_text(entry["text"], where)  # checks references, also in a preview
            existing = TextBlockSnippet.objects.filter(slug=entry["slug"]).first()
            self.upsert(
                "text_blocks", entry["slug"], existing, entry, self.exporter.text_block, write
            )
        for entry in self.bundle["consent_texts"]:
            where = _("Consent text %(key)s") % {"key": entry["title"]}

            def write(item, entry=entry, where=where):
                item.title, item.text = entry["title"], self.rich_text(entry["text"], where)

            write.model = ConsentText
            self.rich_text(entry["text"], where)
            existing = self.visible(ConsentText).filter(title=entry["title"]).first()
            self.upsert(
                "consent_texts", entry["title"], existing, entry, self.exporter.consent_text, write
            )
        for entry in self.bundle["form_templates"]:
            where = _("Form template %(key)s") % {"key": entry["name"]}

            def write(item, entry=entry, where=where):
                item.name, item.description = entry["name"], entry["description"]
                item.questions = self.questions(entry, where)

            write.model = ResponseFormTemplate
            if self.dry_run:
                self.questions(entry, where)
            existing = ResponseFormTemplate.objects.filter(name=entry["name"]).first()
            self.upsert(
                "form_templates",
                entry["name"],
                existing,
                entry,
                self.exporter.form_template,
                write,
            )
        bundled_templates = {entry["name"] for entry in self.bundle["form_templates"]}
        for entry in self.bundle["hearing_types"]:
            name = entry["default_form_template"]
            template = (
                self.visible(ResponseFormTemplate).filter(name=name).first() if name else None
            )
            if name and template is None and name not in bundled_templates:
                raise BundleError(
                    _('Hearing type %(key)s names the form template "%(name)s", which is missing.')
                    % {"key": entry["name"], "name": name}
                )

            def write(item, entry=entry, template=template):
                item.name, item.description = entry["name"], entry["description"]
                item.auto_approve = entry["auto_approve"]
                item.default_form_template = template

            write.model = HearingType
            existing = HearingType.objects.filter(name=entry["name"]).first()
            self.upsert(
                "hearing_types", entry["name"], existing, entry, self.exporter.hearing_type, write
            )
        return self.changes


def preview(bundle, site=None):
    """What importing ``bundle`` would do, as a list of changes; writes nothing."""
    with transaction.atomic():
        changes = Importer(bundle, site, dry_run=True).run()
        transaction.set_rollback(True)  # the exporter may fill in a missing file hash
    return changes


def import_bundle(bundle, site=None):
    """Import ``bundle`` in one transaction; a BundleError leaves everything unchanged."""
    with transaction.atomic():
        return Importer(bundle, site, dry_run=False).run()


def summary(changes):
    counts = {CREATE: 0, UPDATE: 0, SKIP: 0}
    for change in changes:
        counts[change.action] += 1
    return counts
