"""``media_pipeline/ffmpeg.py`` stays pure: stdlib, ffmpeg-python and the ladder data only.

Running processes, files and Django belong to the modules around it
(process, probing, staging, renditions, transcode).  The ladder data it may
import must be pure as well, or the rule would leak through it.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_PROJECT_MODULES = {"media_pipeline.profiles"}
THIRD_PARTY = {"ffmpeg"}


def imported_modules(source: str) -> set[str]:
    """Every module a source imports, at any depth (function-level imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.add("." * node.level + (node.module or ""))
            else:
                found.add(node.module)
                # "from media_pipeline import profiles" imports media_pipeline.profiles.
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def forbidden_imports(source: str, *, allowed_project: set[str]) -> list[str]:
    bad = []
    for name in sorted(imported_modules(source)):
        top = name.split(".")[0]
        if name.startswith("."):
            bad.append(name)
        elif top in sys.stdlib_module_names or top == "__future__" or top in THIRD_PARTY:
            continue
        elif name in allowed_project or name == "media_pipeline":
            continue
        elif top == "media_pipeline" and any(
            name.startswith(f"{allowed}.") for allowed in allowed_project
        ):
            continue  # a name imported from an allowed module
        else:
            bad.append(name)
    return bad


@pytest.mark.parametrize(
    "module,allowed_project",
    [("media_pipeline/ffmpeg.py", ALLOWED_PROJECT_MODULES), ("media_pipeline/profiles.py", set())],
)
def test_module_imports_only_stdlib_ffmpeg_python_and_ladder(module, allowed_project):
    source = (ROOT / module).read_text(encoding="utf-8")
    assert forbidden_imports(source, allowed_project=allowed_project) == []


# Standard modules that run processes or write files: their home is process.py,
# staging.py and transcode.py, never the argument builders.
SIDE_EFFECT_MODULES = {"subprocess", "threading", "multiprocessing", "tempfile", "shutil", "signal"}


def test_ffmpeg_py_runs_no_process_and_writes_no_file():
    source = (ROOT / "media_pipeline/ffmpeg.py").read_text(encoding="utf-8")
    tops = {name.split(".")[0] for name in imported_modules(source)}
    assert tops & SIDE_EFFECT_MODULES == set()


@pytest.mark.parametrize(
    "line",
    [
        "import subprocess\nfrom django.conf import settings\n",
        "from media_pipeline.errors import MediaError\n",
        "from media_pipeline import process\n",
        "def f():\n    from PIL import Image\n",
        "from . import jobs\n",
        "import heritage.models\n",
    ],
)
def test_the_check_catches_what_ffmpeg_py_must_not_import(line):
    assert forbidden_imports(line, allowed_project=ALLOWED_PROJECT_MODULES)


def test_the_check_lets_the_allowed_imports_through():
    source = (
        "from __future__ import annotations\nimport json\nimport ffmpeg\n"
        "from media_pipeline import profiles\nfrom media_pipeline.profiles import Rung\n"
    )
    assert forbidden_imports(source, allowed_project=ALLOWED_PROJECT_MODULES) == []
