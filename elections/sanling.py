"""The "三零" comparison (零漏登、零错登、零重登) of a voter list with a population list.

Both lists are read once each through :func:`core.tables.open_table` (.xlsx, .xls, .ods or CSV;
a large .xlsx sheet piece by piece, so nothing holds a whole sheet). Memory is bounded by what is
kept per registration, in flat arrays — about 45 bytes each, no Python object per person:

* while the voter list is read, each row with a valid number leaves its ID number (one int:
  17 digits × 11 + check value), Excel row, residence (township and village interned once into
  ``residences``), birth date and hash(name, birth date) in ``array``s, and its name in a list
  (equal names shared); bad numbers are reported as they come;
* then, set-based: the rows sorted by ID number give the 重登 by number (the first row read is
  the registration, the others repeat it) and the ordinals of the registrations in number order
  (``sorted_keys``/``sorted_ordinals``, searched by bisection in the population pass); sorted by
  hash(name, birth date) they give the 重登 by name and birth date. The voter list's findings are
  then reported in row order, as a row-by-row pass would have.

The population list is then read once: a registered person is checked against their row there
(deceased, another residence: 错登); anyone else of voting age on election day, alive and resident
in a township the voter list covers is 漏登. Registrations the population list never mentioned are
错登 last. Nothing of the population list is kept beyond its row. At 600,000 voters that is a few
few tens of bytes per registration (see bench/sanling.py and bench/README.md).

Findings go to ``sink`` in order; the caller stores them in batches.

Speed: a cell holding a well-formed 18-character number (nearly all of them) is checked inline —
ASCII digits, the MOD 11-2 check character as python-stdnum computes it, ``(1 - 2 * int(body,
13)) % 11`` (13 ≡ 2 mod 11: the base-13 value of the 17 digits is their weighted sum), and a
birth date looked up in a cache of the dates seen — and anything else goes through :func:`core.idnumbers.parse_id_number`,
which gives the same result and the message. Township, village and death-flag texts repeat and are
normalised once each.
"""

from __future__ import annotations

import array
import bisect
import datetime
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.crypto import keyed_hash
from core.idnumbers import id_number_from_cell, parse_id_number
from core.masking import mask_id_number
from core.tables import Table

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

# The MOD 11-2 check character for each remainder (GB 11643-1999).
_CHECK_CHARACTERS = "0123456789X"

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


def sheet_rows(table: Table, *, what: str) -> tuple[dict[str, int], Iterator[tuple[int, tuple]]]:
    """The columns of the table and its data rows as (Excel row number, values)."""
    rows = table.rows()
    columns, header_row = _columns(rows, what=what)

    def data() -> Iterator[tuple[int, tuple]]:
        for number, values in enumerate(rows, start=header_row + 1):
            # The reader gives None for an empty cell, never "".
            if values and values.count(None) != len(values):
                yield number, values

    return columns, data()


def check_columns(table: Table, *, what: str) -> None:
    _columns(table.rows(), what=what)


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
        # The registrations' ID numbers in ascending order and the ordinal of each.
        self.sorted_keys = array.array("Q")
        self.sorted_ordinals = array.array("I")
        self.reported_missing: set[int] = set()
        self.covered_townships: set[str] = set()
        self._done = 0
        self._texts: dict = {}  # cell value -> _text(value), for the few place and flag values
        self._births: dict[str, datetime.date | None] = {}  # YYYYMMDD -> date, None if invalid

    def run(self, population: Table, voters: Table) -> Counts:
        self.check_voters(voters)
        self.check_population(population)
        self.report_unknown_voters()
        return self.counts

    def check_voters(self, table: Table) -> None:
        """重登 by ID number and by name + birth date, bad numbers and under age; every other
        registration is remembered for the population pass."""
        columns, rows = sheet_rows(table, what=_("选民名册"))
        id_col, name_col = columns["id_number"], columns["name"]
        town_col, village_col = columns["township"], columns["village"]
        place_text, parse = self._place_text, self._parse_cell
        # Per row with a valid number, in the order read.
        keys, numbers, places = array.array("Q"), array.array("I"), array.array("I")
        births, name_births, names = array.array("I"), array.array("q"), []
        findings: list[tuple] = []  # (row, order within the row, emit arguments)
        texts, covered, done = self._texts, self.covered_townships, self._done
        for number, values in rows:
            done += 1
            if done % PROGRESS_EVERY == 0 and self.progress:
                self.progress(done)
            width = len(values)
            cell = values[town_col] if town_col < width else None
            township = texts.get(cell) or place_text(cell)
            cell = values[village_col] if village_col < width else None
            village = texts.get(cell) or place_text(cell)
            name = _text(values[name_col] if name_col < width else None)
            covered.add(township)
            cell = values[id_col] if id_col < width else None
            try:
                id_number, key, birth_date = parse(cell)
            except ValidationError as error:
                detail = error.messages[0]
                if isinstance(cell, float):
                    detail = _("单元格为数字格式,Excel只保留15位有效数字,号码已失真。") + detail
                place = (township, village, name, number)
                raw = id_number_from_cell(cell)
                findings.append((number, 0, (Kind.WRONG, Reason.BAD_ID, place, raw, detail)))
                continue
            keys.append(key)
            numbers.append(number)
            places.append(self._residence(township, village))
            names.append(self._names.setdefault(name, name))
            ordinal_day = birth_date.toordinal()
            births.append(ordinal_day)
            name_births.append(hash((name, ordinal_day)))
        self.counts.voter_rows += done - self._done
        self._done = done
        self._register(keys, numbers, places, births, name_births, names, findings)
        findings.sort(key=lambda finding: finding[:2])
        for _row, _order, (kind, reason, place, id_number, detail) in findings:
            self._emit(kind, reason, place, id_number, detail=detail)

    def _register(self, keys, numbers, places, births, name_births, names, findings) -> None:
        """Set-based, from the rows with a valid number: the first row of each ID number is the
        registration (the others are 重登 by number), then 重登 by name and birth date and the
        under-age registrations; the registrations are kept in the order read."""
        by_number = sorted(range(len(keys)), key=keys.__getitem__)  # stable: first read first
        first_of = array.array("I", bytes(4 * len(keys)))  # row index -> its registration's
        previous = None
        for index in by_number:
            key = keys[index]
            if key != previous:
                previous, first = key, index
            first_of[index] = first
            if first != index:
                detail = _("与选民名册第%(row)d行为同一公民身份号码") % {"row": numbers[first]}
                place = (*self.residence_names[places[index]], names[index], numbers[index])
                emit = (Kind.DUPLICATE, Reason.SAME_ID, place, _number(key), detail)
                findings.append((numbers[index], 0, emit))
        ordinal_of = array.array("I", bytes(4 * len(keys)))
        cutoff = self.cutoff.toordinal()
        for index in range(len(keys)):
            if first_of[index] != index:
                continue
            ordinal_of[index] = len(self.voter_rows)
            self.voter_keys.append(keys[index])
            self.voter_rows.append(numbers[index])
            self.voter_places.append(places[index])
            self.voter_names.append(names[index])
            self.voter_state.append(UNDER_AGE if births[index] > cutoff else PENDING)
            if births[index] > cutoff:
                born = datetime.date.fromordinal(births[index])
                detail = _("出生日期%(date)s") % {"date": born.isoformat()}
                place = (*self.residence_names[places[index]], names[index], numbers[index])
                emit = (Kind.WRONG, Reason.UNDER_AGE, place, _number(keys[index]), detail)
                findings.append((numbers[index], 2, emit))
        registrations = [index for index in by_number if first_of[index] == index]
        self.sorted_keys = array.array("Q", [keys[index] for index in registrations])
        self.sorted_ordinals = array.array("I", [ordinal_of[index] for index in registrations])
        del by_number, registrations
        by_name_birth = sorted(
            (index for index in range(len(keys)) if first_of[index] == index),
            key=name_births.__getitem__,
        )
        previous = None
        for index in by_name_birth:
            if name_births[index] != previous:
                previous, first = name_births[index], index
                continue
            detail = _("与选民名册第%(row)d行姓名、出生日期相同,身份号码不同") % {
                "row": numbers[first]
            }
            place = (*self.residence_names[places[index]], names[index], numbers[index])
            emit = (Kind.DUPLICATE, Reason.SAME_NAME_BIRTH, place, _number(keys[index]), detail)
            findings.append((numbers[index], 1, emit))

    def check_population(self, table: Table) -> None:
        """For a registered person: deceased or registered outside their residence (错登). For
        anyone else of voting age, alive, in a township the voter list covers: 漏登."""
        columns, rows = sheet_rows(table, what=_("人口信息"))
        id_col, name_col = columns["id_number"], columns["name"]
        town_col, village_col = columns["township"], columns["village"]
        dead_col = columns.get("deceased")
        state, cutoff = self.voter_state, self.cutoff
        place_text, parse = self._place_text, self._parse_cell
        sorted_keys, sorted_ordinals = self.sorted_keys, self.sorted_ordinals
        registrations, search = len(sorted_keys), bisect.bisect_left
        residences, voter_places = self.residence_names, self.voter_places
        texts, covered, reported = self._texts, self.covered_townships, self.reported_missing
        done = self._done
        for number, values in rows:
            done += 1
            if done % PROGRESS_EVERY == 0 and self.progress:
                self.progress(done)
            width = len(values)
            try:
                id_number, key, birth_date = parse(values[id_col] if id_col < width else None)
            except ValidationError:
                continue
            cell = values[dead_col] if dead_col is not None and dead_col < width else None
            deceased = (texts.get(cell) or place_text(cell)).upper() in DECEASED_VALUES
            cell = values[town_col] if town_col < width else None
            township = texts.get(cell) or place_text(cell)
            cell = values[village_col] if village_col < width else None
            village = texts.get(cell) or place_text(cell)
            found = search(sorted_keys, key)
            if found < registrations and sorted_keys[found] == key:
                ordinal = sorted_ordinals[found]
                if state[ordinal] == PENDING:
                    state[ordinal] = SEEN
                    if deceased or residences[voter_places[ordinal]] != (township, village):
                        self._check_registration(ordinal, id_number, deceased, township, village)
                elif state[ordinal] == UNDER_AGE:
                    state[ordinal] = UNDER_AGE_SEEN
                continue
            if deceased or birth_date > cutoff:
                continue
            if township not in covered or key in reported:
                continue
            reported.add(key)
            place = (township, village, _text(_cell(values, name_col)), number)
            detail = _("人口信息第%(row)d行") % {"row": number}
            self._emit(Kind.MISSING, Reason.NOT_REGISTERED, place, id_number, detail=detail)
        self.counts.population_rows += done - self._done
        self._done = done

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

    def _place_text(self, value) -> str:
        """:func:`_text` of a township, village or death flag: few values, each normalised once."""
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = _text(value)
        return text

    def _parse_cell(self, value) -> tuple[str, int, datetime.date]:
        """(ID number, its key, birth date) of an ID number cell, as
        ``parse_id_number(id_number_from_cell(value))`` gives them; raises its ValidationError.
        A plain 18-character number is checked here (see the module docstring)."""
        if type(value) is str and len(value) == 18 and value.isascii() and value[:17].isdigit():
            check = (1 - 2 * int(value[:17], 13)) % 11
            if _CHECK_CHARACTERS[check] == value[17]:
                birth_date = self._births.get(value[6:14], False)
                if birth_date is False:
                    birth_date = self._births[value[6:14]] = self._birth_date(value[6:14])
                if isinstance(birth_date, datetime.date):  # not None (no such date)
                    return value, int(value[:17]) * 11 + check, birth_date
        parsed = parse_id_number(id_number_from_cell(value), today=self.latest_birth)
        return parsed.number, _key(parsed.number), parsed.birth_date

    def _birth_date(self, digits: str) -> datetime.date | None:
        """The birth date parse_id_number accepts, or None (then it says what is wrong)."""
        try:
            date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            return None
        return None if date > self.latest_birth or date.year < 1880 else date

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
