"""The approval workflow and its task get Danish names: staff see them in the editor's
buttons ("Send til …"), the status panel and Wagtail's workflow e-mails.

Names are data, not translatable strings, so they are renamed here; only names still as
0002 created them, so an operator's own names survive.
"""

from django.db import migrations

RENAMES = {
    "wagtailcore.Workflow": ("Hearing approval", "Godkendelse af høring"),
    "wagtailcore.Task": ("Approval by hearing approvers", "Godkendelse ved høringsgodkendere"),
}


def to_danish(apps, schema_editor):
    for model, (english, danish) in RENAMES.items():
        apps.get_model(model).objects.filter(name=english).update(name=danish)


def to_english(apps, schema_editor):
    for model, (english, danish) in RENAMES.items():
        apps.get_model(model).objects.filter(name=danish).update(name=english)


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0010_gdpr_privacy_settings"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_danish, to_english)]
