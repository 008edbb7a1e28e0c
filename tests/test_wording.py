"""One name for one thing in what users read: the deputies who join a suggestion are 联名代表,
never 附议代表 or a bare 联名 as a role (issue 19)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    path
    for pattern in ("*/*.py", "*/*/*.py", "templates/**/*.html")
    for path in ROOT.glob(pattern)
    if "migrations" not in path.parts and path.parts[len(ROOT.parts)] not in {"tests", ".venv"}
]


def test_the_co_signers_are_called_one_way_everywhere():
    offending = [
        str(path.relative_to(ROOT))
        for path in SOURCES
        if "附议" in path.read_text(encoding="utf-8")
    ]
    assert offending == []
