"""Every ``from <portal module> import name`` in the repository names something that exists.

Scripts and benchmarks (``bench/``, ``scripts/``) are not imported by the suite, and many of
their imports sit inside functions, so a moved model broke them silently: the load test's setup
still imported ``Level`` from ``deputies.models`` a day after the directory app took it. Every
Python file is parsed (not run); each absolute import of a first-party module is resolved by
importing that module and looking the name up, as Python would at run time."""

import ast
import importlib
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "node_modules", "static", "templates", "var", ".git"}
FIRST_PARTY = {
    path.name
    for path in ROOT.iterdir()
    if path.is_dir() and ((path / "__init__.py").exists() or path.name in ("bench", "scripts"))
} - SKIPPED_DIRS
# Modules that cannot be imported in the test process, with the reason; their importers are checked
# by the run that uses them (bench/settings.py by every benchmark, the smoke script in CI).
NOT_IMPORTABLE_HERE = {
    "congress_portal.settings.production": "refuses to load without the production SECRET_KEY",
}


def python_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
    )


def first_party_imports(path: Path) -> list[tuple[int, str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.level == 0
        and node.module
        and node.module.split(".")[0] in FIRST_PARTY
        and node.module not in NOT_IMPORTABLE_HERE
        for alias in node.names
        if alias.name != "*"
    ]


def _resolves(module_name: str, name: str) -> bool:
    module = importlib.import_module(module_name)
    if hasattr(module, name):
        return True
    # ``from package import submodule``
    return (
        hasattr(module, "__path__")
        and importlib.util.find_spec(f"{module_name}.{name}") is not None
    )


def test_the_test_sees_bench_and_scripts():
    files = {str(path.relative_to(ROOT)) for path in python_files()}
    assert "bench/load/setup.py" in files
    assert "scripts/fault_tests.py" in files
    assert {"accounts", "directory", "stations", "bench"} <= FIRST_PARTY


def test_every_first_party_import_names_something_that_exists():
    broken = []
    for path in python_files():
        for lineno, module_name, name in first_party_imports(path):
            try:
                ok = _resolves(module_name, name)
            except ImportError as error:
                broken.append(f"{path.relative_to(ROOT)}:{lineno}: {module_name} ({error})")
                continue
            if not ok:
                broken.append(f"{path.relative_to(ROOT)}:{lineno}: {name} not in {module_name}")
    assert not broken, "Imports that would fail at run time:\n" + "\n".join(broken)


def test_a_moved_name_is_caught(tmp_path):
    source = tmp_path / "stale.py"
    source.write_text("def run():\n    from deputies.models import Level\n", encoding="utf-8")
    [(lineno, module_name, name)] = first_party_imports(source)
    assert (lineno, module_name, name) == (2, "deputies.models", "Level")
    assert not _resolves(module_name, name)
