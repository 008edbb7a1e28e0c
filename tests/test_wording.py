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


def test_deputies_suggestions_are_registered_not_filed_as_proposals():
    """立案 and 不予立案 are the words of 政协 proposals (提案); a deputy's suggestion is 登记 and
    交办, or 不作为代表建议处理 (issue 20). Comments may name the difference; what users read may
    not use the words."""
    import re

    quoted = re.compile(r"""["'][^"'\n]*立案""")
    offending = [
        str(path.relative_to(ROOT))
        for path in SOURCES
        if (
            "立案" in path.read_text(encoding="utf-8")
            if path.suffix == ".html"
            else quoted.search(path.read_text(encoding="utf-8"))
        )
    ]
    assert offending == []


def test_every_assigned_suggestion_is_not_called_supervised():
    """督办 is what leaders do to key suggestions (重点督办); every assigned one is 交办."""
    import re

    translated = re.compile(r"""(?:_|gettext_lazy|translate)\(?\s*["']([^"'\n]*)["']""")
    offending = [
        f"{path.relative_to(ROOT)}: {text}"
        for path in SOURCES
        for text in translated.findall(path.read_text(encoding="utf-8"))
        if "督办建议" in text or "交办督办" in text or text == "督办"
    ]
    assert offending == []
