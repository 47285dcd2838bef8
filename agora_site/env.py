"""Reading configuration from environment variables.

The settings and ``identity.py`` read their variables through these helpers, so
"true", a comma-separated list and an unset variable mean the same everywhere.
docs/configuration.md lists every variable with its default.

Every helper takes an optional ``environ`` mapping (``os.environ`` by default) so
that ``identity.configure`` can be tried with a plain dict. This module is
imported by the settings, so it must not import Django.
"""

import os

TRUE_WORDS = {"1", "true", "yes", "on"}


def as_bool(value):
    """``"1"``, ``"true"``, ``"yes"`` and ``"on"`` (any case) are true; anything else false."""
    return value.strip().lower() in TRUE_WORDS


def as_list(value):
    """A comma-separated value as a list, without blanks around or between the items."""
    return [item.strip() for item in value.split(",") if item.strip()]


def env_bool(name, default=False, environ=None):
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    return default if value is None else as_bool(value)


def env_list(name, default="", environ=None):
    environ = os.environ if environ is None else environ
    return as_list(environ.get(name, default))


def env_csp(name, default, environ=None):
    """A Content Security Policy from ``name`` as ``{directive: [source, ...]}``.

    Unset gives ``default``; empty gives ``{}`` (no policy). Otherwise the value is
    written as in the header, ``"default-src 'self'; img-src 'self' data:"``; a
    directive without sources (``upgrade-insecure-requests``) becomes ``True``,
    as django-csp and Django's SECURE_CSP expect.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None:
        return default
    directives = {}
    for part in value.split(";"):
        if part.strip():
            directive, *sources = part.split()
            directives[directive] = sources or True
    return directives
