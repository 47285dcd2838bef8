"""Response PDFs rendered in worker processes while the export files the ones before.

An ESDH export of 1,000 responses is mostly WeasyPrint laying out 1,000 small PDFs, one
after the other on one core (#16). ``PdfWorkers`` starts ``AGORA_ESDH_PDF_WORKERS``
plain child processes (``python -m hearings.exports.pdf_workers``, not
``multiprocessing``: the job worker that runs an export is itself a daemonic process,
which may not have ``multiprocessing`` children) and hands each one HTML document at a
time over its stdin; it answers with the PDF/A on its stdout. ``rendered_ahead`` keeps
the next few PDFs rendering there while the export files the current one.

The children need neither Django nor the database: a response's document is the
escaped text of its answers, the register a table, with no image or stylesheet to
fetch, so they are given only documents without any (``poolable``; a hearing text with
an image is rendered by the export itself) and fetch ``data:`` URLs alone. Anything a
child cannot do — it died, it is missing, the document fails — is rendered in the
export's own process as before, so the result never depends on the pool.

Framing, both ways: 4-byte big-endian length, then the bytes; the answer is preceded by
one status byte (0: a PDF follows, 1: an error message, 2: a PDF follows and the child
stops — it grew past ``CHILD_MAX_RSS_MIB``, as after a register of 1,000 rows, and a
fresh one takes its place).
"""

import gc
import logging
import os
import struct
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PDF_VARIANT = "pdf/a-3b"
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
WORKER_COMMAND = [sys.executable, "-m", "hearings.exports.pdf_workers"]
# Children that stopped before this export gives up on them and renders all itself.
MAX_LOST = 4
# A child that grew past this (resident MiB) after a document stops and is replaced.
CHILD_MAX_RSS_MIB = 100
STOPPING = 2

logger = logging.getLogger(__name__)


class WorkerFailed(Exception):
    """A child could not render a document (it died, or the document failed there)."""


def render(html, shared=None):
    """``html`` (fetching nothing but ``data:`` URLs) as PDF/A bytes."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT, **(shared or {})
    )


def poolable(html):
    """Whether ``html`` needs nothing from outside (no image, no stylesheet link)."""
    return "<img" not in html and "<link" not in html and "url(" not in html


def _read_exactly(stream, size):
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError("the PDF worker closed its output")
        data += chunk
    return bytes(data)


class PdfWorkers:
    """``count`` child processes rendering PDFs; ``submit(html)`` returns a future."""

    def __init__(self, count):
        self._threads = ThreadPoolExecutor(count, thread_name_prefix="agora-pdf")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._processes = []
        self.lost = 0  # children that stopped while rendering

    def submit(self, html):
        return self._threads.submit(self._render, html)

    def _process(self):
        process = getattr(self._local, "process", None)
        if process is None or process.poll() is not None:
            process = subprocess.Popen(  # noqa: S603 - this interpreter, our own module
                list(WORKER_COMMAND),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=PROJECT_ROOT,
                env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
            )
            self._local.process = process
            with self._lock:
                self._processes.append(process)
        return process

    def _render(self, html):
        data = html.encode("utf-8")
        if self.lost >= MAX_LOST:
            raise WorkerFailed(f"{self.lost} PDF workers stopped; not starting another")
        process = self._process()
        try:
            process.stdin.write(struct.pack(">I", len(data)) + data)
            process.stdin.flush()
            status, length = struct.unpack(">BI", _read_exactly(process.stdout, 5))
            payload = _read_exactly(process.stdout, length)
        except (OSError, EOFError, ValueError, struct.error) as error:
            process.kill()
            self._local.process = None
            with self._lock:
                self.lost += 1
            raise WorkerFailed(f"the PDF worker stopped: {error}") from error
        if status == STOPPING:  # it stops after this answer: the next document, a new one
            self._local.process = None
            process.stdin.close()
            process.wait()
            process.stdout.close()
        elif status:
            raise WorkerFailed(payload.decode("utf-8", "replace"))
        return payload

    def close(self):
        self._threads.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            processes, self._processes = self._processes, []
        for process in processes:
            try:
                process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
            process.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def _built_by(future, build_here, key):
    def build():
        try:
            return future.result()
        except WorkerFailed as error:
            logger.warning("PDF worker could not render %s, rendering it here: %s", key, error)
            return build_here()

    return build


def rendered_ahead(items, workers, *, ahead, skip=frozenset()):
    """``items`` in their order; the PDFs among the next ``ahead`` rendering in
    ``workers`` meanwhile — those that need nothing from outside (``poolable``) and are
    not filed already (their ``(source_key, checksum)`` is not in ``skip``)."""
    window = deque()
    for item in items:
        html = getattr(item, "html", None)
        if workers is not None and html is not None and poolable(html):
            if (item.source_key, item.checksum) not in skip:
                item.build = _built_by(workers.submit(html), item.build, item.source_key)
        window.append(item)
        if len(window) > ahead:
            yield window.popleft()
    yield from window


def main():
    """The child: read documents from stdin, answer PDFs on stdout, until stdin closes."""
    from weasyprint.text.fonts import FontConfiguration

    # The protocol has stdout to itself: anything printed goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    source = sys.stdin.buffer
    shared = {"font_config": FontConfiguration(), "cache": {}}
    # What is loaded now (WeasyPrint, fonts) is never garbage: no collection scans it.
    gc.collect()
    gc.freeze()
    while True:
        head = source.read(4)
        if len(head) < 4:
            return
        html = _read_exactly(source, struct.unpack(">I", head)[0]).decode("utf-8")
        # No cyclic collection while WeasyPrint lays a document out (#16): its boxes all
        # stay alive until the PDF is written, so each collection only walks them again,
        # more often the bigger they get — 38 % of the register of 10,000 rows (91 s
        # instead of 56 s), 16 % at 1,000. A document leaves no cycles to speak of (the
        # peak memory is the same without); what it does leave is collected once after.
        gc.disable()
        try:
            payload, status = render(html, shared), 0
        except Exception as error:  # noqa: BLE001 - reported to the export, which retries here
            payload, status = f"{type(error).__name__}: {error}".encode(), 1
        finally:
            gc.enable()
        stopping = status == 0 and _resident_mib() > CHILD_MAX_RSS_MIB
        out.write(struct.pack(">BI", STOPPING if stopping else status, len(payload)))
        out.write(payload)
        out.flush()
        if stopping:
            return
        del payload
        gc.collect(0)  # while the export files it: what the document left behind


def _resident_mib():
    """This process's resident memory now (MiB; 0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0


if __name__ == "__main__":
    main()
