# ruff: noqa: S310, S603 -- a benchmark: runs the tools it names on loopback URLs it built
"""``make bench``: Agora's surfaces beside a bare Django view of the same size.

Needs ``DATABASE_URL`` pointing at PostgreSQL (it migrates and fills that database).
``AGORA_BENCH_SCALE`` scales the data (1 = 2,000 hearings, 20,000 responses on one,
1,000 responses with attachments on another; 0.05 for a quick run),
``AGORA_BENCH_SECONDS`` the load per surface (default 5). Starts gunicorn (2 sync
workers, production settings, bench/settings.py) on a free loopback port, loads each
surface with wrk (or a Python load generator without it), stops what it started,
prints one table and writes bench/results.json.
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable


def fail(message):
    print(f"make bench: {message}", file=sys.stderr)
    sys.exit(2)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return 8001 if port == 8000 else port


def worker_rss(master):
    """Peak resident memory (MiB) of each gunicorn worker of ``master``."""
    peaks = []
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
    return peaks


def worker_cpu_seconds(master):
    """CPU seconds (user and system) used so far by the gunicorn workers of ``master``:
    the work per request, steadier than a rate on a machine shared with other work."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def wrk(url, headers, seconds):
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout

    def ms(text):
        found = re.match(r"([\d.]+)(us|ms|s|m)", text)
        if found is None:
            return float("nan")
        number, unit = found.groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50, p99 = (
        # The latency distribution's lines ("    50%   99.13ms"), not a "+/- Stdev"
        # column that happens to end in 50% ("75.50%").
        ms(found.group(1)) if (found := re.search(rf"^\s*{p}%\s+(\S+)", out, re.M)) else 0.0
        for p in (50, 99)
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rate,
        "p50_ms": p50,
        "p99_ms": p99,
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(url, headers, seconds, server):
    """``url`` loaded for ``seconds`` after a second to warm the workers (their first
    views import and compile), with the CPU the workers of ``server`` spent per request."""
    load = wrk if shutil.which("wrk") else python_load
    load(url, headers, 1)
    cpu_before = worker_cpu_seconds(server)
    measured = load(url, headers, seconds)
    cpu = worker_cpu_seconds(server) - cpu_before
    measured["worker_cpu_ms_per_request"] = (
        1000 * cpu / (measured["rps"] * seconds) if measured["rps"] else None
    )
    return measured


def python_load(url, headers, seconds, connections=16):
    """Closed-loop load from threads when wrk is not installed (slower than wrk)."""
    timings, errors, stop = [], [0], time.monotonic() + seconds

    def loop():
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
                    r.read()
            except Exception:
                errors[0] += 1
            timings.append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    return {
        "rps": len(timings) / seconds,
        "p50_ms": statistics.median(timings),
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "errors": errors[0],
    }


def session_for(user):
    """A session of ``user`` signed in as the sign-in view signs them in (Django's
    ``login``, with its signal: what Agora keeps in the session at sign-in is there);
    its key, for the cookie."""
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest

    request = HttpRequest()
    request.session = SessionStore()
    login(request, user, "django.contrib.auth.backends.ModelBackend")
    request.session.save()
    return request.session.session_key


def main():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        fail(
            "set DATABASE_URL to a PostgreSQL database it may fill, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/agora_bench make bench"
        )
    # Stopped from outside: still stop the gunicorn it started (the finally below).
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(1))
    scale = float(os.environ.get("AGORA_BENCH_SCALE", "1"))
    seconds = int(os.environ.get("AGORA_BENCH_SECONDS", "5"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)

    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.seed import seed

    started = time.perf_counter()
    data = seed(scale)
    print(f"data: {data['sizes']} ready in {time.perf_counter() - started:.0f} s")

    employee, moderator = session_for(data["employee"]), session_for(data["moderator"])
    big, closed = data["big"], data["closed"]
    surfaces = [
        ("hearing page, employee (form shown)", big.url_path.removeprefix("/home"), employee),
        ("hearing index", data["index"].url_path.removeprefix("/home"), employee),
        ("home (Mine høringer)", "/", employee),
        ("API v2 list", "/api/v2/pages/?type=hearings.HearingPage", employee),
        ("admin responses listing", "/admin/responses/", moderator),
    ]
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "agora_site.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz").read()
                break
            except Exception:
                time.sleep(0.2)
        load = wrk if shutil.which("wrk") else python_load
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        for label, path, session in surfaces:
            headers = {
                "Cookie": f"sessionid={session}",
                "X-Forwarded-Proto": "https",
                "Host": "127.0.0.1",
            }
            request = urllib.request.Request(base + path, headers=headers)
            body = urllib.request.urlopen(request).read()
            client.cookies["sessionid"] = session
            client.get(path)
            queries = []
            with connection.execute_wrapper(
                lambda ex, sql, *a, seen=queries: seen.append(sql) or ex(sql, *a)
            ):
                client.get(path)
            agora = measure(base + path, headers, seconds, gunicorn.pid)
            bare = load(f"{base}/__bench__/bare/{len(body)}/", headers, seconds)
            rows.append(
                {
                    "surface": label,
                    "bytes": len(body),
                    "queries": len(queries),
                    "agora": agora,
                    "bare": bare,
                    "ratio_percent": 100 * agora["rps"] / bare["rps"] if bare["rps"] else 0,
                    "worker_peak_rss_mib": max(worker_rss(gunicorn.pid)),
                }
            )
            print(f"measured: {label}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    jobs = []
    for kind, hearing in (("csv", big), ("xlsx", big), ("pdf", closed), ("esdh", closed)):
        probe = subprocess.run(
            [PY, "bench/export_probe.py", kind, str(hearing.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        jobs.append(json.loads(probe.stdout.strip().splitlines()[-1]))
        print(f"measured: export {kind}")

    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, {platform_name()}",
        "scale": scale,
        "sizes": data["sizes"],
        "seconds_per_surface": seconds,
        "load_generator": "wrk -t2 -c16" if shutil.which("wrk") else "python threads, 16",
        "surfaces": rows,
        "exports": jobs,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def platform_name():
    import platform

    return f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}"


def print_table(results):
    print(
        f"\n{results['date']}, {results['machine']}, scale {results['scale']} {results['sizes']}"
    )
    print(
        f"{'surface':<38}{'req/s':>8}{'bare':>8}{'ratio':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'queries':>8}{'bytes':>9}{'RSS MiB':>9}{'CPU ms':>8}"
    )
    for row in results["surfaces"]:
        agora = row["agora"]
        print(
            f"{row['surface']:<38}{agora['rps']:>8.1f}{row['bare']['rps']:>8.0f}"
            f"{row['ratio_percent']:>7.1f}%{agora['p50_ms']:>8.1f}{agora['p99_ms']:>8.1f}"
            f"{row['queries']:>8}{row['bytes']:>9}{row['worker_peak_rss_mib']:>9.0f}"
            f"{agora.get('worker_cpu_ms_per_request') or 0:>8.1f}"
        )
    print(f"\n{'export':<38}{'rows':>8}{'seconds':>9}{'queries':>9}{'peak RSS MiB':>14}")
    for job in results["exports"]:
        print(
            f"{job['export']:<38}{job['rows']:>8}{job['seconds']:>9.1f}{job['queries']:>9}"
            f"{job['peak_rss_mib']:>14.0f}"
        )


if __name__ == "__main__":
    main()
