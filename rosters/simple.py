"""Rosters of one record per row matched by a natural key (stations, handling units, voters):
read each row, resolve its references, ignore exact repeats, then create what is new and update
what differs, all in one transaction. An empty cell leaves an existing value as it is."""

import abc
import dataclasses
import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import scoped
from core.pinyin import fill_name_keys
from directory.models import Region

from . import cells
from .base import Preview, RowError, RowResult, RowStatus, chunked
from .sheets import Column, Sheet
from .values import Lookup, remembered_values, vocabularies

CHUNK = 2000


@dataclasses.dataclass
class RowReader:
    sheet: Sheet
    line: int
    raw: tuple
    result: RowResult
    values: dict = dataclasses.field(default_factory=dict)

    def cell(self, key):
        return self.sheet.cell(self.raw, key)

    def fail(self, key: str | None, message: str) -> None:
        column = self.sheet.column_of(key) if key else ""
        self.result.errors.append(RowError(self.line, column, message))

    def read(self, key, parse=cells.text, *, required_label: str = "", max_length: int = 0):
        try:
            value = parse(self.cell(key))
        except cells.CellError as error:
            self.fail(key, str(error))
            value = None
        else:
            if required_label and value in (None, ""):
                self.fail(key, _("%(c)s为空") % {"c": required_label})
            elif max_length and value and len(value) > max_length:
                self.fail(key, _("超过%(n)d个字") % {"n": max_length})
        self.values[key] = value
        return value


class CountyResolver:
    """The county a row belongs to: its 所属县 cell among the counties the user sees, or the
    user's own county (or the only county there is)."""

    def __init__(self, user):
        counties = Region.objects.filter(level=Region.Level.COUNTY)
        if user is not None:
            counties = scoped(counties, user, "region")
        self.by_name = {cells.compact(c.name): c for c in counties}
        self.by_pk = {c.pk: c for c in self.by_name.values()}
        own = user.scope.county if user is not None else None
        self.default = next((c for c in self.by_name.values() if c.pk == own), None)
        if self.default is None and len(self.by_name) == 1:
            self.default = next(iter(self.by_name.values()))

    def resolve(self, reader: RowReader, key: str = "county") -> Region | None:
        name = cells.compact(reader.cell(key))
        if not name:
            if self.default is None:
                reader.fail(key, _("请填写所属县"))
            return self.default
        county = self.by_name.get(name)
        if county is None:
            reader.fail(key, _("没有名为“%(n)s”的县,或您无权导入该县") % {"n": name})
        return county


class SimpleRoster(abc.ABC):
    KEY = ""
    TITLE = ""
    COLUMNS: tuple[Column, ...] = ()
    MAX_ROWS = 50_000
    model = None
    fields: tuple[str, ...] = ()  # compared and updated
    labels: dict[str, str] = {}  # noqa: RUF012 - field -> label of what changed

    # roster column key -> the fixed list (rosters/values.py) its cells are read from; an unknown
    # value there is listed for staff to map, not a row error
    VALUE_COLUMNS: dict[str, str] = {}  # noqa: RUF012

    def __init__(self, user):
        self.user = user
        self.lookups: dict[str, Lookup] = {}
        if self.VALUE_COLUMNS:
            lists = vocabularies()
            remembered = remembered_values(CountyResolver(user).default)
            self.lookups = {
                key: Lookup(lists[name], remembered.get(name))
                for key, name in self.VALUE_COLUMNS.items()
            }

    def read_value(self, reader: "RowReader", key: str, *, required_label: str = ""):
        """A fixed-list cell: its stored value, or None (empty, or unknown and counted)."""
        cell = reader.cell(key)
        if required_label and not cells.compact(cell):
            reader.fail(key, _("%(c)s为空") % {"c": required_label})
        reader.values[key] = value = self.lookups[key](cell)
        return value

    def unknown_values(self) -> dict[str, dict[str, int]]:
        return {
            self.VALUE_COLUMNS[key]: dict(lookup.unknown)
            for key, lookup in self.lookups.items()
            if lookup.unknown
        }

    # What each roster defines ------------------------------------------------------------------
    @abc.abstractmethod
    def read(self, reader: RowReader) -> None:
        """Read the row's cells into ``reader.values`` (failing bad cells)."""

    @abc.abstractmethod
    def natural_key(self, values: dict) -> tuple:
        """The key that finds a row's record again (e.g. township and name)."""

    def label(self, values: dict) -> str:
        return str(values.get("name") or "")

    @abc.abstractmethod
    def existing(self, keys: list[tuple]) -> dict[tuple, object]:
        """The records already there for ``keys``, in one query."""

    def build(self, values: dict):
        return self.model(**{f: values[f] for f in self.fields if values.get(f) not in (None, "")})

    def differs(self, obj, field: str, value) -> bool:
        return getattr(obj, field) != value

    def prepare(self, batch: list[tuple[int, tuple]]) -> None:
        """Before a chunk's rows are read: look up what they refer to (nothing by default)."""
        return None

    # The common run ----------------------------------------------------------------------------
    def check_and_save(self, sheet: Sheet, *, commit: bool, progress=None, sink=None) -> Preview:
        """Read, check and (on a commit) save the rows ``CHUNK`` at a time as the file is read,
        all of it in one transaction that is rolled back when any row has an error or an
        unknown value. What is kept from chunk to chunk is each record's natural key with the
        row number and a print of its values (the repeats of an earlier row are told by them),
        so a large file is never held whole. Each chunk's outcome goes to ``sink`` when given,
        else it is kept in ``preview.rows``."""
        preview = Preview(roster=self.KEY, header_row=sheet.header_row, mapping=dict(sheet.mapping))
        rows = sheet.rows
        hint = len(rows) if isinstance(rows, list) else rows.total_hint
        self._first: dict[tuple, tuple[int, bytes]] = {}
        self._failed = False
        done = 0
        with transaction.atomic():
            for batch in chunked(rows, CHUNK):
                done += self._chunk(sheet, batch, preview, commit=commit, sink=sink)
                if progress:
                    progress(done, max(hint, done + 1))
            preview.unknown_values = self.unknown_values()
            if preview.ok and not self._failed:
                preview.committed = commit
            else:
                transaction.set_rollback(True)
        if progress:
            progress(done, done)
        return preview

    def _chunk(self, sheet: Sheet, batch: list, preview: Preview, *, commit: bool, sink) -> int:
        self.prepare(batch)
        readers = []
        for line, raw in batch:
            reader = RowReader(sheet, line, raw, RowResult(row=line, label=""))
            self.read(reader)
            reader.result.label = self.label(reader.values)
            readers.append(reader)
        batch.clear()
        new, changed = self._plan(readers)
        # A chunk is saved while every row so far is clean; once one is not, nothing more is
        # written and the transaction is rolled back at the end.
        clean = not any(reader.result.errors for reader in readers)
        if (
            commit
            and clean
            and not self._failed
            and not any(lookup.unknown for lookup in self.lookups.values())
        ):
            self.save(new, changed)
        elif commit or not clean:
            self._failed = True
        preview.take([reader.result for reader in readers], sink)
        return len(readers)

    def _plan(self, readers: list[RowReader]) -> tuple[list, list]:
        first = self._first
        planned = []
        for reader in readers:
            if reader.result.errors:
                continue
            key = self.natural_key(reader.values)
            fingerprint = _print(reader.values)
            earlier = first.setdefault(key, (reader.result.row, fingerprint))
            if earlier[0] == reader.result.row:
                planned.append((key, reader))
            elif earlier[1] == fingerprint:
                reader.result.status = RowStatus.DUPLICATE
                reader.result.changes = [_("与第%(n)d行完全相同,已忽略") % {"n": earlier[0]}]
            else:
                reader.fail(None, _("与第%(n)d行是同一条记录,但内容不同") % {"n": earlier[0]})
        existing = self.existing([key for key, _r in planned]) if planned else {}
        new, changed = [], []
        for key, reader in planned:
            obj = existing.get(key)
            if obj is None:
                new.append(self.build(reader.values))
                reader.result.status = RowStatus.CREATE
                continue
            changes = [
                field
                for field in self.fields
                if reader.values.get(field) not in (None, "")
                and self.differs(obj, field, reader.values[field])
            ]
            for field in changes:
                setattr(obj, field, reader.values[field])
            if changes:
                changed.append(obj)
            reader.result.status = RowStatus.UPDATE if changes else RowStatus.UNCHANGED
            reader.result.changes = [str(self.labels.get(f, f)) for f in changes]
        for reader in readers:
            if reader.result.errors:
                reader.result.status = RowStatus.ERROR
        return new, changed

    def save(self, new: list, changed: list) -> None:
        fields = list(self.fields)
        if any(field.name == "name_pinyin" for field in self.model._meta.fields):
            # Bulk writes skip save(): the pinyin search keys are set here (core/pinyin.py).
            for obj in (*new, *changed):
                fill_name_keys(obj)
            fields += ["name_pinyin", "name_initials"]
        self.model.objects.bulk_create(new, batch_size=CHUNK)
        self.model.objects.bulk_update(changed, fields, batch_size=CHUNK)


def _print(values: dict) -> bytes:
    """A 128-bit print of a row's values (as text), to tell an exact repeat of an earlier row."""
    text = "\x1f".join(f"{key}\x1e{values[key]}" for key in sorted(values))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()
