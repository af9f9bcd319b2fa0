"""Atomic outputs: work in a private staging folder, then move into place.

A transcode writes into ``out_dir/.partial-<pid>-*`` and only moves finished,
verified entries into ``out_dir``; a killed run leaves a staging folder that
the next run (or the sweeper, for job folders) removes once its pid is gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

STAGING_PREFIX = ".partial-"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id still runs (left-over work folders name their pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_dead_staging(out_dir: Path) -> None:
    for old in out_dir.glob(STAGING_PREFIX + "*"):
        pid = old.name[len(STAGING_PREFIX) :].split("-")[0]
        if not (pid.isdigit() and pid_alive(int(pid))):
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staging_dir(out_dir: Path) -> Iterator[Path]:
    """A private work folder inside out_dir, removed if the block raises.

    Leftovers of killed runs are removed first.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_dead_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def publish(staging: Path, out_dir: Path, names: Sequence[str]) -> None:
    """Move finished entries into place, replacing those of an earlier run."""
    trash = staging / ".old"
    trash.mkdir()
    for name in names:
        final = out_dir / name
        if final.is_dir() and not final.is_symlink():
            final.rename(trash / name)
        os.replace(staging / name, final)
    shutil.rmtree(staging, ignore_errors=True)
