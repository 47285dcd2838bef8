"""Shared set-up for benchmarks: a throw-away test database and a timing helper.

Benchmarks print figures; they do not pass or fail on speed.
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora_site.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


@contextmanager
def test_database():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def measure(label, func, repeat=20):
    """Run ``func`` ``repeat`` times; print median and p95 milliseconds and queries per call."""
    func()  # warm caches and templates
    timings = []
    # Count with an execute wrapper: the test client's request_started signal
    # resets connection.queries, which would fool CaptureQueriesContext.
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        func()
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{label:<48} median {statistics.median(timings):7.1f} ms   "
        f"p95 {p95:7.1f} ms   {len(queries):3d} queries"
    )
    return statistics.median(timings), len(queries)
