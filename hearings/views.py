"""Plain Django views of the hearings app."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hearings import jobs

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the job queue answer, 503 otherwise.

    Reachable anonymously, so it reveals only states and counts. A worker that has
    stopped running the schedule is reported as "late"; it makes the answer 503 only
    when ``AGORA_HEALTHZ_REQUIRE_WORKER`` is on (development often runs without one).
    """
    checks = {}
    queue = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    try:
        queue = jobs.queue_health()
        checks["queue"] = "ok" if queue["reachable"] else "error"
        checks["worker"] = queue["worker"]
    except Exception:
        logger.exception("Health check: job queue unreachable")
        checks["queue"] = "error"
    required = ["database", "queue"]
    if settings.AGORA_HEALTHZ_REQUIRE_WORKER:
        required.append("worker")
    healthy = all(checks.get(name) == "ok" for name in required)
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks, "queue": queue},
        status=200 if healthy else 503,
    )
