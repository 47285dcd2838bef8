from django.core.management.base import BaseCommand

from hearings import jobs


class Command(BaseCommand):
    help = "Run everything that is due once (the same as the worker's minute job)."

    def handle(self, *args, **options):
        report = jobs.run_due_jobs()
        for line in report:
            self.stdout.write(line)
        if not report:
            self.stdout.write("Nothing was due.")
