from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hearings.kle import KLEImportError, import_kle_csv

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "kle_sample.csv"


class Command(BaseCommand):
    help = (
        "Import KLE numbers and titles from a semicolon-separated CSV file with the "
        "header 'number;title'. Without a file, imports the small sample shipped for "
        "the demo. See docs/kle.md for where to get the full list."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SAMPLE))

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                created, updated = import_kle_csv(handle)
        except (OSError, KLEImportError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"KLE: {created} created, {updated} updated from {path}")
