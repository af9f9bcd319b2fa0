"""heritage/0006 moves media's links to people and editions into the archive's tables.

A database migrated before ``media_pipeline/0001`` was rewritten still has the
legacy table and column. The test builds exactly those with the schema editor
(the DDL the old migration ran), fills them, and migrates forward; a fresh
database (the test database itself) has neither.
"""

import datetime

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

from heritage.models import FestivalEdition, Person
from media_pipeline.models import MediaAsset
from tests.factories import make_record

BEFORE = ("heritage", "0005_import_count_labels")
MOVE = ("heritage", "0006_media_links_owned_by_archive")


def schema():
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        asset_columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, "media_pipeline_mediaasset"
            )
        }
    return tables, asset_columns


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor


def build_legacy_schema(executor):
    """Give media back the people table and edition column the old 0001 created."""
    state = executor.loader.project_state(BEFORE).clone()
    state.add_field(
        "media_pipeline",
        "mediaasset",
        "people",
        models.ManyToManyField("heritage.person", related_name="media_assets"),
        preserve_default=True,
    )
    state.add_field(
        "media_pipeline",
        "mediaasset",
        "edition",
        models.ForeignKey(
            "heritage.festivaledition",
            null=True,
            on_delete=models.SET_NULL,
            related_name="media_assets",
        ),
        preserve_default=True,
    )
    asset = state.apps.get_model("media_pipeline", "MediaAsset")
    with connection.schema_editor() as editor:
        editor.add_field(asset, asset._meta.get_field("people"))
        editor.add_field(asset, asset._meta.get_field("edition"))


def test_a_fresh_database_has_only_the_archive_tables(db):
    tables, asset_columns = schema()
    assert "media_pipeline_mediaasset_people" not in tables
    assert "edition_id" not in asset_columns
    assert {"heritage_person_media_assets", "heritage_festivaledition_media_assets"} <= tables


@pytest.fixture
def latest_schema_after():
    """Migrate forward to the latest schema afterwards: tests run later need its tables."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_links_of_a_database_at_the_old_schema_move_to_the_archive(archive, latest_schema_after):
    page = make_record("Lễ hội Lồng Tồng")
    edition = FestivalEdition.objects.create(page=page, year=2024, place="Xã Tân Tiến")
    singer = Person.objects.create(name="Nông Thị Hoa", role="musician")
    elder = Person.objects.create(name="Hoàng Văn Pao", role="elder")
    filmed, recorded, alone = (
        MediaAsset.objects.create(title=title, file=f"masters/{title}.mp4")
        for title in ("filmed", "recorded", "alone")
    )
    try:
        executor = migrate(BEFORE)
        build_legacy_schema(executor)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO media_pipeline_mediaasset_people (mediaasset_id, person_id) "
                "VALUES (%s, %s)",
                [(filmed.pk, singer.pk), (filmed.pk, elder.pk), (recorded.pk, elder.pk)],
            )
            cursor.execute(
                "UPDATE media_pipeline_mediaasset SET edition_id = %s WHERE id = %s",
                [edition.pk, filmed.pk],
            )
        tables, asset_columns = schema()
        assert "media_pipeline_mediaasset_people" in tables and "edition_id" in asset_columns
    finally:
        migrate(MOVE)

    assert set(singer.media_assets.all()) == {filmed}
    assert set(elder.media_assets.all()) == {filmed, recorded}
    assert set(filmed.people.all()) == {singer, elder}
    assert not alone.people.exists()
    assert set(edition.media_assets.all()) == {filmed}
    assert set(filmed.festival_editions.all()) == {edition}
    tables, asset_columns = schema()
    assert "media_pipeline_mediaasset_people" not in tables
    assert "edition_id" not in asset_columns
    # Nothing else of the asset was lost when SQLite rebuilt its table.
    filmed.refresh_from_db()
    assert filmed.title == "filmed" and filmed.file.name == "masters/filmed.mp4"
    assert filmed.created_at.date() <= datetime.date.today()
