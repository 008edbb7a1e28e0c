"""The station, handling-unit and voter rosters read, check and save a chunk at a time
(rosters.simple.SimpleRoster): a repeat in a later chunk is still told, a commit that fails in a
later chunk keeps nothing, and memory does not grow with the rows beyond a key and print per
record."""

import itertools
import tracemalloc

import pytest

from linkages.models import Voter
from rosters import simple
from rosters.base import RowStatus
from rosters.services import roster_import
from tests.factories import make_village

HEADER = ("联系代表", "代表身份证号码", "选民姓名", "手机", "村")


def voters(world, rows: int, *, start: int = 0):
    deputy = world.deputy_a1
    for n in range(start, start + rows):
        yield (deputy.name, deputy.id_number, f"选民{n}", f"139{n:08d}", "桥溪村")


def run(users, data, *, commit=False, sink=None):
    return roster_import(
        roster="voters",
        rows=itertools.chain([HEADER], data),
        user=users["staff"],
        commit=commit,
        sink=sink,
    )


@pytest.fixture
def village(world):
    return make_village(world.a1, "桥溪村")


@pytest.mark.django_db
def test_a_repeat_in_a_later_chunk_is_told_and_a_commit_is_chunked(
    world, users, village, monkeypatch
):
    monkeypatch.setattr(simple, "CHUNK", 3)
    data = list(voters(world, 7))
    data.append(data[1])  # row 3 again, as row 9: two chunks later
    data.append((*data[2][:3], "13900000099", "桥溪村"))  # a new phone: another voter
    handed = []
    preview = run(users, data, commit=True, sink=handed.extend)
    assert preview.ok and preview.committed
    assert [r.status for r in handed] == [RowStatus.CREATE] * 7 + [
        RowStatus.DUPLICATE,
        RowStatus.CREATE,
    ]
    assert handed[7].changes == ["与第3行完全相同,已忽略"]
    assert Voter.objects.filter(deputy=world.deputy_a1, village=village).count() == 8
    again = run(users, data, commit=True)
    assert [r.status for r in again.rows].count(RowStatus.UNCHANGED) == 8


@pytest.mark.django_db
def test_an_error_in_a_later_chunk_keeps_nothing(world, users, village, monkeypatch):
    monkeypatch.setattr(simple, "CHUNK", 3)
    data = list(voters(world, 7))
    data.append((None, world.deputy_a1.id_number, "", None, None))  # no voter name
    preview = run(users, data, commit=True)
    assert not preview.ok and not preview.committed
    assert preview.report_lines() == ["第9行 C列“选民姓名”:选民姓名为空"]
    assert not Voter.objects.exists()


def _peak(world, users, rows: int) -> int:
    tracemalloc.start()
    try:
        preview = run(users, voters(world, rows), sink=lambda results: None)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert preview.ok and preview.row_count == rows
    return peak


@pytest.mark.django_db
def test_peak_memory_does_not_grow_with_the_rows(world, users, village, monkeypatch):
    monkeypatch.setattr(simple, "CHUNK", 500)
    _peak(world, users, 50)  # the caches a process keeps (translations, …)
    small, large = _peak(world, users, 1500), _peak(world, users, 6000)
    # Before, every row's reader and result were held to the end (several KiB a row). What may
    # grow now is the natural key and print kept per record to tell repeats.
    assert large - small < 4500 * 600, (small, large)
