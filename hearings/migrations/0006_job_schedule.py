"""The two schedules the job worker runs: due jobs every minute, the owners' digest nightly.

Idempotent: re-running (or a later migration re-creating) updates the rows by name and
never adds a second one; an operator's changed ``next_run`` is kept.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.utils import timezone

RUN_DUE_JOBS = "agora: run due jobs"
OWNER_DIGEST = "agora: owners' daily digest"


def next_morning(hour=6):
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.now().astimezone(zone).date()
    return datetime.combine(today + timedelta(days=1), time(hour), tzinfo=zone)


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=RUN_DUE_JOBS,
        defaults={
            "func": "hearings.tasks.run_due_jobs",
            "schedule_type": "I",  # Schedule.MINUTES
            "minutes": 1,
            "repeats": -1,
        },
        create_defaults={
            "func": "hearings.tasks.run_due_jobs",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )
    Schedule.objects.update_or_create(
        name=OWNER_DIGEST,
        defaults={
            "func": "hearings.tasks.send_owner_digests",
            "schedule_type": "D",  # Schedule.DAILY
            "repeats": -1,
        },
        create_defaults={
            "func": "hearings.tasks.send_owner_digests",
            "schedule_type": "D",
            "repeats": -1,
            "next_run": next_morning(),
        },
    )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=[RUN_DUE_JOBS, OWNER_DIGEST]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0005_jobs_outbox_esdh"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
