"""Let hearing editors and approvers manage consent texts and response-form templates.

Consent texts cannot be deleted by them: answers refer to the version they agreed to.
Only adds permissions, so an operator's later changes survive re-runs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Hearing editors", "Hearing approvers")
CODENAMES = [
    "add_consenttext",
    "change_consenttext",
    "view_consenttext",
    "add_responseformtemplate",
    "change_responseformtemplate",
    "delete_responseformtemplate",
    "view_responseformtemplate",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("hearings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="hearings", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("hearings", "0003_response_forms")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
