"""Where files live: public renditions and private masters go through Django storage."""

from django.core.files.storage import storages


def private_storage():
    """Storage for masters and signed consent forms: never under a public URL."""
    return storages["private"]
