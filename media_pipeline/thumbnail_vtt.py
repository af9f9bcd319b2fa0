"""The WebVTT file that maps times of a video to tiles of its thumbnail sprite.

Players show the tile under the cursor while a visitor scrubs; each cue is
``sprite.jpg#xywh=x,y,w,h`` (the W3C media-fragment form players read).
"""

from __future__ import annotations

from pathlib import Path


def vtt_time(seconds: float) -> str:
    """WebVTT timestamp, hours always present: 00:01:02.500."""
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_sprite_vtt(
    path: Path,
    sprite_name: str,
    duration: float,
    layout: tuple[int, int, float],
    tile_w: int,
    tile_h: int,
) -> None:
    """One cue per tile of a (columns, rows, seconds per tile) sprite, row by row."""
    columns, rows, step = layout
    lines = ["WEBVTT", ""]
    for i in range(columns * rows):
        start = i * step
        if start >= duration:
            break
        x, y = (i % columns) * tile_w, (i // columns) * tile_h
        lines += [
            f"{vtt_time(start)} --> {vtt_time(min(duration, start + step))}",
            f"{sprite_name}#xywh={x},{y},{tile_w},{tile_h}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
