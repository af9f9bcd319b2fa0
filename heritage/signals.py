"""What the archive tells the apps built on it (search, feeds).

``record_media_changed(sender=RecordPage, record_ids)``
    The media of these records changed (an asset finished processing, was
    hidden or linked, or its captions changed): what their pages and documents
    say about media must be recomputed.
"""

from django.dispatch import Signal

record_media_changed = Signal()
