"""django-q2 entry points: thin, they call the services. Scheduled by migration 0004."""

from hearings import jobs


def run_due_jobs():
    return jobs.run_due_jobs()


def send_owner_digests():
    return jobs.send_owner_digests()


def export_hearing(hearing_id):
    """Queued by the admin's retry action."""
    from hearings.exports.service import export_hearing as export
    from hearings.models import HearingPage

    return str(export(HearingPage.objects.get(pk=hearing_id), manual=True))
