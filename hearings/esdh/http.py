"""HTTP for the vendor adapters: one place that turns failures into ESDH errors."""

import requests

from .base import ESDHError, ESDHUnavailable


def call(session, method, url, *, timeout, **kwargs):
    """Send a request; return the response of a 2xx, raise an ESDH error otherwise.

    Network errors, timeouts and 5xx mean "try later" (``ESDHUnavailable``); a 4xx is
    a refusal (``ESDHError``). The export service retries both with backoff.
    """
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as error:
        raise ESDHUnavailable(f"{method} {url}: {type(error).__name__}: {error}") from error
    if response.status_code >= 500:
        raise ESDHUnavailable(f"{method} {url}: HTTP {response.status_code}")
    if response.status_code >= 400:
        raise ESDHError(f"{method} {url}: HTTP {response.status_code} {response.text[:500]}")
    return response


def json_of(response):
    try:
        return response.json()
    except ValueError as error:
        raise ESDHError(f"{response.request.method} {response.url}: not JSON") from error
