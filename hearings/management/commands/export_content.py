from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from hearings import bundles


def find_site(name):
    """A site by hostname, site name or id."""
    if name is None:
        return None
    site = (
        Site.objects.filter(hostname=name).first()
        or Site.objects.filter(site_name=name).first()
        or (Site.objects.filter(pk=name).first() if name.isdigit() else None)
    )
    if site is None:
        raise CommandError(f"No site named {name!r} (give a hostname, site name or id).")
    return site


class Command(BaseCommand):
    help = (
        "Export the shared library (text blocks, consent texts, response-form templates, "
        "hearing types, and the images and documents they use) as a content bundle. "
        "With --site, that municipality's items and the shared ones. See docs/content-bundles.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", help="hostname, site name or id")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, site=None, output=None, **options):
        text = bundles.dumps(bundles.export_bundle(find_site(site)))
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text)
            except OSError as error:
                raise CommandError(str(error)) from error
            self.stderr.write(f"Content bundle written to {output}")
        else:
            self.stdout.write(text, ending="")
