from django.db import migrations, models


def restore_triggers(apps, schema_editor):
    # Adding a NOT NULL column rebuilds the SQLite table, dropping its FTS
    # triggers and the facet index: make them again (a no-op elsewhere).
    from search import fts

    fts.create_facet_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_access_copy"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordsearchdocument",
            name="moments",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]
