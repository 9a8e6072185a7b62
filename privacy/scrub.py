"""Taking a person's name and email out of text and recorded values.

What the portal recorded around a person (audit rows, notes, free-text answers, email
subjects) keeps its shape: only the words that name them are replaced, so counts,
scores, statuses and references read the same afterwards.
"""

import re

ERASED = "[erased]"
# Shorter names would match inside ordinary words.
MIN_NAME_LENGTH = 3


class Scrubber:
    """Replaces every mention of the given names and email addresses, case aside."""

    def __init__(self, *, names=(), emails=()):
        patterns = [re.escape(email) for email in emails if email]
        patterns += [
            rf"(?<!\w){re.escape(name)}(?!\w)"
            for name in names
            if name and len(name.strip()) >= MIN_NAME_LENGTH
        ]
        # Longest first, so an email is replaced whole before a name inside it.
        patterns.sort(key=len, reverse=True)
        self.pattern = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    @classmethod
    def for_person(cls, person):
        return cls(names=[person.full_name.strip()], emails=[person.email])

    def text(self, value):
        if self.pattern is None or not isinstance(value, str):
            return value
        return self.pattern.sub(ERASED, value)

    def value(self, value):
        """``value`` (JSON: text, lists, objects) with every mention replaced, keys included."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {self.text(key): self.value(item) for key, item in value.items()}
        return value

    def mentions(self, value):
        return self.value(value) != value
