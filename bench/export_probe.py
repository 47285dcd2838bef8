"""One export in a fresh process, so its peak memory is its own: prints one JSON line
with the seconds, queries and peak RSS. ``export_probe.py csv|xlsx|pdf|esdh <hearing>``."""

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from hearings.exports import pdf, tabular  # noqa: E402
from hearings.models import HearingPage  # noqa: E402


def main(kind, hearing_id):
    hearing = HearingPage.objects.get(pk=hearing_id)
    rows = tabular.export_responses(hearing).count()
    queries = []
    start = time.perf_counter()
    with connection.execute_wrapper(lambda ex, sql, *a: queries.append(sql) or ex(sql, *a)):
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
    print(
        json.dumps(
            {
                "export": kind,
                "rows": rows,
                "seconds": seconds,
                "queries": len(queries),
                "peak_rss_mib": peak,
                "bytes": size,
            }
        )
    )


def esdh(hearing):
    """The ESDH export of the closed hearing to a throw-away folder (filesystem adapter)."""
    from hearings.esdh.filesystem import FilesystemAdapter
    from hearings.exports import service
    from hearings.models import FiledDocument, HearingExport

    FiledDocument.objects.filter(hearing=hearing).delete()
    HearingExport.objects.filter(hearing=hearing).delete()
    with tempfile.TemporaryDirectory() as folder:
        result = service.export_hearing(hearing, adapter=FilesystemAdapter(root=folder))
        return len(result.filed)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
