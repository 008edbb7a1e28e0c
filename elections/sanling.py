"""The "三零" comparison (零漏登、零错登、零重登) of a voter list with a population list.

Both workbooks are streamed with openpyxl in read-only mode; nothing holds a sheet in memory.
Memory is bounded by three dicts of plain integers, whatever the width of the files:

* ``population``: ID number → (residence index × 2 + deceased flag), from a first pass over the
  population list. An 18-character ID number becomes one int (17 digits × 11 + check value);
  township and village names are interned once into ``residences``. Names are not kept.
* ``registered``: ID number → Excel row of its first registration, from the pass over the voter
  list (this is also the 重登 check by ID number).
* ``name_birth``: hash(name, birth date) → ID number, for 重登 by name and birth date.

A second pass over the population list then reports everyone of voting age, alive and resident in
a township the voter list covers who is not in ``registered`` (漏登), taking the name from the row
itself. At 600,000 voters that is a few hundred bytes per person (see bench/sanling.py).

Findings go to ``sink`` in order; the caller stores them in batches.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.crypto import keyed_hash
from core.idnumbers import id_number_from_cell, parse_id_number
from core.masking import mask_id_number

from .models import RegistrationFinding

Kind = RegistrationFinding.Kind
Reason = RegistrationFinding.Reason

HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 10_000
VOTING_AGE = 18

COLUMNS = {
    "township": ("乡镇", "乡镇(街道)", "乡镇街道", "乡镇名称", "街道"),
    "village": ("村", "村(社区)", "村社区", "村(居)", "社区", "村名称"),
    "name": ("姓名",),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "身份号码"),
    "deceased": ("死亡标识", "死亡标志", "是否死亡", "死亡"),
}
REQUIRED = ("township", "village", "name", "id_number")
DECEASED_VALUES = {"是", "死亡", "已死亡", "1", "Y", "TRUE"}


class FileFormatError(ValueError):
    """The workbook does not have the columns the check needs; the message says which."""


@dataclass
class Finding:
    kind: str
    reason: str
    township: str
    village: str
    name: str
    id_number_masked: str
    id_number_hash: str
    row: int
    detail: str = ""


@dataclass
class Counts:
    voter_rows: int = 0
    population_rows: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind in Kind.values})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip()


def _header_key(value) -> str:
    return _text(value)


_LABELS = {_header_key(label): key for key, labels in COLUMNS.items() for label in labels}


def _columns(rows: Iterator[tuple], *, what: str) -> tuple[dict[str, int], int]:
    """Find the header among the first rows: {column key: index} and the header's row number."""
    for number, row in enumerate(rows, start=1):
        found: dict[str, int] = {}
        for index, cell in enumerate(row):
            key = _LABELS.get(_header_key(cell))
            if key and key not in found:
                found[key] = index
        if all(key in found for key in REQUIRED):
            return found, number
        if number >= HEADER_SEARCH_ROWS:
            break
    raise FileFormatError(
        _("%(what)s中找不到表头:需要“乡镇”“村(社区)”“姓名”“公民身份号码”四列。") % {"what": what}
    )


def sheet_rows(workbook, *, what: str) -> tuple[dict[str, int], Iterator[tuple[int, tuple]]]:
    """The columns of the first sheet and its data rows as (Excel row number, values)."""
    worksheet = workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    columns, header_row = _columns(rows, what=what)

    def data() -> Iterator[tuple[int, tuple]]:
        for number, values in enumerate(rows, start=header_row + 1):
            if values and any(value is not None and value != "" for value in values):
                yield number, values

    return columns, data()


def check_columns(workbook, *, what: str) -> None:
    sheet_rows(workbook, what=what)


def voting_age_cutoff(election_day: datetime.date) -> datetime.date:
    """The last birth date of someone 18 on election day (born 29 February: 18 on 1 March)."""
    year = election_day.year - VOTING_AGE
    try:
        return election_day.replace(year=year)
    except ValueError:
        return datetime.date(year, 2, 28)


def _key(number: str) -> int:
    check = 10 if number[17] == "X" else int(number[17])
    return int(number[:17]) * 11 + check


def _cell(values: tuple, index: int | None):
    if index is None or index >= len(values):
        return None
    return values[index]


class RegistrationComparison:
    def __init__(
        self,
        *,
        election_day: datetime.date,
        sink: Callable[[Finding], None],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.election_day = election_day
        self.cutoff = voting_age_cutoff(election_day)
        # Births after election day are under age, not bad numbers: accept them up to today.
        self.latest_birth = max(election_day, datetime.date.today())
        self.sink = sink
        self.progress = progress
        self.counts = Counts()
        self.residences: dict[tuple[str, str], int] = {}
        self.residence_names: list[tuple[str, str]] = []
        self.population: dict[int, int] = {}
        self.registered: dict[int, int] = {}
        self.name_birth: dict[int, int] = {}
        self.covered_townships: set[str] = set()
        self._done = 0

    # Passes -------------------------------------------------------------------------------

    def run(self, population_workbook, voter_workbook, *, population_again=None) -> Counts:
        """``population_again``: a second handle on the population list for the 漏登 pass (a
        read-only workbook streams a sheet once per iteration, so the same one also works)."""
        self.load_population(population_workbook)
        self.check_voters(voter_workbook)
        self.report_missing(population_again or population_workbook)
        return self.counts

    def load_population(self, workbook) -> None:
        columns, rows = sheet_rows(workbook, what=_("人口信息"))
        id_col, town_col, village_col = (
            columns["id_number"],
            columns["township"],
            columns["village"],
        )
        dead_col = columns.get("deceased")
        population, residences = self.population, self.residences
        for _number, values in rows:
            self.counts.population_rows += 1
            self._tick()
            parsed = self._parse(_cell(values, id_col))
            if parsed is None:
                continue
            residence = (_text(_cell(values, town_col)), _text(_cell(values, village_col)))
            index = residences.get(residence)
            if index is None:
                index = residences[residence] = len(self.residence_names)
                self.residence_names.append(residence)
            deceased = _text(_cell(values, dead_col)).upper() in DECEASED_VALUES
            population[_key(parsed.number)] = index * 2 + deceased

    def check_voters(self, workbook) -> None:
        columns, rows = sheet_rows(workbook, what=_("选民名册"))
        id_col, name_col = columns["id_number"], columns["name"]
        town_col, village_col = columns["township"], columns["village"]
        for number, values in rows:
            self.counts.voter_rows += 1
            self._tick()
            township = _text(_cell(values, town_col))
            village = _text(_cell(values, village_col))
            name = _text(_cell(values, name_col))
            self.covered_townships.add(township)
            cell = _cell(values, id_col)
            raw = id_number_from_cell(cell)
            place = (township, village, name, number)
            try:
                parsed = parse_id_number(raw, today=self.latest_birth)
            except ValidationError as error:
                detail = error.messages[0]
                if isinstance(cell, float):
                    detail = _("单元格为数字格式,Excel只保留15位有效数字,号码已失真。") + detail
                self._emit(Kind.WRONG, Reason.BAD_ID, place, raw, detail=detail)
                continue
            key = _key(parsed.number)
            first_row = self.registered.get(key)
            if first_row is not None:
                detail = _("与选民名册第%(row)d行为同一公民身份号码") % {"row": first_row}
                self._emit(Kind.DUPLICATE, Reason.SAME_ID, place, parsed.number, detail=detail)
                continue
            self.registered[key] = number
            name_key = hash((name, parsed.birth_date.toordinal()))
            other = self.name_birth.setdefault(name_key, key)
            if other != key:
                detail = _("与选民名册第%(row)d行姓名、出生日期相同,身份号码不同") % {
                    "row": self.registered[other]
                }
                self._emit(
                    Kind.DUPLICATE, Reason.SAME_NAME_BIRTH, place, parsed.number, detail=detail
                )
            self._check_eligible(parsed, key, place)

    def report_missing(self, workbook) -> None:
        columns, rows = sheet_rows(workbook, what=_("人口信息"))
        id_col, name_col = columns["id_number"], columns["name"]
        town_col, village_col = columns["township"], columns["village"]
        registered, population = self.registered, self.population
        for number, values in rows:
            self._tick()
            parsed = self._parse(_cell(values, id_col))
            if parsed is None:
                continue
            key = _key(parsed.number)
            if key in registered or population.get(key, 1) % 2:  # registered, deceased, gone
                continue
            if parsed.birth_date > self.cutoff:
                continue
            township = _text(_cell(values, town_col))
            if township not in self.covered_townships:
                continue
            registered[key] = 0  # report a person listed twice in the population once
            place = (township, _text(_cell(values, village_col)), _text(_cell(values, name_col)))
            self._emit(
                Kind.MISSING,
                Reason.NOT_REGISTERED,
                (*place, number),
                parsed.number,
                detail=_("人口信息第%(row)d行") % {"row": number},
            )

    # Helpers ------------------------------------------------------------------------------

    def _check_eligible(self, parsed, key: int, place) -> None:
        if parsed.birth_date > self.cutoff:
            detail = _("出生日期%(date)s") % {"date": parsed.birth_date.isoformat()}
            self._emit(Kind.WRONG, Reason.UNDER_AGE, place, parsed.number, detail=detail)
            return
        entry = self.population.get(key)
        if entry is None:
            self._emit(Kind.WRONG, Reason.NOT_IN_POPULATION, place, parsed.number)
            return
        if entry % 2:
            self._emit(Kind.WRONG, Reason.DECEASED, place, parsed.number)
            return
        township, village = self.residence_names[entry // 2]
        if (township, village) != (place[0], place[1]):
            detail = _("人口信息登记在%(township)s%(village)s") % {
                "township": township,
                "village": village,
            }
            self._emit(Kind.WRONG, Reason.WRONG_RESIDENCE, place, parsed.number, detail=detail)

    def _parse(self, value):
        try:
            return parse_id_number(id_number_from_cell(value), today=self.latest_birth)
        except ValidationError:
            return None

    def _emit(self, kind: str, reason: str, place, id_number: str, *, detail: str = "") -> None:
        township, village, name, row = place
        self.counts.by_kind[kind] += 1
        self.sink(
            Finding(
                kind=kind,
                reason=reason,
                township=township,
                village=village,
                name=name,
                id_number_masked=mask_id_number(id_number),
                id_number_hash=keyed_hash(id_number) if id_number else "",
                row=row,
                detail=detail[:200],
            )
        )

    def _tick(self) -> None:
        self._done += 1
        if self.progress and self._done % PROGRESS_EVERY == 0:
            self.progress(self._done)
