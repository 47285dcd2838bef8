"""Job configuration read from the environment."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def q_cluster_with(**env):
    code = "from agora_site.settings import base; print(sorted(base.Q_CLUSTER.items()))"
    result = subprocess.run(  # noqa: S603 - our own settings module
        [sys.executable, "-c", code],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(eval(result.stdout))  # noqa: S307 - the repr printed above


def test_the_orm_broker_is_the_default_with_retry_longer_than_timeout():
    q_cluster = q_cluster_with(AGORA_Q_REDIS_URL="")
    assert q_cluster["orm"] == "default" and "redis" not in q_cluster
    assert q_cluster["retry"] > q_cluster["timeout"]
    assert q_cluster["max_attempts"] == 5 and q_cluster["ack_failures"] is False


def test_redis_is_chosen_by_the_environment():
    q_cluster = q_cluster_with(AGORA_Q_REDIS_URL="redis://127.0.0.1:6379/3")
    assert q_cluster["redis"] == "redis://127.0.0.1:6379/3"
    assert "orm" not in q_cluster
