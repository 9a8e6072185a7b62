"""A view builds no queryset: it reads through a named manager method or an app's ``queries.py``."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Methods only a QuerySet or a Manager has: a call of one of them anywhere in a view is a
# query written in the view.
QUERYSET_METHODS = {
    "filter",
    "exclude",
    "order_by",
    "values_list",
    "annotate",
    "aggregate",
    "distinct",
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "extra",
    "raw",
    "in_bulk",
    "iterator",
}
# Names other objects share (``list.count(x)``): a query only when called with no argument.
WITHOUT_ARGUMENTS = {"count", "exists", "first", "last"}
# Names a dict shares (``dict.get``): a query only on a model's ``objects``.
ON_OBJECTS = {"all", "get", "create"}


def view_modules():
    for path in sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/views/*.py")):
        if path.parts[len(ROOT.parts)] not in {".venv", "tests"}:
            yield path


def imported_names(tree):
    """The names the module's imports bind: a module or a class, never a queryset."""
    return {
        (alias.asname or alias.name).partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }


def queryset_call(node, imported=frozenset()):
    """The method a call of a QuerySet's own API names, or None.

    A function of an imported module (``robustness.annotate(lines)``) is no query.
    """
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    name, receiver = node.func.attr, node.func.value
    if isinstance(receiver, ast.Name) and receiver.id in imported:
        return None
    bare = not node.args and not node.keywords
    if name in QUERYSET_METHODS:
        return name
    # ``values`` with field names; ``dict.values()`` and a form's ``values()`` take none.
    if name == "values" and not bare:
        return name
    if name in WITHOUT_ARGUMENTS and bare:
        return name
    if name in ON_OBJECTS and isinstance(receiver, ast.Attribute) and receiver.attr == "objects":
        return f"objects.{name}"
    return None


def queries_in_views():
    found = []
    for path in view_modules():
        tree = ast.parse(path.read_text())
        imported = imported_names(tree)
        for node in ast.walk(tree):
            if name := queryset_call(node, imported):
                # The line of the method's name, not of the chain it ends.
                found.append((str(path.relative_to(ROOT)), node.func.end_lineno, name))
    return [f"{path}:{line}: .{name}()" for path, line, name in sorted(found)]


def test_the_rule_sees_the_calls_it_forbids_and_no_other():
    def names(source):
        tree = ast.parse(source)
        calls = (queryset_call(node, imported_names(tree)) for node in ast.walk(tree))
        return [name for name in calls if name]

    assert names("Message.objects.filter(kind='x').order_by('pk').first()") == ["first", "order_by", "filter"]
    assert names("Call.objects.all(); Call.objects.get(pk=1); Call.objects.create(slug='a')") == [
        "objects.all",
        "objects.get",
        "objects.create",
    ]
    bare = "qs.values('kind'); qs.count(); qs.exists(); qs.last()"
    assert names(bare) == ["values", "count", "exists", "last"]
    assert names("d.get('a'); d.values(); form.values(); xs.count(3); call.criteria.all()") == []
    assert names("from . import robustness as r; r.annotate(lines); lines.annotate(n=1)") == ["annotate"]


def test_no_view_builds_a_queryset():
    assert list(view_modules()), "no view module found"
    found = queries_in_views()
    assert not found, "Queries written in views (name them in the app's query layer):\n" + "\n".join(found)
