"""Mutation testing of the critical modules: does a test fail when the code is wrong?

A self-contained AST mutator. Each mutant changes one thing in one module — a comparison flipped
(``<`` ↔ ``<=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in`` …), an integer or a ``Decimal("…")``
constant moved by one (±1 in its last digit), ``and`` ↔ ``or``, a ``not`` dropped, an ``if``
condition negated, a statement deleted, a returned value replaced by ``None`` —
and the module's tests run against it in a subprocess (SQLite, a per-mutant timeout). A mutant
is killed when the tests fail or time out. Mutants on lines the tests never execute survive
without running (they cannot be killed). Equivalent mutants — no test could tell them from the
original — are listed in EQUIVALENT with the reason, and left out of the score.

    .venv/bin/python bench/mutation.py                      # every module (about 20 min)
    .venv/bin/python bench/mutation.py core/masking.py      # one module
    .venv/bin/python bench/mutation.py --list core/masking.py   # the mutants, not run

The same file is the pytest plugin that puts a mutant in place (``-p bench.mutation`` with
MUTATION_TARGET / MUTATION_SOURCE set): an import hook hands the mutated source to whoever
imports the module, so nothing on disk changes and two mutants can run side by side. Not part
of CI (slow); results are written to bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import dataclasses
import datetime
import importlib.abc
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each module with the test files that exercise it, most targeted first (the run stops at the
# first failure, so a mutant is usually killed within seconds).
MODULES: dict[str, tuple[str, ...]] = {
    "core/idnumbers.py": (
        "tests/core/test_idnumbers.py",
        "tests/core/test_idnumbers_properties.py",
    ),
    "core/masking.py": (
        "tests/core/test_masking.py",
        "tests/core/test_masking_properties.py",
    ),
    "core/workdays.py": (
        "tests/core/test_workdays.py",
        "tests/core/test_workdays_properties.py",
    ),
    "deputies/scoring.py": (
        "tests/deputies/test_scoring.py",
        "tests/deputies/test_scoring_boundaries.py",
    ),
    "suggestions/services.py": (
        "tests/suggestions/test_lifecycle.py",
        "tests/suggestions/test_state_table.py",
        "tests/suggestions/test_refusals.py",
        "tests/suggestions/test_evaluation_boundaries.py",
        # The Hypothesis state machine (test_lifecycle_machine.py) is left out: it would double
        # the time of every surviving mutant and the tables above already decide each step.
    ),
    "accounts/access.py": (
        "tests/accounts/test_access_policy.py",
        "tests/accounts/test_scoping.py",
    ),
    "core/uploads.py": (
        "tests/core/test_uploads_boundaries.py",
        "tests/core/test_uploads.py",
        "tests/core/test_uploads_request_limit_paths.py",
        "tests/core/test_reencode.py",
        "tests/core/test_table_validator.py",
        "tests/core/test_tables.py",
        "tests/security/test_photo_uploads.py",
    ),
}

# Equivalent mutants, by the key the report prints (``function: operator: before → after``):
# no input can tell them from the original, so they are left out of the score. Each says why.
EQUIVALENT: dict[str, dict[str, str]] = {
    "core/idnumbers.py": {
        # bool is an int: without its own branch True still becomes str(True) in the next one.
        "id_number_from_cell: delete: if isinstance(value, bool): → <deleted>": "same str()",
        # Without the int branch an int reaches the text branch, which gives str(value) too:
        # the digits (and a minus) have no space, no E and no x to fold.
        "id_number_from_cell: delete: if isinstance(value, int): → <deleted>": "same str()",
    },
    "deputies/scoring.py": {
        # Reached only when another process creates the year's scheme between the lookup at the
        # top and get_or_create (a race): one process cannot get there.
        "scheme_for: delete: if not created: → <deleted>": "only reached in a race",
        "scheme_for: return: return scheme → return None #2": "only reached in a race",
    },
    "suggestions/services.py": {
        # The lock only orders two registrations of the same county at the same moment; one
        # process cannot tell (the unique constraint on county and number is the backstop).
        "_next_number: delete: Region.objects.select_for_update().filter(pk=suggestion.county_id)"
        ".first() → <deleted>": "a lock: only concurrent registrations can tell",
    },
    "core/uploads.py": {
        # Both magic numbers looked for are at most 8 bytes long: a 9th byte read changes nothing.
        "_read_head: constant: 8 → 9": "the longest magic number is 8 bytes",
        # zipfile.is_zipfile and zipfile.ZipFile seek for themselves (to the end, where the
        # central directory is): where the file was left before them does not matter.
        "_read_head: delete: uploaded_file.seek(0) → <deleted> #2": "zipfile seeks itself",
        "_read_head: constant: 0 → 1 #2": "zipfile seeks itself",
        "validate_xlsx: delete: uploaded_file.seek(0) → <deleted>": "zipfile seeks itself",
        "validate_xlsx: constant: 0 → 1": "zipfile seeks itself",
        # The same for the table formats: zipfile.is_zipfile / ZipFile and olefile.OleFileIO seek
        # for themselves, and _read_head has already rewound the file before the text is read.
        "_check_table_zip: delete: uploaded_file.seek(0) → <deleted>": "zipfile seeks itself",
        "_check_table_zip: constant: 0 → 1": "zipfile seeks itself",
        "_check_table_zip: delete: uploaded_file.seek(0) → <deleted> #2": "zipfile seeks itself",
        "_check_table_zip: constant: 0 → 1 #2": "zipfile seeks itself",
        "_check_ole: delete: uploaded_file.seek(0) → <deleted>": "olefile seeks itself",
        "_check_ole: constant: 0 → 1": "olefile seeks itself",
        "_check_text: delete: uploaded_file.seek(0) → <deleted>": "_read_head rewound it",
        # PIL.Image.open begins with fp.seek(0) (or reads a copy when it cannot seek): where the
        # file was left before it does not matter.
        "validate_image: delete: uploaded_file.seek(0) → <deleted>": "Image.open seeks itself",
        "validate_image: constant: 0 → 1": "Image.open seeks itself",
        "validate_image: delete: uploaded_file.seek(0) → <deleted> #2": "Image.open seeks itself",
        "validate_image: constant: 0 → 1 #4": "Image.open seeks itself",
        "reencode_image: delete: uploaded_file.seek(0) → <deleted>": "Image.open seeks itself",
        "reencode_image: constant: 0 → 1": "Image.open seeks itself",
        "image_format_of: delete: handle.seek(0) → <deleted>": "Image.open seeks itself",
        "image_format_of: constant: 0 → 1": "Image.open seeks itself",
        # Image.open(..., formats=IMAGE_FORMATS) opens nothing else, so the format check after
        # it can never be false.
        "validate_image: delete: if image.format not in IMAGE_FORMATS: → <deleted>": "formats=",
        # The third decimal is never tried: ``other`` is written with at most one decimal, so the
        # two-decimal text already differs from it (a flaw of _format_mb, reported, not fixed
        # here: another change rewrites this module).
        "_format_mb: constant: 3 → 4": "the third decimal is never reached",
        "_format_mb: constant: 3 → 2": "the third decimal is never reached",
        # Pillow refuses a JPEG, PNG or WebP of zero width or height at Image.open (it raises
        # UnidentifiedImageError, refused the same way), so the size check after it is a guard
        # that no allowed file reaches.
        "validate_image: delete: if width <= 0 or height <= 0: → <deleted>": "Pillow refuses 0",
        "validate_image: boolop: width <= 0 or height <= 0 → width <= 0 and height <= 0": (
            "Pillow refuses 0"
        ),
        "validate_image: compare: width <= 0 → width < 0": "Pillow refuses 0",
        "validate_image: compare: height <= 0 → height < 0": "Pillow refuses 0",
        "validate_image: constant: 0 → -1 #2": "Pillow refuses 0",
        "validate_image: constant: 0 → -1 #3": "Pillow refuses 0",
        # The head only has to hold the longest magic number (8 bytes).
        "validate_table: constant: 512 → 513": "only the first 8 bytes are compared",
        "validate_table: constant: 512 → 511": "only the first 8 bytes are compared",
        # zipfile.ZipFile raises BadZipFile on what is_zipfile refuses, and that is refused alike.
        "_check_table_zip: delete: if not zipfile.is_zipfile(uploaded_file): → <deleted>": (
            "BadZipFile is refused the same way"
        ),
        # openpyxl.DEFUSEDXML is openpyxl.xml.DEFUSEDXML (re-exported), so both are always equal.
        "<module>: boolop: not openpyxl_xml.DEFUSEDXML or not openpyxl.DEFUSEDXML → not "
        "openpyxl_xml.DEFUSEDXML and (not openpyxl.DEFUSEDXML)": "the same flag",
    },
    "core/masking.py": {
        # max(len(value) - 4, 0) is only reached when len(value) > 4, so the first argument is
        # at least 1 and the floor of 0, 1 or -1 never decides anything.
        "mask_for_audit: constant: 0 → 1": "the floor is never reached (length > 4 there)",
        "mask_for_audit: constant: 0 → -1": "the floor is never reached (length > 4 there)",
    },
}

# Which mutants of which operators to make (all, by default).
OPERATORS = ("compare", "constant", "boolop", "not", "negate-if", "delete", "return")

COMPARE_SWAP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
DELETABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Raise, ast.If, ast.With)


# --- making mutants ---------------------------------------------------------------------------


@dataclasses.dataclass
class Mutant:
    module: str
    number: int
    operator: str
    function: str
    line: int
    lines: tuple[int, int]
    before: str
    after: str
    source: str = dataclasses.field(repr=False, default="")
    key: str = ""
    outcome: str = ""  # killed, timeout, survived, uncovered, excluded, error
    seconds: float = 0.0
    tests: int = 0  # the tests run against it (those that execute its lines)


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_docstring(node: ast.AST, parent: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and parent is not None
        and getattr(parent, "body", [None])[0] is node
    )


def _is_not(node: ast.AST) -> bool:
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)


def _bump_decimal(text: str) -> str | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return None
    return str(value + Decimal(1).scaleb(exponent))


class _Sites(ast.NodeVisitor):
    """Every place a mutant can be made, in a fixed order, with the function it is in."""

    def __init__(self) -> None:
        self.sites: list[tuple[ast.AST, ast.AST | None, str, str]] = []  # node, parent, fn, op
        self.stack: list[str] = []
        self.parents: list[ast.AST] = []
        self.in_function = 0

    def _enter(self, node: ast.AST, name: str | None = None) -> None:
        if name:
            self.stack.append(name)
        self.parents.append(node)
        for child in ast.iter_child_nodes(node):
            self.visit(child)
        self.parents.pop()
        if name:
            self.stack.pop()

    @property
    def function(self) -> str:
        return ".".join(self.stack) or "<module>"

    def _add(self, node: ast.AST, operator: str) -> None:
        parent = self.parents[-1] if self.parents else None
        self.sites.append((node, parent, self.function, operator))

    def visit_FunctionDef(self, node):  # noqa: N802
        self.in_function += 1
        self._enter(node, node.name)
        self.in_function -= 1

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_ClassDef(self, node):  # noqa: N802
        self._enter(node, node.name)

    def generic_visit(self, node):
        parent = self.parents[-1] if self.parents else None
        if _is_docstring(node, parent):
            return
        if isinstance(node, ast.stmt) and self.in_function:
            if isinstance(node, DELETABLE):
                self._add(node, "delete")
            returns_none = isinstance(node, ast.Return) and (
                node.value is None
                or (isinstance(node.value, ast.Constant) and node.value.value is None)
            )
            if isinstance(node, ast.Return) and not returns_none:
                self._add(node, "return")
            # "if not x" negated is "if x": the same mutant as dropping the "not".
            if isinstance(node, ast.If) and not _is_not(node.test):
                self._add(node, "negate-if")
        if isinstance(node, ast.Compare):
            for index in range(len(node.ops)):
                self._add(node, f"compare:{index}")
        elif isinstance(node, ast.BoolOp):
            self._add(node, "boolop")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._add(node, "not")
        elif isinstance(node, ast.IfExp) and not _is_not(node.test):
            self._add(node, "negate-if")
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, int) and not isinstance(value, bool):
                self._add(node, "constant:+1")
                self._add(node, "constant:-1")
            elif (
                isinstance(value, str)
                and isinstance(parent, ast.Call)
                and isinstance(parent.func, ast.Name)
                and parent.func.id == "Decimal"
                and _bump_decimal(value) is not None
            ):
                self._add(node, "constant:decimal")
        self._enter(node)


def _replace(parent: ast.AST, old: ast.AST, new: ast.AST | None) -> None:
    """Put ``new`` where ``old`` is in ``parent`` (``None``: delete the statement)."""
    for field, value in ast.iter_fields(parent):
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is old:
                    if new is None:
                        del value[i]
                        if not value and field == "body":
                            value.append(ast.Pass())
                    else:
                        value[i] = new
                    return
        elif value is old:
            setattr(parent, field, new)
            return
    raise LookupError("node not found in its parent")


def _mutate(node: ast.AST, parent: ast.AST | None, operator: str) -> tuple[ast.AST | None, str]:
    """The replacement for ``node`` (None: deleted) and how it reads."""
    if operator.startswith("compare:"):
        index = int(operator.split(":")[1])
        new = copy.deepcopy(node)
        new.ops[index] = COMPARE_SWAP[type(node.ops[index])]()
        return new, ast.unparse(new)
    if operator == "constant:+1":
        return ast.Constant(node.value + 1), repr(node.value + 1)
    if operator == "constant:-1":
        return ast.Constant(node.value - 1), repr(node.value - 1)
    if operator == "constant:decimal":
        bumped = _bump_decimal(node.value)
        return ast.Constant(bumped), repr(bumped)
    if operator == "boolop":
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        return new, ast.unparse(new)
    if operator == "not":
        return node.operand, ast.unparse(node.operand)
    if operator == "negate-if":
        new = copy.deepcopy(node)
        new.test = ast.UnaryOp(ast.Not(), new.test)
        return new, f"if not ({ast.unparse(node.test)})"
    if operator == "delete":
        return None, "<deleted>"
    if operator == "return":
        return ast.Return(ast.Constant(None)), "return None"
    raise ValueError(operator)


def _describe(node: ast.AST, operator: str) -> str:
    if operator == "negate-if":
        return f"if {ast.unparse(node.test)}"
    if operator == "delete" and isinstance(node, ast.If | ast.With):
        return ast.unparse(node).splitlines()[0]
    return ast.unparse(node)


def make_mutants(module: str, operators=OPERATORS) -> list[Mutant]:
    path = ROOT / module
    source = path.read_text(encoding="utf-8")
    sites = _Sites()
    sites.visit(ast.parse(source))
    mutants: list[Mutant] = []
    seen: dict[str, int] = {}
    for number, (node, _parent, function, operator) in enumerate(sites.sites):
        if operator.split(":")[0] not in operators:
            continue
        # Mutate a fresh copy: find the same site by its position in the same walk.
        tree = ast.parse(source)
        walk = _Sites()
        walk.visit(tree)
        target, target_parent, _function, _operator = walk.sites[number]
        new, after = _mutate(target, target_parent, operator)
        before = _describe(target, operator)
        _replace(target_parent, target, new)
        ast.fix_missing_locations(tree)
        try:
            mutated = ast.unparse(tree)
            compile(mutated, str(path), "exec")
        except (SyntaxError, ValueError):
            continue
        kind = operator.split(":")[0]
        key = f"{function}: {kind}: {_short(before)} → {_short(after)}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key} #{seen[key]}"
        mutants.append(
            Mutant(
                module=module,
                number=len(mutants) + 1,
                operator=kind,
                function=function,
                line=node.lineno,
                lines=(node.lineno, node.end_lineno or node.lineno),
                before=_short(before),
                after=_short(after),
                source=mutated,
                key=key,
            )
        )
    return mutants


# --- the pytest plugin: a mutant in place, or the lines the tests execute -----------------------


class _MutantLoader(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, name: str, path: str, source: str) -> None:
        self.name, self.path, self.source = name, path, source

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        return importlib.util.spec_from_file_location(fullname, self.path, loader=self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(self.source, self.path, "exec"), module.__dict__)


def _module_name(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


# Lines of the target module executed, by the test that executed them ("" for lines run outside
# any test: imports, collection).
_traced: dict[str, set[int]] = {}
_current_test = ""


def _install() -> None:
    target = os.environ.get("MUTATION_TARGET")
    if not target:
        return
    path = str(ROOT / target)
    source_file = os.environ.get("MUTATION_SOURCE")
    if source_file:
        source = Path(source_file).read_text(encoding="utf-8")
        sys.meta_path.insert(0, _MutantLoader(_module_name(target), path, source))
    if os.environ.get("MUTATION_TRACE"):

        def local(frame, event, arg):
            if event == "line":
                _traced.setdefault(_current_test, set()).add(frame.f_lineno)
            return local

        def trace(frame, event, arg):
            if frame.f_code.co_filename == path:
                _traced.setdefault(_current_test, set()).add(frame.f_lineno)
                return local
            return None

        sys.settrace(trace)
        threading.settrace(trace)


def pytest_runtest_logstart(nodeid, location):
    global _current_test
    _current_test = nodeid


def pytest_runtest_logfinish(nodeid, location):
    global _current_test
    _current_test = ""


def pytest_sessionfinish(session, exitstatus):
    out = os.environ.get("MUTATION_TRACE")
    if out:
        lines = {test: sorted(lines) for test, lines in _traced.items()}
        Path(out).write_text(json.dumps(lines), encoding="utf-8")


if __name__ != "__main__":
    _install()


# --- running ----------------------------------------------------------------------------------


class Runner:
    def __init__(self, workdir: Path, jobs: int) -> None:
        self.workdir = workdir
        self.jobs = jobs
        self.template = workdir / "template.sqlite3"
        self.slots: list[int] = list(range(jobs))
        self.lock = threading.Lock()
        self.zygotes: dict[int, subprocess.Popen] = {}
        for slot in range(jobs + 1):
            (workdir / f"settings_w{slot}.py").write_text(
                "from congress_portal.settings.test import *  # noqa: F403\n"
                f"DATABASES['default']['TEST'] = {{'NAME': {str(workdir / f'w{slot}.sqlite3')!r}}}\n",  # noqa: F405
                encoding="utf-8",
            )

    def env(self, slot: int, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "MUTATION_SOURCE")
        }
        env["PYTHONPATH"] = os.pathsep.join([str(self.workdir), str(ROOT)])
        env["DJANGO_SETTINGS_MODULE"] = f"settings_w{slot}"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.update(extra)
        return env

    def _zygote(self, slot: int) -> subprocess.Popen:
        """The slot's process with the libraries imported: each run is a fork of it, which
        spares every mutant a second or two of imports."""
        if slot not in self.zygotes:
            self.zygotes[slot] = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--zygote"],
                cwd=ROOT,
                env=self.env(slot),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        return self.zygotes[slot]

    def close(self) -> None:
        for zygote in self.zygotes.values():
            zygote.stdin.close()
            zygote.wait(timeout=60)

    def build_template(self) -> None:
        """The migrated test database, built once and copied before every run (a run may
        flush it)."""
        slot = self.jobs  # a slot of its own
        code = (
            "import django; django.setup()\n"
            "from django.test.utils import setup_databases\n"
            "setup_databases(verbosity=0, interactive=False, keepdb=True, serialized_aliases=[])\n"
        )
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=self.env(slot), check=True, timeout=600
        )
        built = self.workdir / f"w{slot}.sqlite3"
        with sqlite3.connect(built) as connection:
            connection.execute("PRAGMA journal_mode=DELETE")  # everything in the one file
        shutil.move(built, self.template)

    def run(self, module: str, tests, *, source: str | None, timeout: float, trace=None):
        with self.lock:
            slot = self.slots.pop()
        try:
            database = self.workdir / f"w{slot}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.template, database)
            extra = {"MUTATION_TARGET": module}
            if source is not None:
                mutant_file = self.workdir / f"mutant_w{slot}.py"
                mutant_file.write_text(source, encoding="utf-8")
                extra["MUTATION_SOURCE"] = str(mutant_file)
            if trace is not None:
                extra["MUTATION_TRACE"] = str(trace)
            args = ["-p", "bench.mutation", "-x", "-q", "--reuse-db", "-p", "no:cacheprovider"]
            log = self.workdir / f"output_w{slot}.txt"
            request = {"env": extra, "args": [*args, *tests], "log": str(log), "timeout": timeout}
            zygote = self._zygote(slot)
            zygote.stdin.write(json.dumps(request) + "\n")
            zygote.stdin.flush()
            answer = json.loads(zygote.stdout.readline())
            output = log.read_text(encoding="utf-8", errors="replace")
            return answer["code"], answer["seconds"], output
        finally:
            with self.lock:
                self.slots.append(slot)


def run_module(
    runner: Runner, module: str, tests, *, verbose: bool, retry: set[str] | None = None
) -> list[Mutant]:
    missing = [t for t in tests if not (ROOT / t).exists()]
    tests = [t for t in tests if (ROOT / t).exists()]
    if missing:
        print(f"  (test files not present, left out: {', '.join(missing)})")
    trace = runner.workdir / "trace.json"
    code, seconds, output = runner.run(module, tests, source=None, timeout=1800, trace=trace)
    if code != 0:
        print(output[-3000:])
        raise SystemExit(f"{module}: the tests fail without a mutant (exit {code})")
    by_test = {test: set(lines) for test, lines in json.loads(trace.read_text()).items()}
    covered = set().union(*by_test.values()) if by_test else set()
    order = [test for test in by_test if test]  # as they ran: the module's files in MODULES order
    timeout = max(30.0, seconds * 3)
    print(f"  baseline: {len(tests)} test files pass in {seconds:.1f} s; timeout {timeout:.0f} s")
    mutants = make_mutants(module)
    equivalent = EQUIVALENT.get(module, {})
    todo = []
    for mutant in mutants:
        if mutant.key in equivalent:
            mutant.outcome = "excluded"
        elif retry is not None and mutant.key not in retry:
            mutant.outcome = "killed"  # by the earlier run that --retry names
        elif not covered.intersection(range(mutant.lines[0], mutant.lines[1] + 1)):
            mutant.outcome = "uncovered"
        else:
            todo.append(mutant)
    unknown = set(equivalent) - {m.key for m in mutants}
    for key in sorted(unknown):
        print(f"  ! exclusion matches no mutant (code changed?): {key}")

    def selected(mutant: Mutant) -> list[str]:
        """Only the tests that execute the mutated lines (a test that never runs a line cannot
        see it change); all the files when a line runs at import, outside any test."""
        lines = set(range(mutant.lines[0], mutant.lines[1] + 1))
        if lines & by_test.get("", set()):
            return list(tests)
        return [test for test in order if lines & by_test[test]]

    def one(mutant: Mutant) -> Mutant:
        chosen = selected(mutant)
        mutant.tests = len(chosen)
        code, seconds, output = runner.run(module, chosen, source=mutant.source, timeout=timeout)
        mutant.seconds = seconds
        if code == "timeout":
            mutant.outcome = "timeout"
        elif code == 0:
            mutant.outcome = "survived"
        elif code in (4, 5):  # usage error, no tests: the run itself is wrong
            mutant.outcome = "error"
            print(output[-2000:])
        else:
            mutant.outcome = "killed"
        if verbose or mutant.outcome in ("survived", "error"):
            print(f"  {mutant.outcome:8} L{mutant.line:<4} {mutant.key}", flush=True)
        return mutant

    with ThreadPoolExecutor(max_workers=runner.jobs) as pool:
        list(pool.map(one, todo))
    for mutant in mutants:
        if mutant.outcome == "uncovered":
            print(f"  uncovered L{mutant.line:<4} {mutant.key}")
    return mutants


def summary(mutants: list[Mutant]) -> dict:
    counts = {o: 0 for o in ("killed", "timeout", "survived", "uncovered", "excluded", "error")}
    for mutant in mutants:
        counts[mutant.outcome] += 1
    relevant = len(mutants) - counts["excluded"]
    killed = counts["killed"] + counts["timeout"]
    counts["total"] = len(mutants)
    counts["score"] = round(100 * killed / relevant, 1) if relevant else 100.0
    return counts


# Imported once by each slot's process before it forks a run: third-party libraries only (the
# project's modules are imported by each run, so a mutant can take their place).
PRELOAD = (
    "pytest",
    "pytest_django",
    "hypothesis",
    "django.test",
    "django.db.models",
    "rest_framework",
    "celery",
    "openpyxl",
    "xlsxwriter",
    "PIL.Image",
    "pypinyin",
    "stdnum.cn.ric",
    "chinese_calendar",
    "cryptography.fernet",
)


def zygote() -> int:
    """Read run requests (JSON lines) on stdin; fork a pytest run for each, answer on stdout."""
    import signal

    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
    for name in PRELOAD:
        # A library that wants settings at import is left to the run to import.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.environ.update(request["env"])
            sys.path[:0] = [p for p in os.environ["PYTHONPATH"].split(os.pathsep) if p]
            with open(request["log"], "w") as log:
                os.dup2(log.fileno(), 1)
                os.dup2(log.fileno(), 2)
            import pytest

            code = pytest.main(request["args"])
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(code))
        deadline = started + request["timeout"]
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                code = "timeout"
                break
            time.sleep(0.02)
        answer = {"code": code, "seconds": time.monotonic() - started}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


def main() -> int:
    if sys.argv[1:] == ["--zygote"]:
        return zygote()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run side by side")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--verbose", action="store_true", help="print every mutant's outcome")
    parser.add_argument(
        "--retry",
        metavar="LOG",
        action="append",
        help="run again only the mutants that survived in this earlier run's output (the code "
        "must be unchanged since); the others count as killed by that run",
    )
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    for module in modules:
        if module not in MODULES:
            parser.error(f"unknown module {module}; known: {', '.join(MODULES)}")
    if args.list:
        for module in modules:
            for mutant in make_mutants(module):
                excluded = " (equivalent)" if mutant.key in EQUIVALENT.get(module, {}) else ""
                print(f"{module}:{mutant.line}: {mutant.key}{excluded}")
        return 0
    started = time.monotonic()
    results: dict[str, dict] = {}
    details: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="mutation-") as workdir:
        runner = Runner(Path(workdir), args.jobs)
        print("building the test database once …", flush=True)
        runner.build_template()
        try:
            for module in modules:
                results[module], details[module] = _measure(
                    runner, module, args.verbose, retry=_survivors(args.retry, module)
                )
        finally:
            runner.close()
    _report(results, details, started)
    return 0


def _measure(
    runner: Runner, module: str, verbose: bool, retry: set[str] | None = None
) -> tuple[dict, list[dict]]:
    print(f"{module}", flush=True)
    started = time.monotonic()
    mutants = run_module(runner, module, MODULES[module], verbose=verbose, retry=retry)
    r = summary(mutants)
    r["seconds"] = round(time.monotonic() - started)
    print(
        f"  {module}: {r['score']} % killed ({r['killed'] + r['timeout']} of "
        f"{r['total'] - r['excluded']}; {r['survived']} survived, {r['uncovered']} "
        f"not executed, {r['excluded']} equivalent) in {r['seconds']} s",
        flush=True,
    )
    details = [{k: v for k, v in dataclasses.asdict(m).items() if k != "source"} for m in mutants]
    return r, details


def _survivors(logs: list[str] | None, module: str) -> set[str] | None:
    """The keys of the mutants of ``module`` that survived (or were not executed) in the earlier
    runs' output; None (run them all) when no log has the module."""
    keys: set[str] | None = None
    for log in logs or ():
        current = None
        for line in Path(log).read_text(encoding="utf-8").splitlines():
            if line in MODULES:
                current = line
                if current == module and keys is None:
                    keys = set()
            match = re.match(r"^\s+(survived|uncovered)\s+L\d+\s+(.*)$", line)
            if match and current == module:
                keys.add(match.group(2))
    return keys


def _report(results: dict, details: dict, started: float) -> None:
    print()
    print(f"{'module':28} {'mutants':>8} {'equiv.':>7} {'killed':>7} {'survived':>9} {'score':>7}")
    for module, r in results.items():
        print(
            f"{module:28} {r['total']:>8} {r['excluded']:>7} {r['killed'] + r['timeout']:>7} "
            f"{r['survived'] + r['uncovered']:>9} {r['score']:>6}%"
        )
    print(f"total time {time.monotonic() - started:.0f} s")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"mutation-{stamp}.json").write_text(
        json.dumps({"summary": results, "mutants": details}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


if __name__ == "__main__":
    sys.exit(main())
