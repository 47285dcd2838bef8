"""``python manage.py hearing_memo <hearing page id> --format docx|pdf -o FILE``: the
hearing memo (høringsnotat) as DOCX or PDF/A (see ``hearings.memo``)."""

from django.core.management.base import BaseCommand, CommandError

from hearings.memo.docx import memo_docx
from hearings.memo.pdf import memo_pdf
from hearings.models import HearingPage

FORMATS = {"docx": memo_docx, "pdf": memo_pdf}


class Command(BaseCommand):
    help = "Write a hearing's memo (høringsnotat) as DOCX or PDF/A."

    def add_arguments(self, parser):
        parser.add_argument("hearing_id", type=int)
        parser.add_argument("--format", choices=sorted(FORMATS), default="docx")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, hearing_id, format, output, **options):
        hearing = HearingPage.objects.filter(pk=hearing_id).first()
        if hearing is None:
            raise CommandError(f"No hearing with id {hearing_id}.")
        content = FORMATS[format](hearing)
        with open(output, "wb") as target:
            target.write(content)
        self.stdout.write(f"{output}: {format}, {len(content)} bytes")
