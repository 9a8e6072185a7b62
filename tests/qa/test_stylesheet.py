"""Rules of the portal's stylesheet that keep wide content inside a narrow laptop screen, and
the portal's copy of Bootstrap, which must keep every class the pages use."""

import re
from pathlib import Path

from django.conf import settings
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


# --- The portal's Bootstrap: the released stylesheet less what no page uses (assets/bootstrap) ---

BOOTSTRAP_AS_RELEASED = Path(settings.BASE_DIR) / "assets" / "bootstrap" / "bootstrap.min.css"
TEMPLATE_TAG = re.compile(r"\{[%{].*?[%}]\}", re.S)
# Families a template completes at render time (alert-{{ level }}, text-bg-{% if ... %}).
COMPLETED_AT_RENDER_TIME = ("alert-", "text-bg-", "btn-")


def defined_classes(css):
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", re.sub(r"url\([^)]*\)", "", css)))


def used_classes():
    """Class names written in the portal's templates, Python code and scripts."""
    used = set()
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', template.read_text(encoding="utf-8")):
            used |= set(TEMPLATE_TAG.sub(" ", value).split())
    for module in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if module.parts[len(Path(settings.BASE_DIR).parts)] in (".venv", "var", "tests"):
            continue
        for value in re.findall(
            r"""["'](?:class|css_class|field_class)["']\s*:\s*["']([^"']*)["']""", module.read_text()
        ):
            used |= set(value.split())
    for script in (Path(settings.BASE_DIR) / "static" / "js").glob("*.js"):
        for value in re.findall(
            r"""classList\.(?:add|remove|toggle|contains)\(([^)]*)\)""", script.read_text()
        ):
            used |= set(re.findall(r"""["']([\w-]+)["']""", value))
    return used


def portal_bootstrap():
    with open(finders.find("vendor/bootstrap/bootstrap.min.css"), encoding="utf-8") as handle:
        return handle.read()


def test_every_bootstrap_class_the_portal_uses_is_in_its_copy_of_bootstrap():
    released = defined_classes(BOOTSTRAP_AS_RELEASED.read_text(encoding="utf-8"))
    kept = defined_classes(portal_bootstrap())
    used = used_classes()
    assert {"navbar", "btn-primary", "form-control", "table-responsive", "visually-hidden"} <= used & kept
    missing = sorted((used & released) - kept)
    assert not missing, f"run the command of assets/bootstrap/README.md; missing: {missing}"


def test_classes_completed_at_render_time_and_bootstraps_own_states_are_kept():
    released = defined_classes(BOOTSTRAP_AS_RELEASED.read_text(encoding="utf-8"))
    kept = defined_classes(portal_bootstrap())
    families = {name for name in released if name.startswith(COMPLETED_AT_RENDER_TIME)}
    assert families and families <= kept, sorted(families - kept)
    # Classes Bootstrap's script sets on the navigation menu as it opens and closes.
    assert {"collapse", "collapsing", "show", "navbar-collapse", "fade"} <= kept


def test_the_portal_bootstrap_is_smaller_and_keeps_bootstraps_licence_notice():
    css = portal_bootstrap()
    assert "Bootstrap  v5.3.9" in css and "Licensed under MIT" in css
    assert len(css) < BOOTSTRAP_AS_RELEASED.stat().st_size / 2
    assert "sourceMappingURL" not in css  # the map describes the released file, not this one
