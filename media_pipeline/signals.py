"""What the media pipeline tells the rest of the archive.

Media knows nothing of records, people or consent; the archive listens here.

``asset_ingested(sender=MediaAsset, asset, links, user, duplicate)``
    Sent inside the transaction that creates (or finds, for a duplicate) the
    asset. ``links`` is what the caller passed to ``ingest_file`` and media
    never reads (for example ``{"record_ids": [...]}``).
    A receiver that raises rolls the whole ingest back.

``asset_processed(sender=MediaAsset, asset_id)``
    Sent after the transaction that published a job's renditions commits.

``asset_captions_changed(sender=MediaAsset, asset_id)``
    Sent after the transaction that added, replaced or deleted a caption or
    transcript of the asset commits: words spoken in it are searchable text.
"""

from django.dispatch import Signal

asset_ingested = Signal()
asset_processed = Signal()
asset_captions_changed = Signal()
