from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hearings import gdpr


def find_user(username):
    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise CommandError(f"No user named {username!r}.") from None


class Command(BaseCommand):
    help = (
        "Write everything Agora holds about a person to a ZIP (data.json, data.pdf and "
        "the files they sent), for the data protection officer. The export is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("-o", "--output", required=True, help="The ZIP file to write.")
        parser.add_argument("--by", help="Username of the person asking (for the audit log).")

    def handle(self, *args, username, output, by=None, **options):
        subject = find_user(username)
        requester = find_user(by) if by else None
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"No folder {target.parent} to write {target.name} in.")
        data = gdpr.export_zip(subject, by=requester)
        try:
            target.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {len(data)} bytes about user #{subject.pk} to {output}.")
