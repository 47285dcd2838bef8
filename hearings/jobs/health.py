"""The job queue's health, as ``/healthz`` reports it."""

from django.db.models import Min
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule

# A minute schedule more than this far behind means no cluster is running it.
WORKER_LATE_AFTER = 300


def queue_health(now=None):
    """The job queue as /healthz reports it.

    ``reachable``: the broker answers. ``queued``: tasks waiting for a worker and the
    age of the oldest (ORM broker only: Redis keeps no enqueue time). ``worker``: how
    far the minute schedule is behind — the cluster's heartbeat, because only a running
    ``qcluster`` moves it: "ok", "late" (more than five minutes) or "unknown".
    """
    now = now or timezone.now()
    broker = get_broker()
    health = {"reachable": bool(broker.ping()), "queued": broker.queue_size()}
    if Conf.ORM:
        oldest = OrmQ.objects.filter(key=broker.list_key, lock__lte=now).aggregate(
            oldest=Min("lock")
        )["oldest"]
        health["oldest_queued_seconds"] = int((now - oldest).total_seconds()) if oldest else 0
    schedule = Schedule.objects.filter(func="hearings.tasks.run_due_jobs").first()
    if schedule is None or schedule.next_run is None:
        health["worker"] = "unknown"
    else:
        lag = max(0, int((now - schedule.next_run).total_seconds()))
        health["schedule_lag_seconds"] = lag
        health["worker"] = "late" if lag > WORKER_LATE_AFTER else "ok"
    return health
