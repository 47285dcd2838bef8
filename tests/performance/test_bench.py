"""``make bench`` needs PostgreSQL and says so."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_bench_asks_for_a_postgresql_database_url():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "bench/run.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "PostgreSQL" in result.stderr
