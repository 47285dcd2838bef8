"""An index on Wagtail's ``wagtailcore_page.url_path`` (#16).

The hearing page is found in one query by its URL path
(``hearings.models.pages.find_live_hearing``). Wagtail does not index ``url_path``, so PostgreSQL read every
page to find one: 0.43 ms among 2,000 hearings, growing with them; with the index,
0.01-0.04 ms at any number. On PostgreSQL a hash index: it serves the equality the
lookup asks and, unlike a B-tree, takes a path of any length (a B-tree refuses rows over
about 2,700 bytes, and a page nested under long slugs could reach that). SQLite has no
hash index and no such limit: an ordinary one.
"""

from django.db import migrations

NAME = "agora_page_url_path"


def create(apps, schema_editor):
    method = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page {method}(url_path)"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0023_listing_order_index"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
