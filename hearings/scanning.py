"""Virus scanning of uploads by ClamAV's daemon, clamd, through ``clamav-client``.

On when ``AGORA_CLAMD_ADDRESS`` is set: ``tcp://host:3310`` (or ``host:3310``) or a
Unix socket, ``unix:///run/clamav/clamd.ctl`` (or just the path). The file is streamed
to clamd (``INSTREAM``), so clamd needs no access to Agora's files. It fails closed:
when clamd cannot be reached, answers an error or finds the file too large to scan, the
result is ``failed`` and ``hearings.attachments`` refuses the upload; ``/healthz``
reports the scanner as down. Without an address the ``AGORA_ATTACHMENT_SCANNER`` hook
decides (default: no scanning).
"""

import logging
from urllib.parse import urlsplit

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings

from hearings.models import ScanStatus

logger = logging.getLogger(__name__)


def is_configured():
    return bool(settings.AGORA_CLAMD_ADDRESS)


def client():
    """A clamd client for ``AGORA_CLAMD_ADDRESS``."""
    address = settings.AGORA_CLAMD_ADDRESS.strip()
    timeout = settings.AGORA_CLAMD_TIMEOUT
    if address.startswith("unix://") or address.startswith("/"):
        return ClamdUnixSocket(address.removeprefix("unix://"), timeout=timeout)
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    return ClamdNetworkSocket(parts.hostname or "127.0.0.1", parts.port or 3310, timeout=timeout)


def clamd_scan(upload):
    """(status, detail) for ``upload`` as clamd judges it; ``failed`` when it cannot."""
    try:
        result = client().instream(upload)
    except (ClamdError, OSError) as error:
        logger.error("Virus scan failed: %s", error)
        return ScanStatus.FAILED, str(error)[:255]
    status, detail = next(iter(result.values()), ("ERROR", "no answer"))
    if status == "OK":
        return ScanStatus.CLEAN, ""
    if status == "FOUND":
        logger.warning("Virus scan: %s found in an upload", detail)
        return ScanStatus.INFECTED, (detail or "")[:255]
    logger.error("Virus scan failed: clamd answered %s %s", status, detail)
    return ScanStatus.FAILED, f"{status} {detail or ''}".strip()[:255]


def health():
    """The scanner for ``/healthz``: "ok", "error" (clamd down), or None when none is
    configured."""
    if not is_configured():
        return None
    try:
        return "ok" if client().ping().strip() == "PONG" else "error"
    except (ClamdError, OSError):
        logger.exception("Health check: clamd unreachable")
        return "error"
