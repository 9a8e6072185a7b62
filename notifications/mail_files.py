"""Emails written as files a person can read: the embedded default, where nothing is sent.

Each email is kept twice under ``var/mail/``: ``<time>-<recipient>.eml`` (the message as it
would travel, for a mail client) and the same name in ``.txt`` with the headers that matter
and the text part decoded, so a confirmation link can be copied as it is. ``latest.txt``
is always the newest one.
"""

import re
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


def _safe(text):
    return re.sub(r"[^A-Za-z0-9@._-]+", "_", text)[:80]


class ReadableFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path)

    def send_messages(self, email_messages):
        self.file_path.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            self._write(message)
        return len(email_messages)

    def _write(self, message):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        name = f"{stamp}-{_safe(','.join(message.to))}"
        (self.file_path / f"{name}.eml").write_bytes(message.message().as_bytes())
        attachments = [item[0] if isinstance(item, tuple) else item.filename for item in message.attachments]
        lines = [
            f"To: {', '.join(message.to)}",
            f"From: {message.from_email}",
            f"Subject: {message.subject}",
            f"Date: {timezone.now().isoformat(timespec='seconds')}",
        ]
        if attachments:
            lines.append(f"Attachments: {', '.join(str(a) for a in attachments)}")
        readable = "\n".join(lines) + "\n\n" + message.body
        (self.file_path / f"{name}.txt").write_text(readable, encoding="utf-8")
        (self.file_path / "latest.txt").write_text(readable, encoding="utf-8")
