"""No HTML template has a line longer than 300 characters: past that a line cannot be read or
reviewed in a diff. Long markup breaks between attributes, between tags and at the spaces of
running text, where HTML renders a newline as the space it replaces.

Only .html: the .txt emails are plain text, where a newline is a visible line break.
"""

from pathlib import Path

from django.conf import settings

LIMIT = 300
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def long_lines():
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if len(line) > LIMIT:
                found.setdefault(name, []).append(f"templates/{name}:{number} ({len(line)} characters)")
    return found


def test_no_template_line_is_longer_than_300_characters():
    too_long = [line for lines in long_lines().values() for line in lines]
    assert not too_long, "Lines longer than 300 characters:\n" + "\n".join(too_long)
