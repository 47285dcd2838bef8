# ruff: noqa: S603 -- a benchmark: runs this interpreter on manage.py
"""What an answer costs against a view of the hearing page, in CPU (issue #16, item 4).

The rush (bench/rush.py) reaches half the hearing page's rate in answers only if an
answer (the session's view of the form, then the POST) costs no more than two views of
the page. This splits the cost in one process (Django's test client, no server, no
network) against the bench database. ``AGORA_ANSWER_COST_PEOPLE`` invited employees
(default 300: half for the first three ways below, half for the fourth) each view the
form and POST the answer; the CPU of this process and of its PostgreSQL backend (its
run time in /proc: PostgreSQL on this machine) is read around each request. The four
ways:

- ``stack``: the POST answered with a redirect where the view would start its work
  (middleware, session, user, CSRF, Wagtail's routing, the audience check);
- ``stack + form``: the same after the answer form is built and validated;
- ``answer``: the POST as it is, storing the answer (the rush's POST: on PostgreSQL, in
  production, one statement, ``hearings.one_statement``);
- ``answer, the careful way``: the same answer stored the way every other is
  (``responding.submit`` in a transaction: the hearing's lock, the number, three
  ``INSERT``s), as all answers were before the one statement.

The first three are the POST's parts; the fourth is the way it replaced. Prints one
table (medians of the views and the POSTs, mean CPU per request) and the POST's CPU as a
share of the view's, and adds it as ``answer_cost`` to ``bench/results.json``. Run by
``make bench`` after the rush.

    DATABASE_URL=postgres://.../agora_bench .venv/bin/python bench/answer_cost.py
"""

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PY, ROOT, fail  # noqa: E402

WARM = 20


def backend_cpu(pid):
    """Seconds the PostgreSQL backend ``pid`` has run on a CPU (/proc/PID/schedstat, in
    nanoseconds), or None: PostgreSQL is not on this machine."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def way(name):
    """The POST's view cut short (``stack``, ``stack + form``) or its rows left out."""
    from django.shortcuts import redirect

    from hearings import one_statement, views

    saved = views._hand_in_at_once, one_statement.possible
    if name == "stack":
        views._hand_in_at_once = lambda request, page: redirect(request.path)
    elif name == "stack + form":

        def validated(request, page):
            views._form_for(request, page, None, data=request.POST).is_valid()
            return redirect(request.path)

        views._hand_in_at_once = validated
    elif name == "answer, the careful way":
        one_statement.possible = lambda *args, **kwargs: False
    try:
        yield
    finally:
        views._hand_in_at_once, one_statement.possible = saved


def measure(client, path, sessions, backend_pid):
    """View the form and POST the answer as each session: medians and CPU per request."""
    from bench.rush import DETAILS, form_fields

    walls = {"GET": [], "POST": []}
    cpu = {"GET": [0.0, 0.0], "POST": [0.0, 0.0]}

    def timed(method, number, send, status):
        started, own = time.perf_counter(), time.process_time()
        database = backend_cpu(backend_pid)
        response = send()
        if response.status_code != status:
            fail(f"{method} {path} answered {response.status_code}")
        if number >= WARM:
            walls[method].append(time.perf_counter() - started)
            cpu[method][0] += time.process_time() - own
            if database is not None:
                cpu[method][1] += backend_cpu(backend_pid) - database
        return response

    for number, session in enumerate(sessions):
        client.cookies.clear()
        client.cookies["sessionid"] = session
        page = timed("GET", number, lambda: client.get(path), 200)
        body = urlencode(
            {
                **form_fields(page.content.decode()),
                "q-opinion": f"Svar {number}: forslaget er godt.",
                "q-details": DETAILS,
                "on_behalf_of": "myself",
            }
        )
        timed(
            "POST",
            number,
            lambda body=body: client.post(
                path,
                body,
                content_type="application/x-www-form-urlencoded",
                HTTP_ORIGIN="https://127.0.0.1",
                HTTP_REFERER=f"https://127.0.0.1{path}",
            ),
            302,
        )
    counted = max(1, len(sessions) - WARM)
    return {
        method: {
            "median_ms": 1000 * statistics.median(walls[method]),
            "cpu_ms": 1000 * cpu[method][0] / counted,
            "database_cpu_ms": 1000 * cpu[method][1] / counted,
        }
        for method in walls
    }


def main():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        fail("set DATABASE_URL to a PostgreSQL database it may fill (see docs/benchmarks.md)")
    people = int(os.environ.get("AGORA_ANSWER_COST_PEOPLE", "300"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_CONN_MAX_AGE": "3600",  # one connection: its statements stay prepared
    }
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.rush import prepare

    hearing, sessions = prepare(people + WARM)
    sessions = [session for __, session in sessions]
    path = hearing.url_path.removeprefix("/home")
    client = Client(
        HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", enforce_csrf_checks=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]
    rows = []
    # The ways that store nothing first, then each half of the people answers one way.
    half = len(sessions) // 2
    plan = [
        ("stack", sessions[:half]),
        ("stack + form", sessions[:half]),
        ("answer", sessions[:half]),
        ("answer, the careful way", sessions[half:]),
    ]
    for name, group in plan:
        with way(name):
            rows.append((name, measure(client, path, group, backend_pid)))
    results_path = ROOT / "bench" / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results["answer_cost"] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "people_per_way": len(plan[0][1]) - WARM,
        **dict(rows),
    }
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    print(
        "| POST | view of the form: median ms, CPU ms (app + PostgreSQL) "
        "| POST: median ms, CPU ms (app + PostgreSQL) | POST's CPU against the view's |"
    )
    print("|---|---|---|---|")
    for name, figures in rows:
        get, post = figures["GET"], figures["POST"]
        view_cpu = get["cpu_ms"] + get["database_cpu_ms"]
        post_cpu = post["cpu_ms"] + post["database_cpu_ms"]
        print(
            f"| {name} | {get['median_ms']:.1f}, {get['cpu_ms']:.2f} + "
            f"{get['database_cpu_ms']:.2f} | {post['median_ms']:.1f}, {post['cpu_ms']:.2f} + "
            f"{post['database_cpu_ms']:.2f} | {100 * post_cpu / view_cpu:.0f} % |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
