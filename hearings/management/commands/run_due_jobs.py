from django.core.management.base import BaseCommand, CommandError

from hearings import jobs


class Command(BaseCommand):
    help = "Run everything that is due once (the same as the worker's minute job)."

    def handle(self, *args, **options):
        report = jobs.run_due_jobs()
        for line in report:
            self.stdout.write(line)
        if not report:
            self.stdout.write("Nothing was due.")
        if any(line.startswith("error:") for line in report):
            raise CommandError("Some jobs failed; they are tried again on the next run.")
