"""The full-text structures: FTS5 + triggers on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    from search import fts

    fts.create(schema_editor)


def backwards(apps, schema_editor):
    from search import fts

    fts.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
