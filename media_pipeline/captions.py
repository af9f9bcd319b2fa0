"""WebVTT captions and transcripts: validation and text extraction for search."""

import re

from django.utils.translation import gettext as _

_TIMING = re.compile(
    r"^(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}(?:\s+.*)?$"
)
_TAG = re.compile(r"<[^>]+>")
MAX_BYTES = 5 * 1024 * 1024


class WebVTTError(ValueError):
    """The file is not valid WebVTT; the message is fit to show an officer."""


def _lines(raw):
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise WebVTTError(_("The caption file is too large (more than 5 MB)."))
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise WebVTTError(_("A WebVTT file must be UTF-8 text.")) from exc
    return raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_webvtt(raw):
    """Return the cues as (timing, [text lines]); raise WebVTTError if invalid."""
    lines = _lines(raw)
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        raise WebVTTError(_("A WebVTT file must start with the line “WEBVTT”."))
    cues = []
    i = 1
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i].strip())
            i += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = next((n for n, text in enumerate(block[:2]) if "-->" in text), None)
        if timing_at is None:
            raise WebVTTError(_("A cue has no timing line (start --> end)."))
        if not _TIMING.match(block[timing_at]):
            raise WebVTTError(
                _("Invalid cue timing: “%(line)s”.") % {"line": block[timing_at][:80]}
            )
        cues.append((block[timing_at], block[timing_at + 1 :]))
    if not cues:
        raise WebVTTError(_("The WebVTT file has no cues."))
    return cues


def cue_text(raw):
    """The spoken text of all cues, tags removed, one cue per line."""
    return "\n".join(
        " ".join(_TAG.sub("", line) for line in text).strip()
        for _timing, text in parse_webvtt(raw)
        if text
    )


def _seconds(stamp):
    """Seconds of a WebVTT timestamp: "01:02.500" or "1:01:02.500"."""
    parts = [float(part) for part in stamp.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    hours, minutes, seconds = parts
    return hours * 3600 + minutes * 60 + seconds


def parse_cues(raw):
    """The cues as (start seconds, end seconds, text), tags removed; raise WebVTTError."""
    cues = []
    for timing, text in parse_webvtt(raw):
        start, _arrow, rest = timing.partition("-->")
        end = rest.split()[0]
        spoken = " ".join(_TAG.sub("", line) for line in text).strip()
        if spoken:
            cues.append((round(_seconds(start.strip()), 3), round(_seconds(end), 3), spoken))
    return cues


def _of_kind(captions, kind, language):
    """The caption of ``kind`` in ``language``, else the first of that kind, else None."""
    of_kind = [c for c in captions if c.kind == kind]
    return next((c for c in of_kind if c.language == language), of_kind[0] if of_kind else None)


def shown_transcript(captions, language):
    """The one text shown beside a player on a page in ``language``.

    Its transcript in that language, else its captions in that language (their
    cues are the spoken text too), else the first transcript, else the first
    captions. Search indexes the same one, so a hit's moment is a visible line.
    """
    from media_pipeline.models import CaptionKind

    captions = list(captions)
    return _of_kind(captions, CaptionKind.TRANSCRIPT, language) or _of_kind(
        captions, CaptionKind.CAPTIONS, language
    )
