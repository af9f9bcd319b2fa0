"""The media errors, one class per way a caller must handle them.

The job runner decides by class, never by message: a ``BadMediaInput`` is
the file's fault and fails the job at once; a ``MediaTimeout`` or an
``FfmpegFailed`` may pass on another attempt, so the job is retried up to its
maximum.  Standard library only, so the pure media modules can raise these
without Django settings.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark a msgid for the catalogue (locale/build.py) without needing Django here."""
    return message


class MediaError(Exception):
    """A media file cannot be processed; ``message`` is fit to show an officer.

    ``template`` is an English gettext msgid (marked with gettext_noop) and
    ``params`` its %-parameters, so the UI can show it translated with
    ``user_message()``.  ``stderr_tail`` keeps the end of ffmpeg's stderr for
    logs.
    """

    def __init__(self, template: str, params: dict | None = None, *, stderr_tail: str = ""):
        self.template = template
        self.params = params or {}
        self.message = template % self.params if self.params else template
        self.stderr_tail = stderr_tail
        super().__init__(self.message)

    def user_message(self) -> str:
        """The message translated into the active language (needs Django settings)."""
        from django.utils.translation import gettext

        text = gettext(self.template)
        return text % self.params if self.params else text


class BadMediaInput(MediaError):
    """The file itself is unusable (empty, damaged, truncated, not media we accept).

    Trying again cannot help; the officer has to upload another file.
    """


class MediaTimeout(MediaError):
    """ffmpeg or ffprobe ran longer than allowed and was killed.

    Transient: a worker less busy, or the next attempt, may finish in time.
    """


class FfmpegFailed(MediaError):
    """ffmpeg or ffprobe failed (or is missing) for a reason not traced to the input.

    Retried up to the job's maximum attempts: the cause is the tool or the
    machine, not the file the officer gave us.
    """
