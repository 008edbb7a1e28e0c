"""The "三零" comparison (零漏登、零错登、零重登) of a voter list with a population list.

Both workbooks are streamed once each with openpyxl in read-only mode; nothing holds a sheet.
Memory is bounded by what is kept per registration, in compact containers:

* ``registered``: ID number (one int: 17 digits × 11 + check value) → ordinal of the
  registration, filled while the voter list is read — which is also the 重登 check by number;
* per ordinal, in ``array``s and a ``bytearray``: the ID number, the Excel row, the residence
  (township and village names interned once into ``residences``) and a state; the names in a list,
  equal names shared;
* ``name_birth``: hash(name, birth date) → ID number, for 重登 by name and birth date.

The population list is then read once: a registered person is checked against their row there
(deceased, another residence: 错登); anyone else of voting age on election day, alive and resident
in a township the voter list covers is 漏登. Registrations the population list never mentioned are
错登 last. Nothing of the population list is kept beyond its row. At 600,000 voters that is a few
hundred bytes per registration (see bench/sanling.py and bench/README.md).

Findings go to ``sink`` in order; the caller stores them in batches.
"""

from __future__ import annotations

import array
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

# States of a registration during the population pass.
PENDING, SEEN, UNDER_AGE, UNDER_AGE_SEEN = 0, 1, 2, 3


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


def _number(key: int) -> str:
    body, check = divmod(key, 11)
    return f"{body:017d}" + ("X" if check == 10 else str(check))


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
        # Per registration (by its ordinal in the voter list): Excel row, residence, name, state.
        self.voter_keys = array.array("Q")
        self.voter_rows = array.array("I")
        self.voter_places = array.array("I")
        self.voter_names: list[str] = []
        self.voter_state = bytearray()  # PENDING, SEEN in the population list, or UNDER_AGE
        self._names: dict[str, str] = {}
        self.registered: dict[int, int] = {}  # ID number → ordinal of its first registration
        self.name_birth: dict[int, int] = {}  # hash(name, birth date) → ID number
        self.reported_missing: set[int] = set()
        self.covered_townships: set[str] = set()
        self._done = 0

    def run(self, population_workbook, voter_workbook) -> Counts:
        self.check_voters(voter_workbook)
        self.check_population(population_workbook)
        self.report_unknown_voters()
        return self.counts

    def check_voters(self, workbook) -> None:
        """重登 by ID number and by name + birth date, bad numbers and under age; every other
        registration is remembered for the population pass."""
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
            first = self.registered.get(key)
            if first is not None:
                detail = _("与选民名册第%(row)d行为同一公民身份号码") % {
                    "row": self.voter_rows[first]
                }
                self._emit(Kind.DUPLICATE, Reason.SAME_ID, place, parsed.number, detail=detail)
                continue
            ordinal = len(self.voter_rows)
            self.registered[key] = ordinal
            self.voter_keys.append(key)
            self.voter_rows.append(number)
            self.voter_places.append(self._residence(township, village))
            self.voter_names.append(self._names.setdefault(name, name))
            self.voter_state.append(PENDING)
            other = self.name_birth.setdefault(hash((name, parsed.birth_date.toordinal())), key)
            if other != key:
                detail = _("与选民名册第%(row)d行姓名、出生日期相同,身份号码不同") % {
                    "row": self.voter_rows[self.registered[other]]
                }
                self._emit(
                    Kind.DUPLICATE, Reason.SAME_NAME_BIRTH, place, parsed.number, detail=detail
                )
            if parsed.birth_date > self.cutoff:
                self.voter_state[ordinal] = UNDER_AGE
                detail = _("出生日期%(date)s") % {"date": parsed.birth_date.isoformat()}
                self._emit(Kind.WRONG, Reason.UNDER_AGE, place, parsed.number, detail=detail)

    def check_population(self, workbook) -> None:
        """For a registered person: deceased or registered outside their residence (错登). For
        anyone else of voting age, alive, in a township the voter list covers: 漏登."""
        columns, rows = sheet_rows(workbook, what=_("人口信息"))
        id_col, name_col = columns["id_number"], columns["name"]
        town_col, village_col = columns["township"], columns["village"]
        dead_col = columns.get("deceased")
        registered, state = self.registered, self.voter_state
        for number, values in rows:
            self.counts.population_rows += 1
            self._tick()
            parsed = self._parse(_cell(values, id_col))
            if parsed is None:
                continue
            key = _key(parsed.number)
            deceased = _text(_cell(values, dead_col)).upper() in DECEASED_VALUES
            township = _text(_cell(values, town_col))
            village = _text(_cell(values, village_col))
            ordinal = registered.get(key)
            if ordinal is not None:
                if state[ordinal] == PENDING:
                    state[ordinal] = SEEN
                    self._check_registration(ordinal, parsed.number, deceased, township, village)
                elif state[ordinal] == UNDER_AGE:
                    state[ordinal] = UNDER_AGE_SEEN
                continue
            if deceased or parsed.birth_date > self.cutoff:
                continue
            if township not in self.covered_townships or key in self.reported_missing:
                continue
            self.reported_missing.add(key)
            place = (township, village, _text(_cell(values, name_col)), number)
            detail = _("人口信息第%(row)d行") % {"row": number}
            self._emit(Kind.MISSING, Reason.NOT_REGISTERED, place, parsed.number, detail=detail)

    def report_unknown_voters(self) -> None:
        """Registrations of people the population list does not hold (错登: residence)."""
        for ordinal, state in enumerate(self.voter_state):
            if state != PENDING:
                continue
            township, village = self.residence_names[self.voter_places[ordinal]]
            place = (township, village, self.voter_names[ordinal], self.voter_rows[ordinal])
            number = _number(self.voter_keys[ordinal])
            self._emit(Kind.WRONG, Reason.NOT_IN_POPULATION, place, number)

    # Helpers ------------------------------------------------------------------------------

    def _check_registration(
        self, ordinal: int, id_number: str, deceased: bool, township: str, village: str
    ) -> None:
        registered_at = self.residence_names[self.voter_places[ordinal]]
        place = (*registered_at, self.voter_names[ordinal], self.voter_rows[ordinal])
        if deceased:
            self._emit(Kind.WRONG, Reason.DECEASED, place, id_number)
        elif (township, village) != registered_at:
            detail = _("人口信息登记在%(township)s%(village)s") % {
                "township": township,
                "village": village,
            }
            self._emit(Kind.WRONG, Reason.WRONG_RESIDENCE, place, id_number, detail=detail)

    def _residence(self, township: str, village: str) -> int:
        index = self.residences.get((township, village))
        if index is None:
            index = self.residences[(township, village)] = len(self.residence_names)
            self.residence_names.append((township, village))
        return index

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
