"""``manage.py import_roster``: saves a clean file, refuses one with errors (exit 1) and names
every bad row as Excel does."""

import io
import subprocess
import sys
import tracemalloc

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import Deputy
from rosters import deputy_roster
from tests.rosters.helpers import DEPUTY_HEADER, workbook_bytes
from tests.rosters.test_deputy_roster import ID_1, ID_3


def write(tmp_path, rows):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(workbook_bytes(DEPUTY_HEADER, rows))
    return path


def row(n, name, number, station="甲一镇代表之家"):
    return (n, name, None, number, None, None, station, "县", 18, "第1选区", None)


@pytest.mark.django_db
def test_a_clean_file_is_imported_and_a_second_run_changes_nothing(world, tmp_path, capsys):
    path = write(tmp_path, [row(1, "王小明", ID_1), row(2, "赵强", ID_3)])
    call_command("import_roster", str(path))
    assert "2 rows: 2 to create, 0 to update" in capsys.readouterr().out
    call_command("import_roster", str(path))
    assert "0 to create, 0 to update, 2 unchanged" in capsys.readouterr().out
    assert Deputy.objects.filter(name__in=["王小明", "赵强"]).count() == 2


@pytest.mark.django_db
def test_a_file_with_errors_exits_1_with_the_report_and_saves_nothing(world, tmp_path, capsys):
    path = write(tmp_path, [row(1, "王小明", ID_1), row(2, "赵强", ID_3, station="无此站")])
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", str(path))
    assert raised.value.returncode == 1
    assert "1 errors, nothing saved" in str(raised.value)
    assert capsys.readouterr().err.splitlines() == ["第5行 G列“进驻家站”:没有名为“无此站”的家站"]
    assert not Deputy.objects.filter(name="王小明").exists()


@pytest.mark.django_db
def test_dry_run_saves_nothing(world, tmp_path, capsys):
    path = write(tmp_path, [row(1, "王小明", ID_1)])
    call_command("import_roster", str(path), "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert not Deputy.objects.filter(name="王小明").exists()


def test_the_exit_status_seen_by_a_shell_is_1(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"not a workbook")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_roster", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "congress_portal.settings.test", "PATH": ""},
    )
    assert result.returncode == 1, result.stderr
    assert "nothing saved" in result.stderr


def _command_peak(tmp_path, rows: int) -> int:
    from tests.rosters.test_streaming import person

    path = tmp_path / f"名册{rows}.xlsx"
    path.write_bytes(workbook_bytes(DEPUTY_HEADER, [person(n) for n in range(rows)]))
    out = io.StringIO()
    tracemalloc.start()
    try:
        call_command("import_roster", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"{rows} rows: " in out.getvalue()
    return peak


@pytest.mark.django_db
def test_the_command_does_not_hold_the_rows(world, tmp_path, monkeypatch):
    """The command writes each row's outcome out as the roster hands it on: what may grow with
    the file is what the deputies roster keeps per person (test_streaming), not the report."""
    monkeypatch.setattr(deputy_roster, "CHUNK", 500)
    _command_peak(tmp_path, 50)  # the caches a process keeps (translations, …)
    small, large = _command_peak(tmp_path, 1500), _command_peak(tmp_path, 6000)
    assert large - small < 4500 * 600, (small, large)
