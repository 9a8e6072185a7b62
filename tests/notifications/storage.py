"""Model file fields resolve their storage once, when the models load; tests that swap
``STORAGES`` must point those fields at the swapped storage too, or files land in var/."""

from django.apps import apps
from django.core.files.storage import storages
from django.db.models import FileField

from portal.storage import private_storage


def follow_private_storage(monkeypatch):
    storage = storages["private"]
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FileField) and getattr(field, "_storage_callable", None) is private_storage:
                monkeypatch.setattr(field, "storage", storage)
    return storage
