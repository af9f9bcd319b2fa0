"""People and festival editions link media from the archive's side.

``MediaAsset.people`` and ``MediaAsset.edition`` were fields of media, created
by ``media_pipeline/0001`` until that migration was rewritten so that no media
migration depends on the archive. A database migrated before the rewrite still
has the table ``media_pipeline_mediaasset_people`` and the column
``media_pipeline_mediaasset.edition_id``: their links are copied into the new
tables and the old table and column dropped. A fresh database has neither, and
the copy does nothing. The schema is asked, since the migration state cannot
tell the two apart.
"""

from django.db import migrations, models

import modelcluster.fields

ASSET_TABLE = "media_pipeline_mediaasset"
LEGACY_PEOPLE_TABLE = "media_pipeline_mediaasset_people"
LEGACY_EDITION_COLUMN = "edition_id"


def _through_columns(model, field_name):
    """Table, source column and asset column of a many-to-many field's through table."""
    through = model._meta.get_field(field_name).remote_field.through
    source, target = (
        f.column for f in through._meta.local_concrete_fields if f.is_relation
    )
    return through._meta.db_table, source, target


class MoveLegacyMediaLinks(migrations.operations.base.Operation):
    """Copy media's old links to people and editions into the archive's tables, then drop them."""

    reversible = True
    reduces_to_sql = False  # what it does depends on the schema it finds

    def state_forwards(self, app_label, state):
        pass  # the migration state never held the legacy fields after the rewrite

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        quote = schema_editor.quote_name
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
            asset_columns = {
                column.name
                for column in connection.introspection.get_table_description(cursor, ASSET_TABLE)
            }
        apps = to_state.apps

        if LEGACY_PEOPLE_TABLE in tables:
            table, person, asset = _through_columns(apps.get_model("heritage", "Person"), "media_assets")
            schema_editor.execute(
                f"INSERT INTO {quote(table)} ({quote(person)}, {quote(asset)}) "
                f"SELECT {quote('person_id')}, {quote('mediaasset_id')} "
                f"FROM {quote(LEGACY_PEOPLE_TABLE)}"
            )
            schema_editor.execute(schema_editor.sql_delete_table % {"table": quote(LEGACY_PEOPLE_TABLE)})

        if LEGACY_EDITION_COLUMN in asset_columns:
            table, edition, asset = _through_columns(
                apps.get_model("heritage", "FestivalEdition"), "media_assets"
            )
            schema_editor.execute(
                f"INSERT INTO {quote(table)} ({quote(edition)}, {quote(asset)}) "
                f"SELECT {quote(LEGACY_EDITION_COLUMN)}, {quote('id')} FROM {quote(ASSET_TABLE)} "
                f"WHERE {quote(LEGACY_EDITION_COLUMN)} IS NOT NULL"
            )
            # Describe the column to the schema editor so it drops it the way the
            # backend needs (SQLite rebuilds the table; its foreign key forbids DROP COLUMN).
            legacy = from_state.clone()
            legacy.add_field(
                "media_pipeline",
                "mediaasset",
                "legacy_edition",
                models.ForeignKey(
                    "heritage.festivaledition",
                    null=True,
                    on_delete=models.SET_NULL,
                    related_name="+",
                    db_column=LEGACY_EDITION_COLUMN,
                ),
                preserve_default=True,
            )
            asset_model = legacy.apps.get_model("media_pipeline", "MediaAsset")
            schema_editor.remove_field(asset_model, asset_model._meta.get_field("legacy_edition"))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the legacy fields exist in no model any more: nothing to restore them into

    def describe(self):
        return "Copy media's legacy links to people and editions, then drop them"


class Migration(migrations.Migration):

    dependencies = [
        ('heritage', '0005_import_count_labels'),
        ('media_pipeline', '0003_pipeline'),
    ]

    operations = [
        migrations.AddField(
            model_name='festivaledition',
            name='media_assets',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='festival_editions', to='media_pipeline.mediaasset', verbose_name='media recorded at it'),
        ),
        migrations.AddField(
            model_name='person',
            name='media_assets',
            field=models.ManyToManyField(blank=True, related_name='people', to='media_pipeline.mediaasset', verbose_name='media they appear in'),
        ),
        MoveLegacyMediaLinks(),
    ]
