"""The project catalogue (locale/) translates what the third-party apps leave in English; its
compiled .mo is committed and must match the .po, or the admin shows English again."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)


def catalogue() -> list[tuple[str, str]]:
    def text(lines: str) -> str:
        return "".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', lines))

    entries = [(text(m.group(1)), text(m.group(2))) for m in ENTRY.finditer(PO.read_text())]
    return [(msgid, msgstr) for msgid, msgstr in entries if msgid]


def test_every_entry_is_translated_at_run_time():
    entries = catalogue()
    assert len(entries) > 100
    with translation.override("zh-hans"):
        untranslated = [
            msgid for msgid, msgstr in entries if translation.gettext(msgid) != msgstr or not msgstr
        ]
    assert untranslated == []


def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    # Never skipped: scripts/test.sh installs gettext; without it this says what is missing.
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed: sudo apt-get install -y gettext"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), (
        "locale/zh_Hans/LC_MESSAGES/django.mo is stale: run msgfmt -o django.mo django.po"
    )
