"""Templates name the domain's states by their enums (portal/domain_words.py), never by strings.

A state compared with a string literal still renders when the state is renamed, silently
taking the other branch; compared with the enum member, the rename fails in one place.
"""

import re
from pathlib import Path

from portal.domain_words import WORDS

ROOT = Path(__file__).resolve().parents[2]
COMPARISON = re.compile(r"""([\w.]+)\s*(?:==|!=)\s*["']([\w-]+)["']""")
# Variables that hold the page's own words (which tab is active, which preview), not states.
PAGE_WORDS = {"active", "ranking_active", "part", "moved.0", "moved.1", "attrs.type", "key", "focus", "name"}


def state_values():
    values = set()
    for words in WORDS.values():
        if hasattr(words, "values"):
            values.update(words.values)
        else:  # a module of constants, such as the roles
            values.update(v for k, v in vars(words).items() if k.isupper() and isinstance(v, str))
    return values


def template_files():
    for folder in ROOT.glob("*/templates"):
        yield from folder.rglob("*.html")
        yield from folder.rglob("*.txt")
    yield from (ROOT / "templates").rglob("*")


def test_every_enum_the_templates_use_is_named():
    assert {
        "Status",
        "Reason",
        "Certainty",
        "ItemState",
        "ParticipantStatus",
        "MessageStatus",
        "Role",
    } <= set(WORDS)
    assert "draft" in state_values() and "coordinator" in state_values()


def test_no_template_compares_a_state_with_a_string_literal():
    values = state_values()
    found = []
    for path in template_files():
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for variable, literal in COMPARISON.findall(line):
                if literal in values and variable not in PAGE_WORDS:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {variable} == {literal!r}")
    assert not found, "compare with the enum member instead:\n" + "\n".join(found)
