"""axe-core, vendored from npm, run in the page a browser test has open.

The script is evaluated through the browser's debugging protocol, so the page's
Content-Security-Policy (which forbids inline script) neither blocks it nor reports it.
"""

from functools import cache
from pathlib import Path

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 AA, as the Web Accessibility Directive (EN 301 549) asks of public bodies.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source():
    return AXE_SOURCE.read_text()


def axe_violations(page, *, tags=WCAG_TAGS):
    """The violations of any impact axe finds in the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags,
    )
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"{violation['impact']}: {violation['id']} at {target}: {node['failureSummary']}")
    return lines


def assert_accessible(page, *, where=""):
    """Fail with every axe violation on the page; ``where`` names the page in the message."""
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} violation(s) on {where or page.url}:\n" + "\n".join(
        violations
    )
