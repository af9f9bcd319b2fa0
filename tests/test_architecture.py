"""Dependencies run one way: open data knows the archive, the archive knows media and
search, media knows neither; nothing knows open data.

import-linter cannot see migrations or imports inside functions, so this walks
every module's syntax tree, and asks Django's migration graph for the
dependencies of media's migrations.
"""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path):
    """Every module a file imports, at top level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def forbidden_imports(app, forbidden):
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for lineno, module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    return found


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("media_pipeline", {"heritage", "open_data"}),
        ("search", {"media_pipeline", "open_data"}),
        ("heritage", {"open_data"}),
    ],
)
def test_app_does_not_import(app, forbidden):
    assert forbidden_imports(app, forbidden) == []


def test_the_walk_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from heritage.models import Person\n")
    assert list(imported_modules(module)) == [(2, "heritage.models")]


@pytest.mark.django_db
def test_no_media_migration_depends_on_the_archive():
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    media_migrations = {
        key: migration
        for key, migration in loader.disk_migrations.items()
        if key[0] == "media_pipeline"
    }
    assert media_migrations  # the loader found them
    on_archive = [
        (name, dependency)
        for (_app, name), migration in sorted(media_migrations.items())
        for dependency in migration.dependencies
        if dependency[0] == "heritage"
    ]
    assert on_archive == []
    # Nor does any media model point at an archive model.
    state = loader.project_state()
    archive_relations = [
        (model_name, field_name)
        for (app_label, model_name), model_state in state.models.items()
        if app_label == "media_pipeline"
        for field_name, field in model_state.fields.items()
        if field.is_relation and str(field.related_model).lower().startswith("heritage.")
    ]
    assert archive_relations == []
