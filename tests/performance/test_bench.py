"""``make bench`` needs PostgreSQL and says so."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize("script", ["run.py", "rush.py", "in_process.py", "answer_cost.py"])
def test_the_bench_asks_for_a_postgresql_database_url(script):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, f"bench/{script}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "PostgreSQL" in result.stderr


# What wrk --latency prints; the "+/- Stdev" column of the first line ends in "50%".
WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    98.54ms   12.31ms 300.12ms   75.50%
    Req/Sec    81.23     10.12   100.00     70.00%
  Latency Distribution
     50%   99.13ms
     75%  105.00ms
     90%  120.00ms
     99%    1.20s
  812 requests in 5.00s, 25.00MB read
Requests/sec:    162.49
Transfer/sec:      5.00MB
"""


def test_the_bench_reads_the_latency_distribution_of_wrk(monkeypatch):
    sys.path.insert(0, str(ROOT))
    try:
        from bench import run
    finally:
        sys.path.remove(str(ROOT))

    monkeypatch.setattr(
        run.subprocess,
        "run",
        lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, stdout=WRK_OUTPUT),
    )
    measured = run.wrk("http://127.0.0.1:8000/", {}, 5)
    assert measured == {"rps": 162.49, "p50_ms": 99.13, "p99_ms": 1200.0, "errors": 0}


def test_the_rush_speaks_http_on_the_socket(tmp_path):
    """The rush's own client (not http.client: its parsing cost the shared cores about
    1 ms per request) sends the body and the cookies, and reads the status, the body and
    the cookies set, from a server that closes the connection as gunicorn's sync
    workers do."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    sys.path.insert(0, str(ROOT))
    try:
        from bench import rush
    finally:
        sys.path.remove(str(ROOT))
    received = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received["cookie"] = self.headers["Cookie"]
            received["body"] = self.rfile.read(int(self.headers["Content-Length"]))
            page = b'<input type="hidden" name="token" value="abc"> \xc3\xa6'
            self.send_response(302)
            self.send_header("Set-Cookie", "messages=thanks; Path=/; HttpOnly")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    cookies = {"sessionid": "s1"}
    try:
        status, content = rush.request(
            server.server_address[1], "POST", "/h/", cookies, body="q-opinion=%C3%A6"
        )
    finally:
        thread.join(10)
        server.server_close()
    assert status == 302
    assert received == {"cookie": "sessionid=s1", "body": b"q-opinion=%C3%A6"}
    assert cookies == {"sessionid": "s1", "messages": "thanks"}
    assert rush.form_fields(content.decode()) == {"token": "abc"}


def test_the_rush_ceiling_serves_the_answer_cut_short():
    """``AGORA_RUSH_WAY=stack``: gunicorn's application (bench/stack_wsgi.py) answers the
    answer's POST before the view's work for as long as the worker lives, and the rush
    asks for a way it knows."""
    check = (
        "import gc, bench.stack_wsgi; gc.collect(); from hearings import views; "
        "print(views._hand_in_at_once.__name__)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agora_site.settings.test"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "<lambda>"

    env = {**env, "DATABASE_URL": "postgres://127.0.0.1/none", "AGORA_RUSH_WAY": "fast"}
    result = subprocess.run(
        [sys.executable, "bench/rush.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "AGORA_RUSH_WAY is one of answer, stack, view" in result.stderr


@pytest.mark.parametrize(
    ("hand_in", "expected"),
    [(True, {"GET": 4, "POST": 5}), (False, {"GET": 4})],
)
def test_the_rush_answers_or_only_views_the_form(hand_in, expected):
    """Each session views the form; answering, it then posts the answer (one of them
    twice at the same moment, as a double click); the floor (``AGORA_RUSH_WAY=view``)
    posts nothing."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    sys.path.insert(0, str(ROOT))
    try:
        from bench import rush
    finally:
        sys.path.remove(str(ROOT))
    seen, lock = {}, threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def answer(self, status, page=b""):
            with lock:
                seen[self.command] = seen.get(self.command, 0) + 1
            self.send_response(status)
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(page)

        def do_GET(self):
            self.answer(200, b'<input type="hidden" name="token" value="abc">')

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.answer(302)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        sessions = [(n, f"s{n}") for n in range(4)]
        timings, statuses, errors, __ = rush.rush(
            server.server_address[1], "/h/", sessions, 2, 1, hand_in=hand_in
        )
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
    assert errors == []
    assert seen == expected
    assert len(timings) == expected.get("POST", 0)
    assert statuses == ({302: 5} if hand_in else {})
