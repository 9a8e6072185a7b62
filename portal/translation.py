"""Texts kept in English and French side by side on a model (``title_en``, ``title_fr``).

``title = Localized()`` on the model gives the text in the active language, falling
back to English when the translation is empty.
"""

from django.conf import settings
from django.utils.translation import get_language


def language_code(language=None):
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class Localized:
    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.localized(self.name)


class LocalizedMixin:
    def localized(self, name, language=None):
        value = getattr(self, f"{name}_{language_code(language)}", "")
        return value or getattr(self, f"{name}_{settings.LANGUAGE_CODE}", "")
