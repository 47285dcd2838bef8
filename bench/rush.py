# ruff: noqa: S310, S603 -- a benchmark: runs the tools it names on loopback URLs it built
"""The deadline rush (issue #16, item 4): signed-in employees answering one hearing
through the HTML form, with session and CSRF, all at once, against gunicorn.

Each employee has a session of their own; a worker thread GETs the hearing page (the
CSRF cookie, the form's ``csrfmiddlewaretoken`` and submission ``token``) and POSTs the
answer. For ``AGORA_RUSH_REPEATS`` of the employees the same POST (same session, same
token) is sent twice at the same moment, as a double click or a retry would. Afterwards
the database is asked: every employee must have exactly one response (``lost`` = none,
``duplicates`` = more than one).

    DATABASE_URL=postgres://... .venv/bin/python bench/rush.py
    # AGORA_RUSH_ANSWERS=1000 AGORA_RUSH_CONCURRENCY=50 AGORA_RUSH_REPEATS=50 (defaults)

``AGORA_RUSH_WAY=stack`` runs the same rush as a ceiling: gunicorn serves
``bench/stack_wsgi.py``, where the POST is answered with a redirect where the view would
start its work, and nothing is stored (``lost`` is then every answer, by design). Its
rate is the most any way of handing an answer in could reach with Agora's middleware,
session, routing and view of the form as they are; ``make bench`` runs it after the
rush and adds it as ``rush_stack_only``. ``AGORA_RUSH_WAY=view`` is the floor: each
employee only views the form (the rush's GET) and posts nothing, added as
``rush_view_only``. With the three, an answer's cost splits into the view of the form,
the POST's way through the stack, and the POST's own work.

The hearing page of ``bench/run.py`` (the seeded scale data, built if missing) is loaded
with ``wrk`` on the same gunicorn for ``AGORA_BENCH_SECONDS`` just before and just after
the rush; the table gives the rush's answers per second against its mean rate.

Prints one table and adds it as ``rush`` to ``bench/results.json``. Run by ``make bench``
after bench/run.py; stops the gunicorn it started.
"""

import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402
    PY,
    ROOT,
    fail,
    free_port,
    measure,
    session_for,
    worker_cpu_seconds,
)

# The answer each employee types: a line and a paragraph (the form's two questions).
DETAILS = (
    "Vi har drøftet forslaget i teamet. Vi støtter den nye ordning, men beder om, at "
    "overgangen sker efter sommerferien, så vagtplanerne kan nå at blive lagt om. "
    "Det vil også give tid til at informere borgerne i god tid."
)
HIDDEN = re.compile(r'<input[^>]*name="(csrfmiddlewaretoken|token)"[^>]*value="([^"]+)"')
HIDDEN_REVERSED = re.compile(r'<input[^>]*value="([^"]+)"[^>]*name="(csrfmiddlewaretoken|token)"')


def prepare(answers):
    """A fresh open hearing and ``answers`` employees invited to it, each with a session."""
    from django.contrib.auth import get_user_model
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.utils import timezone
    from wagtail.models import Site

    from bench.seed import FORM
    from hearings.models import Department, EmployeeProfile, HearingIndexPage, HearingPage

    site = Site.objects.get(is_default_site=True)
    index = HearingIndexPage.objects.child_of(site.root_page).first()
    kommune, _ = Department.objects.get_or_create(site=site, code="bench", name="Kommune")
    team, _ = Department.objects.get_or_create(
        site=site, code="bench-rush", name="Rush", parent=kommune
    )
    users = get_user_model().objects
    have = set(users.filter(username__startswith="bench-rush-").values_list("username", flat=True))
    new = [f"bench-rush-{n}" for n in range(answers) if f"bench-rush-{n}" not in have]
    made = users.bulk_create(
        [
            get_user_model()(username=name, first_name="Rush", email=f"{name}@bench.invalid")
            for name in new
        ]
    )
    # Each has an e-mail address, so every answer queues its receipt as a real one does.
    users.filter(username__startswith="bench-rush-", email="").update(
        email=Concat("username", Value("@bench.invalid"))
    )
    EmployeeProfile.objects.bulk_create(
        [EmployeeProfile(user=user, department=team) for user in made]
    )
    people = list(users.filter(username__startswith="bench-rush-").order_by("pk")[:answers])
    now = timezone.now()
    hearing = HearingPage(
        title=f"Travl frist {now:%H:%M:%S}",
        slug=f"bench-rush-{int(now.timestamp())}",
        summary="Høringen alle svarer på lige før fristen.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(hours=2),
        response_form=FORM,
        live=True,
    )
    index.add_child(instance=hearing)
    hearing.invited_departments.set([kommune])
    hearing.save()
    sessions = []
    for user in people:
        sessions.append((user.pk, session_for(user)))
    return hearing, sessions


def request(port, method, path, cookies, body=None, headers=None):
    """One request on a new connection, as gunicorn's sync workers serve them (they
    close it after the answer). Written and read on the socket directly: ``http.client``
    parsing its headers cost the load generator, on the server's two cores, about 1 ms
    per request, where ``wrk`` spends a tenth of that on the page it is compared with."""
    body = body.encode() if isinstance(body, str) else body or b""
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "X-Forwarded-Proto: https",
        "Connection: close",
        "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()),
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", port), timeout=120) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    head, _, content = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            key, _, rest = value.strip().partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return int(status_line.split(" ", 2)[1]), content


def form_fields(html):
    fields = {name: value for name, value in HIDDEN.findall(html)}
    fields.update({name: value for value, name in HIDDEN_REVERSED.findall(html)})
    return fields


def rush(port, path, sessions, concurrency, repeats, hand_in=True):
    """Answer as each session (``hand_in=False``: only view the form); returns POST
    timings (ms), statuses and the wall time."""
    from urllib.parse import urlencode

    timings, statuses, errors = [], {}, []
    lock = threading.Lock()
    queue = list(enumerate(sessions))
    queue.reverse()
    repeat_every = max(1, len(sessions) // repeats) if repeats else 0

    def post(cookies, body):
        started = time.perf_counter()
        status, _ = request(
            port,
            "POST",
            path,
            dict(cookies),
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": "https://127.0.0.1",
                "Referer": f"https://127.0.0.1{path}",
            },
        )
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            timings.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                number, (user_id, session) = queue.pop()
            try:
                cookies = {"sessionid": session}
                status, html = request(port, "GET", path, cookies)
                fields = form_fields(html.decode())
                if status != 200 or "token" not in fields:
                    with lock:
                        errors.append(f"GET {status} for user {user_id}: no form")
                    continue
                if not hand_in:
                    continue
                body = urlencode(
                    {
                        **fields,
                        "q-opinion": f"Svar {number}: forslaget er godt, men fristen er kort.",
                        "q-details": DETAILS,
                        "on_behalf_of": "myself",
                    }
                )
                if repeat_every and number % repeat_every == 0:
                    twin = threading.Thread(target=post, args=(cookies, body))
                    twin.start()
                    post(cookies, body)
                    twin.join()
                else:
                    post(cookies, body)
            except Exception as error:  # noqa: BLE001 - counted, the rush goes on
                with lock:
                    errors.append(repr(error))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, statuses, errors, time.perf_counter() - started


def own_cpu_seconds():
    """CPU seconds this process (the load generator, all its threads) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def database_cpu_seconds():
    """CPU seconds PostgreSQL's processes on this machine have used so far (/proc), or
    None when there are none to read (the database is elsewhere)."""
    ticks, total, found = os.sysconf("SC_CLK_TCK"), 0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        name, _, rest = stat.partition("(")[2].rpartition(")")
        if name.startswith("postgres"):
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
            found = True
    return total / ticks if found else None


def machine_idle():
    """(idle, total) CPU ticks of the whole machine so far (/proc/stat)."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[3] + fields[4], sum(fields)


def page_rate(port, server, path, session, seconds):
    """The hearing page's rate (and the workers' CPU per view) as ``bench/run.py``
    measures it, on the rush's own gunicorn: item 4 compares the rush with it."""
    headers = {"Cookie": f"sessionid={session}", "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    return measure(f"http://127.0.0.1:{port}{path}", headers, seconds, server)


# How the rush's POST is served: as Agora serves it, cut short (the ceiling), or not
# sent at all (the floor: the form only viewed).
WAYS = {
    "answer": ("agora_site.wsgi", "rush"),
    "stack": ("bench.stack_wsgi", "rush_stack_only"),
    "view": ("agora_site.wsgi", "rush_view_only"),
}


def main():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        fail("set DATABASE_URL to a PostgreSQL database it may fill (see docs/benchmarks.md)")
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(1))
    answers = int(os.environ.get("AGORA_RUSH_ANSWERS", "1000"))
    concurrency = int(os.environ.get("AGORA_RUSH_CONCURRENCY", "50"))
    repeats = int(os.environ.get("AGORA_RUSH_REPEATS", "50"))
    way = os.environ.get("AGORA_RUSH_WAY", "answer")
    if way not in WAYS:
        fail(f"AGORA_RUSH_WAY is one of {', '.join(WAYS)}")
    application, key = WAYS[way]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db.models import Count
    from django_q.models import OrmQ

    from bench.seed import seed
    from hearings.models import HearingResponse

    data = seed(float(os.environ.get("AGORA_BENCH_SCALE", "1")))
    page_path = data["big"].url_path.removeprefix("/home")
    page_session = session_for(data["employee"])
    seconds = int(os.environ.get("AGORA_BENCH_SECONDS", "5"))
    hearing, sessions = prepare(answers)
    tasks_before = OrmQ.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    path = hearing.url_path.removeprefix("/home")
    port = free_port()
    gunicorn = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), application, "-w", "2"]
        + ["-b", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read()
                break
            except Exception:
                time.sleep(0.2)
        # The hearing page just before and just after the rush, on the same workers: this
        # machine's rate drifts by a third within minutes, so item 4's ratio is taken
        # against what the page does at the time of the rush.
        page_before = page_rate(port, gunicorn.pid, page_path, page_session, seconds)
        cpu_before = worker_cpu_seconds(gunicorn.pid)
        client_before, idle_before = own_cpu_seconds(), machine_idle()
        database_before = database_cpu_seconds()
        timings, statuses, errors, wall = rush(
            port, path, sessions, concurrency, repeats, hand_in=way != "view"
        )
        cpu = worker_cpu_seconds(gunicorn.pid) - cpu_before
        database_after = database_cpu_seconds()
        client_cpu = own_cpu_seconds() - client_before
        idle = [after - before for before, after in zip(idle_before, machine_idle(), strict=True)]
        page_after = page_rate(port, gunicorn.pid, page_path, page_session, seconds)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    # No worker runs during the rush: the receipts it handed over are not sent, but
    # removed, so a worker started on this database later does not mail them.
    handed_over = OrmQ.objects.filter(pk__gt=tasks_before).delete()[0]
    per_person = dict(
        HearingResponse.objects.filter(hearing=hearing)
        .values_list("respondent_id")
        .annotate(n=Count("id"))
    )
    expected = {user_id for user_id, _ in sessions}
    lost = len(expected - set(per_person))
    duplicates = sum(n - 1 for n in per_person.values() if n > 1)
    timings.sort()
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "way": way,
        "answers": len(sessions),
        "concurrency": concurrency,
        "simultaneous_repeats": repeats,
        "posts": len(timings),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": len(errors),
        "stored": sum(per_person.values()),
        "lost": lost,
        "duplicates": duplicates,
        "post_p50_ms": statistics.median(timings) if timings else None,
        "post_p99_ms": timings[max(0, int(len(timings) * 0.99) - 1)] if timings else None,
        "answers_per_s": len(sessions) / wall,
        "worker_cpu_ms_per_answer": 1000 * cpu / len(sessions),
        "client_cpu_ms_per_answer": 1000 * client_cpu / len(sessions),
        "database_cpu_ms_per_answer": (
            1000 * (database_after - database_before) / len(sessions)
            if database_before is not None and database_after is not None
            else None
        ),
        "machine_idle_percent": 100 * idle[0] / idle[1] if idle[1] else None,
        "receipts_handed_to_the_worker": handed_over,
        "wall_s": wall,
        "page_before": page_before,
        "page_after": page_after,
    }
    page = (page_before["rps"] + page_after["rps"]) / 2
    result["page_rps"] = page
    # Each answer is two requests: the session's first view of the form, and the POST.
    result["answers_against_page_percent"] = 100 * result["answers_per_s"] / page if page else 0
    result["requests_against_page_percent"] = (
        100 * (len(sessions) + len(timings)) / wall / page if page else 0
    )
    results_path = ROOT / "bench" / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results[key] = result
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    for error in errors[:5]:
        print("error:", error)
    if way == "stack":
        print("The ceiling: each POST answered before the view's work, nothing stored.")
    elif way == "view":
        print("The floor: each employee only views the form; nothing posted, nothing stored.")
    database = result["database_cpu_ms_per_answer"]
    print(
        "| answers | concurrent | repeats | lost | duplicates | p50 ms | p99 ms | answers/s "
        "| worker CPU ms per answer | PostgreSQL CPU ms per answer "
        "| load generator CPU ms per answer | machine idle "
        "| hearing page req/s (before, after) | answers against page | requests against page |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {result['answers']} | {concurrency} | {repeats} | {lost} | {duplicates} "
        f"| {result['post_p50_ms'] or 0:.0f} | {result['post_p99_ms'] or 0:.0f} "
        f"| {result['answers_per_s']:.1f} | {result['worker_cpu_ms_per_answer']:.1f} "
        f"| {'-' if database is None else f'{database:.2f}'} "
        f"| {result['client_cpu_ms_per_answer']:.1f} | {result['machine_idle_percent']:.0f} % "
        f"| {page_before['rps']:.1f}, {page_after['rps']:.1f} "
        f"| {result['answers_against_page_percent']:.0f} % "
        f"| {result['requests_against_page_percent']:.0f} % |"
    )
    print(
        "hearing page, worker CPU ms per view (before, after): "
        f"{page_before['worker_cpu_ms_per_request'] or 0:.1f}, "
        f"{page_after['worker_cpu_ms_per_request'] or 0:.1f}"
    )
    print(
        "POST statuses:",
        result["statuses"],
        "errors:",
        len(errors),
        "receipts handed to the worker:",
        handed_over,
    )
    if way == "stack":  # stores nothing by design: every POST must have been answered
        return 1 if errors or set(statuses) != {302} else 0
    if way == "view":  # posts nothing by design: every view must have shown the form
        return 1 if errors or timings else 0
    return 1 if lost or duplicates or errors else 0


if __name__ == "__main__":
    sys.exit(main())
