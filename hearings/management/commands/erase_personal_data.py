from django.core.management.base import BaseCommand, CommandError

from hearings import gdpr
from hearings.management.commands.export_personal_data import find_user
from hearings.models import RetentionAction


class Command(BaseCommand):
    help = (
        "Erase what Agora holds about a person: their answers are anonymised (or deleted "
        "with --delete-answers), drafts, revisions, files and e-mails deleted, and the "
        "account made anonymous and inactive. Documents already filed in the ESDH are not "
        "changed; the output says how many there are. The erasure is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--delete-answers",
            action="store_true",
            help="Delete handed-in answers instead of anonymising them.",
        )
        parser.add_argument("--by", help="Username of the person asking (for the audit log).")
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, username, delete_answers=False, by=None, no_input=False, **options):
        subject = find_user(username)
        requester = find_user(by) if by else None
        if not no_input:
            answer = input(f"Erase the data of {username} (user #{subject.pk})? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        action = RetentionAction.DELETE if delete_answers else RetentionAction.ANONYMISE
        erasure = gdpr.erase_person(subject, by=requester, action=action)
        self.stdout.write(f"User #{subject.pk} erased; the account is {erasure.account}.")
        self.stdout.write(gdpr.erasure_summary(erasure))
