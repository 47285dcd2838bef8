# ruff: noqa: S603 -- a benchmark: runs this interpreter on manage.py
"""Flat in time? Each surface of ``make bench`` timed in this process (Django's test
client, no server, no network) against the bench database at one scale; run it against
two databases seeded at two scales and compare (docs/benchmarks.md):

    DATABASE_URL=postgres://.../agora_bench_small .venv/bin/python bench/in_process.py 0.05
    DATABASE_URL=postgres://.../agora_bench .venv/bin/python bench/in_process.py 1

Seeds the database first if it is empty (``bench.seed``). Prints, per surface, the median
of 30 views after 3, the queries of one view and their database time.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PY, ROOT, fail, session_for  # noqa: E402

VIEWS, WARM = 30, 3


def main():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        fail("set DATABASE_URL to a PostgreSQL database it may fill (see docs/benchmarks.md)")
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.seed import seed

    data = seed(scale)

    employee, moderator = session_for(data["employee"]), session_for(data["moderator"])
    surfaces = [
        ("hearing page, employee", data["big"].url_path.removeprefix("/home"), employee),
        ("hearing index", data["index"].url_path.removeprefix("/home"), employee),
        ("home (Mine høringer)", "/", employee),
        ("API v2 list", "/api/v2/pages/?type=hearings.HearingPage", employee),
        ("admin responses listing", "/admin/responses/", moderator),
    ]
    print(f"scale {scale}: {data['sizes']}")
    for label, path, session in surfaces:
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.cookies["sessionid"] = session
        for _ in range(WARM):
            status = client.get(path).status_code
            if status != 200:
                fail(f"{label}: {path} answered {status}")
        queries = []

        def timed(execute, sql, *args, seen=queries):
            started = time.perf_counter()
            try:
                return execute(sql, *args)
            finally:
                seen.append(time.perf_counter() - started)

        with connection.execute_wrapper(timed):
            client.get(path)
        times = []
        for _ in range(VIEWS):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{label}: {statistics.median(times):.1f} ms a view, {len(queries)} queries, "
            f"{sum(queries) * 1000:.1f} ms of them in the database",
            flush=True,
        )


if __name__ == "__main__":
    main()
