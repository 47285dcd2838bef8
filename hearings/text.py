"""Valid text: what Agora accepts from people, and how it reads text already stored.

Text that comes in (the answer form, drafts, the API's JSON) must be valid Unicode
without control characters: a lone UTF-16 surrogate (``\\ud800``, possible in JSON)
cannot be encoded as UTF-8, so it breaks every page, mail and export that shows it,
and PostgreSQL refuses it and the NUL character outright. Tab, newline and carriage
return are ordinary in a long answer; every other control character (C0, DEL, C1) is
refused. Refusing happens at the boundary (``invalid_paths``); ``scrub`` makes text read
from the database safe to render, for anything stored before the boundary was closed.
"""

import re

# C0 controls except tab, newline and carriage return; DEL and the C1 controls;
# the surrogate code points, which are never valid on their own; U+FFFE and U+FFFF,
# which XML (the XLSX and PDF exports) cannot hold.
INVALID_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def is_valid_text(text):
    return INVALID_CHARACTERS.search(text) is None


def invalid_paths(value, path=()):
    """The paths (tuples of keys and indexes) in ``value`` — a string or JSON-like
    structure — where a string (or a dict key) holds invalid characters."""
    found = []
    if isinstance(value, str):
        if not is_valid_text(value):
            found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and not is_valid_text(key):
                found.append((*path, key))
            found += invalid_paths(item, (*path, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found += invalid_paths(item, (*path, index))
    return found


def _replace(match):
    char = match.group()
    # A surrogate or noncharacter becomes the replacement character, so the reader sees
    # something was there; a control character goes.
    return "\ufffd" if char >= "\ud800" else ""


def scrub(value):
    """``value`` with invalid characters replaced (surrogates) or removed (controls);
    strings inside dicts and lists too. Valid text comes back unchanged."""
    if isinstance(value, str):
        return value if is_valid_text(value) else INVALID_CHARACTERS.sub(_replace, value)
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value
