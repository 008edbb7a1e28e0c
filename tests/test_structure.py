"""Views fetch through selectors (docs/architecture.md, "Where a new feature's pieces go").

Every page and API module is parsed, not imported: a direct ``.objects`` access, a
``get_object_or_404`` or a call of the access helpers (``scoped``, ``get_for_user``,
``get_for_change``) belongs in the app's ``selectors`` module, which returns the rows already
scoped to the user with their ``select_related``/``prefetch_related``."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = ("*/views.py", "*/views/*.py", "*/*_views.py", "*/api/*.py", "*/api/**/*.py")
SKIPPED_DIRS = {"tests", ".venv", "node_modules", "static", "templates"}

FORBIDDEN_NAMES = {"get_object_or_404", "scoped", "get_for_user", "get_for_change"}

# Modules allowed to query directly, each with the reason.
ALLOWED_MODULES = {
    # The benchmarks' bare baseline pages: by design one plain, unscoped query and a minimal
    # template, the cheapest honest page the portal's pages are measured against (bench/).
    "bench/views.py",
}


def view_modules() -> list[Path]:
    found = set()
    for pattern in PATTERNS:
        for path in ROOT.glob(pattern):
            if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
                found.add(path)
    return sorted(found)


def _schema_queryset(node: ast.Attribute, parents: dict) -> bool:
    """``queryset = Model.objects.none()`` in a class body: a DRF viewset's declaration of its
    model for the router and the schema, which runs no query (the rows come from ``selector``)."""
    none = parents.get(node)
    call = parents.get(none)
    assign = parents.get(call)
    return (
        isinstance(none, ast.Attribute)
        and none.attr == "none"
        and isinstance(call, ast.Call)
        and isinstance(assign, ast.Assign)
        and [getattr(target, "id", None) for target in assign.targets] == ["queryset"]
        and isinstance(parents.get(assign), ast.ClassDef)
    )


def direct_queries(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            if not _schema_queryset(node, parents):
                found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.ImportFrom):
            found += [
                (node.lineno, f"import {alias.name}")
                for alias in node.names
                if alias.name in FORBIDDEN_NAMES
            ]
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_the_view_modules_are_found():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {"deputies/views.py", "suggestions/views/staff.py", "oversight/api/views.py"} <= names
    assert {"dutyreports/evaluation_views.py", "public/staff_views.py"} <= names
    assert names >= ALLOWED_MODULES  # an entry for a module that is gone must go too


def test_views_and_api_fetch_through_selectors():
    offences = {
        name: found
        for path in view_modules()
        if (name := str(path.relative_to(ROOT))) not in ALLOWED_MODULES
        and (found := direct_queries(path))
    }
    assert offences == {}, (
        "Views and API modules fetch through the app's selectors (docs/architecture.md): "
        f"{offences}"
    )


def test_the_check_sees_a_direct_query(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "from django.shortcuts import get_object_or_404\n"
        "class V:\n"
        "    queryset = Deputy.objects.none()\n"
        "def page(request, pk):\n"
        "    Deputy.objects.filter(pk=pk)\n"
        "    return get_object_or_404(Deputy, pk=pk)\n"
    )
    assert direct_queries(module) == [
        "1: import get_object_or_404",
        "5: .objects",
        "6: get_object_or_404",
    ]
