"""HearingTransition becomes SideEffectRecord (it records side effects done once), and
answers are stored as UTF-8 JSON so a search finds Danish words on SQLite too."""

import django.db.models.deletion
from django.db import migrations, models

import hearings.models.responses


def store_answers_unescaped(apps, schema_editor):
    """Write existing answers again with the new encoder (SQLite keeps JSON as text)."""
    for model_name, fields in (
        ("HearingResponse", ["answers"]),
        ("ResponseRevision", ["answers", "changes"]),
    ):
        model = apps.get_model("hearings", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            model.objects.filter(pk=row.pk).update(
                **{field: getattr(row, field) for field in fields}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0008_notification_respondent_notice"),
    ]

    operations = [
        migrations.RenameModel("HearingTransition", "SideEffectRecord"),
        migrations.AlterModelOptions(
            name="sideeffectrecord",
            options={
                "verbose_name": "side effect done",
                "verbose_name_plural": "side effects done",
            },
        ),
        migrations.AlterField(
            model_name="sideeffectrecord",
            name="hearing",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="side_effects",
                to="hearings.hearingpage",
                verbose_name="hearing",
            ),
        ),
        migrations.RemoveConstraint(model_name="sideeffectrecord", name="hearing_transition_once"),
        migrations.AddConstraint(
            model_name="sideeffectrecord",
            constraint=models.UniqueConstraint(
                fields=("hearing", "kind"), name="hearing_side_effect_once"
            ),
        ),
        migrations.AlterField(
            model_name="hearingresponse",
            name="answers",
            field=models.JSONField(
                blank=True,
                default=dict,
                encoder=hearings.models.responses.UnicodeJSONEncoder,
                verbose_name="answers",
            ),
        ),
        migrations.AlterField(
            model_name="responserevision",
            name="answers",
            field=models.JSONField(
                default=dict,
                encoder=hearings.models.responses.UnicodeJSONEncoder,
                verbose_name="answers",
            ),
        ),
        migrations.AlterField(
            model_name="responserevision",
            name="changes",
            field=models.JSONField(
                blank=True,
                default=dict,
                encoder=hearings.models.responses.UnicodeJSONEncoder,
                verbose_name="changes",
            ),
        ),
        migrations.RunPython(store_answers_unescaped, migrations.RunPython.noop),
    ]
