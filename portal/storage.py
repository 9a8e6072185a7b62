"""Private storage: uploaded files and issued documents, never on a public URL."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """The "private" entry of STORAGES, looked up when first used.

    Model fields keep this object for the life of the process, so it must follow a
    change of STORAGES (tests give each test a folder of its own).
    """

    def _setup(self):
        self._wrapped = storages["private"]


_private = PrivateStorage()


def private_storage():
    return _private


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty
