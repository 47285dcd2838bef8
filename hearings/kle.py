"""Import of the KLE classification (Kommunernes Landsforenings Emnesystematik)."""

import csv

from django.db import transaction

from hearings.models import KLEClassification


class KLEImportError(ValueError):
    pass


@transaction.atomic
def import_kle_csv(lines):
    """Create or update KLE entries from ``number;title`` CSV lines (with a header).

    Returns (created, updated). Refuses the whole file if any number is malformed,
    so a bad export never leaves half a classification behind.
    """
    reader = csv.DictReader(lines, delimiter=";")
    if not reader.fieldnames or {"number", "title"} - set(reader.fieldnames):
        raise KLEImportError("The file must have a header with the columns: number;title")
    created = updated = 0
    for line_number, row in enumerate(reader, start=2):
        number, title = (row["number"] or "").strip(), (row["title"] or "").strip()
        if not KLEClassification.is_valid_number(number) or not title:
            raise KLEImportError(f"Line {line_number}: not a KLE number and title: {row!r}")
        __, was_created = KLEClassification.objects.update_or_create(
            number=number, defaults={"title": title}
        )
        created += was_created
        updated += not was_created
    return created, updated
