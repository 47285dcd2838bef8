"""One export in a fresh process, so its peak memory is its own: prints one JSON line
with the seconds, queries and peak RSS. ``export_probe.py csv|xlsx|pdf|esdh <hearing>``."""

import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from hearings.exports import pdf, tabular  # noqa: E402
from hearings.models import HearingPage  # noqa: E402


def _resident_mib(pid):
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


class TotalMemory:
    """The peak of this process's resident memory plus its children's, sampled every
    50 ms (the ESDH export's PDF workers run beside it)."""

    def __init__(self):
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        me = os.getpid()
        while not self._stop.wait(0.05):
            total = _resident_mib(me) + sum(_resident_mib(c) for c in _children(me))
            self.peak = max(self.peak, total)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()


def main(kind, hearing_id):
    hearing = HearingPage.objects.get(pk=hearing_id)
    rows = tabular.export_responses(hearing).count()
    queries = []
    start = time.perf_counter()
    total = TotalMemory()
    with total, connection.execute_wrapper(lambda ex, sql, *a: queries.append(sql) or ex(sql, *a)):
        if kind == "csv":
            size = sum(len(chunk) for chunk in tabular.csv_chunks(hearing))
        elif kind == "xlsx":
            size = len(tabular.xlsx_file(hearing).read())
        elif kind == "pdf":
            build = getattr(pdf, "responses_pdf_file", None)  # absent before #16
            size = len(build(hearing).read()) if build else len(pdf.responses_pdf(hearing))
        else:
            size = esdh(hearing)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The largest child (the ESDH export's PDF workers), and how many there were.
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "export": kind,
                "rows": rows,
                "seconds": seconds,
                "queries": len(queries),
                "peak_rss_mib": peak,
                "child_peak_rss_mib": child_peak,
                "children": WORKERS_STARTED[0],
                "total_peak_rss_mib": max(total.peak, peak),
                "bytes": size,
            }
        )
    )


WORKERS_STARTED = [0]


def esdh(hearing):
    """The ESDH export of the closed hearing to a throw-away folder (filesystem adapter)."""
    from hearings.esdh.filesystem import FilesystemAdapter
    from hearings.exports import service
    from hearings.exports.pdf_workers import PdfWorkers
    from hearings.models import FiledDocument, HearingExport

    FiledDocument.objects.filter(hearing=hearing).delete()
    HearingExport.objects.filter(hearing=hearing).delete()
    original = PdfWorkers._process

    def counted(self):
        known = getattr(self._local, "process", None)
        process = original(self)
        WORKERS_STARTED[0] += process is not known
        return process

    PdfWorkers._process = counted
    with tempfile.TemporaryDirectory() as folder:
        result = service.export_hearing(hearing, adapter=FilesystemAdapter(root=folder))
        return len(result.filed)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
