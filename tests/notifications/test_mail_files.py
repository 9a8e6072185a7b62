"""With nothing set up, emails are files a newcomer can read and copy links from."""

from django.core.mail import EmailMultiAlternatives

from notifications.mail_files import ReadableFileBackend


def test_each_email_is_kept_as_eml_and_as_readable_text_and_the_newest_is_latest(tmp_path):
    backend = ReadableFileBackend(file_path=tmp_path)
    link = "http://127.0.0.1:8101/accounts/confirm-email/MQ:1vXyZ-" + "a" * 60 + "/"
    first = EmailMultiAlternatives("Confirm", f"Open {link}", "portal@example.org", ["mayor@example.org"])
    first.attach_alternative(f"<p>Open <a href='{link}'>it</a></p>", "text/html")
    second = EmailMultiAlternatives("Second", "The newest one.", "portal@example.org", ["clerk@example.org"])

    assert backend.send_messages([first]) == 1
    backend.send_messages([second])

    texts = sorted(path for path in tmp_path.glob("*.txt") if path.name != "latest.txt")
    assert len(texts) == 2 and len(list(tmp_path.glob("*.eml"))) == 2
    readable = texts[0].read_text()
    assert "Subject: Confirm" in readable and "To: mayor@example.org" in readable
    assert link in readable  # whole, not cut by quoted-printable soft line breaks
    assert (tmp_path / "latest.txt").read_text().endswith("The newest one.")
