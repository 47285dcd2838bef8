"""django-q2 entry points: thin, they call the services. Scheduled by migration 0006."""

from hearings import jobs


def run_due_jobs():
    return jobs.run_due_jobs()


def send_owner_digests():
    return jobs.send_owner_digests()
