"""Plain Django views of the hearings app."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the job queue answer, 503 otherwise.

    Reveals no detail beyond "ok"/"error" per part: it is reachable anonymously.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    try:
        from django_q.models import OrmQ

        OrmQ.objects.exists()
        checks["queue"] = "ok"
    except Exception:
        logger.exception("Health check: job queue unreachable")
        checks["queue"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
