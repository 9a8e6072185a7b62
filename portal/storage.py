"""Private storage: uploaded files and issued documents, never on a public URL."""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]
