"""django-q2 entry points: thin, they call the services. Scheduled by migrations 0006 and 0010."""

from hearings import jobs, retention


def run_due_jobs():
    return jobs.run_due_jobs()


def send_owner_digests():
    return jobs.send_owner_digests()


def apply_retention():
    return retention.nightly()
