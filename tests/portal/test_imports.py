"""The import arrows the architecture promises, read from the source.

Apps depend one way:
``demo -> privacy -> builder -> partners -> reviews -> intake -> notifications``,
and every app may use the portal's base (user, audit, roles, translation, storage,
formatting, access, ...), which imports no app. The project shell (settings, URLs, the
Celery app, site views, the allauth adapter, commands) may import anything; nothing
imports it. No module imports another that imports it back. An import inside a function
says why in one word (``# startup: ...``): otherwise it belongs at the top of the module.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["notifications", "intake", "reviews", "partners", "builder", "privacy", "demo"]  # lowest first
SHELL = {
    "portal.settings",
    "portal.urls",
    "portal.celery",
    "portal.wsgi",
    "portal.views",
    "portal.adapters",
    "portal.health",
    "portal.domain_words",
}
LOCAL_IMPORT_REASONS = {"startup"}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules():
    for package in ["portal", *APPS]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield module_name(path), path


def imported(module, path, node, known):
    """First-party module names an import statement names.

    ``from package import module`` names the module, not the package: the package's
    ``__init__`` runs first in any case, and counting it would make every package that
    re-exports its modules look like a cycle.
    """
    is_package = path.name == "__init__.py"
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    target = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
    submodules = [f"{target}.{alias.name}" for alias in node.names]
    if all(name in known for name in submodules):
        return submodules
    return [target, *(name for name in submodules if name in known)]


def first_party(name, known):
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of_every_module():
    modules = dict(source_modules())
    graph, local = {}, []
    for module, path in modules.items():
        source = path.read_text()
        tree = ast.parse(source)
        lines = source.splitlines()
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in imported(module, path, node, modules):
                    target = first_party(name, modules)
                    if target and target != module:
                        targets.add(target)
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        local.append((module, node.lineno, lines[node.lineno - 1]))
        graph[module] = targets
    return graph, local


def layer(module):
    package = module.split(".")[0]
    if module == "portal":
        # The project package loads the Celery app, as Celery's Django set-up asks.
        return len(APPS) + 1
    if package == "portal":
        if module in SHELL or module.startswith("portal.management"):
            return len(APPS) + 1
        return 0
    return APPS.index(package) + 1


def test_every_import_follows_the_documented_direction():
    graph, _local = imports_of_every_module()
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if target.split(".")[0] != module.split(".")[0] and layer(target) >= layer(module)
    ]
    # The portal's base imports nothing of the shell either.
    wrong += [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if layer(module) == 0 and layer(target) > 0
    ]
    assert wrong == []


def test_no_module_imports_one_that_imports_it_back():
    graph, _local = imports_of_every_module()
    cycles, state = [], {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_an_import_inside_a_function_says_why():
    _graph, local = imports_of_every_module()
    unexplained = []
    for module, lineno, line in local:
        comments = [part.strip() for part in line.split("#")[1:]]
        reasons = {part.split(":")[0].split()[0] for part in comments if part}
        if not reasons & LOCAL_IMPORT_REASONS:
            unexplained.append(f"{module}:{lineno}: {line.strip()}")
    assert unexplained == []


def test_the_sweep_sees_the_modules_it_must():
    graph, _local = imports_of_every_module()
    assert {"intake.models", "reviews.services.decisions", "notifications.services", "portal.audit"} <= set(
        graph
    )
    assert "intake.models" in graph["reviews.models"]
