"""Rules of the portal's stylesheet that keep wide content inside a narrow laptop screen."""

import re

from django.contrib.staticfiles import finders


def stylesheet():
    with open(finders.find("css/portal.css"), encoding="utf-8") as handle:
        return handle.read()


def test_server_drawn_charts_shrink_to_their_column():
    # The dashboard's SVG charts are drawn 560 px wide; at 1024 px two columns hold 460 px.
    rule = re.search(r"svg\.chart\s*\{([^}]*)\}", stylesheet())
    assert rule and "max-width: 100%" in rule.group(1) and "height: auto" in rule.group(1)


def test_the_reopen_note_keeps_room_to_type():
    rule = re.search(r"\.reopen-note\s*\{([^}]*)\}", stylesheet())
    assert rule and "min-width" in rule.group(1)
