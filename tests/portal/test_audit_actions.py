"""Every action the portal records has words for the audit pages, in English and French."""

import ast
from pathlib import Path

from django.conf import settings
from django.utils import translation

from portal.audit import action_label

APPS = ["portal", "intake", "reviews", "notifications", "partners", "demo"]


def recorded_actions():
    actions = set()
    for package in APPS:
        for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call) or len(node.args) < 2:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                action = node.args[1]
                if name in {"record", "record_many", "audit_event"} and isinstance(action, ast.Constant):
                    actions.add(action.value)
    return actions


def test_every_recorded_action_has_a_label_in_each_language():
    actions = recorded_actions()
    assert len(actions) > 40
    unlabelled = sorted(action for action in actions if action_label(action) == action)
    assert unlabelled == []
    with translation.override("fr"):
        french = {action: str(action_label(action)) for action in actions}
    with translation.override("en"):
        untranslated = sorted(a for a in actions if str(action_label(a)) == french[a])
    assert untranslated == []
