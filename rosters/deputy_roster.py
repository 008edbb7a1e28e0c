"""The deputies roster (代表名册): one row per mandate — the person (姓名, 公民身份号码, …), the
station they are stationed in, and the mandate (代表层级, 届次, 选举单位/选区). A person holding
mandates at two levels takes two rows with the same ID number.

Deputies are matched by the keyed hash of their ID number (unique), mandates by deputy and level
among the active ones. An empty cell leaves an existing value as it is; a row whose values are
all already there is "unchanged", so importing the same file again writes nothing. An exact
repeat of an earlier row is ignored; a repeat that differs is an error."""

import contextlib
import dataclasses
import datetime
import io
import operator
import re
import struct

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scoped
from core import listcache
from core.crypto import encrypt, keyed_hash
from core.idnumbers import parse_id_number
from core.masking import mask_id_number, mask_phone
from core.pinyin import KEY_LENGTH
from core.pinyin import keys as pinyin_keys
from directory.models import Deputy, Level, Mandate, Occupation, Party, Region, Station

from . import cells
from .base import Preview, RowError, RowResult, RowStatus, chunked
from .sheets import Column, Sheet
from .simple import CountyResolver
from .values import Lookup, remembered_values, vocabularies

KEY = "deputies"
TITLE = gettext_lazy("代表名册")
MAX_ROWS = 50_000
CHUNK = 2000

COLUMNS = (
    Column("name", "姓名", ("代表姓名",), required=True),
    Column(
        "id_number",
        "公民身份号码",
        ("身份证号", "身份证号码", "身份证", "公民身份证号码", "身份证件号码", "证件号码"),
        required=True,
    ),
    Column("gender", "性别"),
    Column("birth_date", "出生年月", ("出生日期", "出生年月日", "生日", "出生时间")),
    Column("ethnicity", "民族"),
    Column("party", "政治面貌", ("党派",)),
    Column("education", "学历", ("文化程度", "最高学历", "学历学位")),
    Column("occupation_title", "职业", ("从事职业", "职业身份")),
    Column("occupation", "代表构成", ("职业类别", "构成情况", "代表结构")),
    Column(
        "workplace",
        "工作单位及职务",
        ("工作单位", "单位及职务", "工作单位和职务", "单位职务", "现工作单位及职务"),
    ),
    Column("phone", "联系电话", ("手机号码", "电话", "手机", "手机号", "联系方式", "移动电话")),
    Column("township", "乡镇(街道)", ("乡镇", "所属乡镇", "乡镇街道", "所在乡镇")),
    Column("station", "进驻家站", ("家站", "代表之家(联络站)", "联络站", "进驻站点")),
    Column("county", "所属县", ("县", "县(市、区)")),
    Column("level", "代表层级", ("层级", "代表级别", "级别"), required=True),
    Column("term", "届次", ("第几届",)),
    Column(
        "constituency",
        "选举单位/选区",
        ("选区", "选举单位", "选举单位(选区)", "所在选区", "选区名称"),
    ),
    Column("directly_elected", "直接选举", ("是否直选", "直选")),
)
# The columns whose cells are one of a fixed list (rosters/values.py): an unknown value there is
# listed for staff to map, not a row error.
VALUE_COLUMNS = ("gender", "party", "ethnicity", "education", "occupation", "level")

PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "party",
    "education",
    "occupation",
    "occupation_title",
    "workplace",
)
MANDATE_FIELDS = ("term", "constituency", "directly_elected")


@dataclasses.dataclass(slots=True)
class _Row:
    result: RowResult
    values: dict
    station: Station | None = None
    county: Region | None = None
    id_hash: str = ""
    term_given: bool = False  # a 届次 cell (or value for the file) was there, read or not
    default_term: int | None = None  # else the county's current term, for a new mandate


# The columns whose cells repeat from row to row (the same few townships, stations, terms …):
# each distinct cell is read once per file.
_REPEATING = ("workplace", "township", "station", "county", "term", "constituency")


class _Reader:
    """Reads the rows of one file: the value lookups (with the county's remembered mappings),
    the month readings and the cells of the repeating columns are kept across rows, so each
    distinct text is worked out once."""

    def __init__(self, sheet: Sheet, remembered: dict[str, dict[str, str]]):
        self.sheet = sheet
        lists = vocabularies()
        self.lookups = {key: Lookup(lists[key], remembered.get(key)) for key in VALUE_COLUMNS}
        self.months: dict = {}
        self.today = datetime.date.today()
        # key -> {cell value: (read value, error message or "")}
        self.memo: dict[str, dict] = {key: {} for key in (*_REPEATING, "directly_elected")}
        # key -> the cell's index in the row, or (None, the value for the whole file)
        self.where = {
            column.key: (sheet.mapping.get(column.key), sheet.fixed.get(column.key))
            for column in COLUMNS
        }
        self.messages = {
            "name": _("姓名为空"),
            "id_number": _("公民身份号码为空"),
            "level": _("代表层级为空"),
            "gender": _("性别与公民身份号码不一致"),
        }
        self.limits = {
            key: (limit, _("超过%(n)d个字") % {"n": limit})
            for key, limit in (
                ("name", 40),
                ("occupation_title", 60),
                ("workplace", 120),
                ("constituency", 80),
            )
        }

    def unknown_values(self) -> dict[str, dict[str, int]]:
        return {key: dict(lookup.unknown) for key, lookup in self.lookups.items() if lookup.unknown}

    def has_unknown(self) -> bool:
        return any(lookup.unknown for lookup in self.lookups.values())

    def birth_month(self, value):
        try:
            return self.months[value]
        except KeyError:
            self.months[value] = reading = cells.birth_month(value)
            return reading

    def parse(self, line: int, raw: tuple) -> _Row:
        sheet = self.sheet
        where = self.where
        result = RowResult(row=line, label="")
        values: dict = {}
        width = len(raw)

        def cell(key):
            col, fixed = where[key]
            if col is not None:
                return raw[col] if col < width else None
            return fixed

        def fail(key, message):
            result.errors.append(RowError(line, sheet.column_of(key) if key else "", message))

        def read(key, parse):
            try:
                values[key] = parse(cell(key))
            except cells.CellError as error:
                fail(key, str(error))
                values[key] = None
            return values[key]

        def remembered(key, parse):
            """``read`` of a repeating column: each distinct cell once."""
            value = cell(key)
            memo = self.memo[key]
            # 1, 1.0 and True are equal keys of a dict: numbers are told apart by their type
            index = value if value is None or type(value) is str else (type(value), value)
            try:
                read_value, message = memo[index]
            except KeyError:
                try:
                    read_value, message = parse(value), ""
                except cells.CellError as error:
                    read_value, message = None, str(error)
                memo[index] = (read_value, message)
            if message:
                fail(key, message)
            values[key] = read_value
            return read_value

        read("name", cells.compact)
        result.label = values["name"]
        if not values["name"]:
            fail("name", self.messages["name"])
        resident = None
        number = read("id_number", cells.id_number)
        if number == "":
            fail("id_number", self.messages["id_number"])
        elif number is not None:
            try:
                resident = parse_id_number(number, today=self.today)
            except ValidationError as error:
                fail("id_number", " ".join(error.messages))
        values["id_number"] = resident.number if resident else None
        # The sex and birth cells are read (and their own errors reported) even when the ID
        # number is wrong; they are compared with it when it is right, and the ID number wins.
        gender = self.lookups["gender"](cell("gender"))
        readings = read("birth_date", self.birth_month)
        if resident is not None:
            if gender and gender != resident.gender:
                fail("gender", self.messages["gender"])
            if readings and not _agrees(readings, resident.birth_date):
                fail(
                    "birth_date",
                    _("出生年月%(d)s与公民身份号码中的%(id)s不一致")
                    % {"d": cells.text(cell("birth_date")), "id": resident.birth_date},
                )
            values["gender"], values["birth_date"] = resident.gender, resident.birth_date
        else:
            values["gender"] = values["birth_date"] = None
        values["ethnicity"] = self.lookups["ethnicity"](cell("ethnicity"))
        values["party"] = self.lookups["party"](cell("party"))
        values["education"] = self.lookups["education"](cell("education"))
        self._occupation(cell, values)
        remembered("workplace", cells.text)
        read("phone", cells.phone)
        remembered("township", cells.compact)
        remembered("station", cells.compact)
        remembered("county", cells.compact)
        level_cell = cell("level")
        values["level"] = level = self.lookups["level"](level_cell)
        if level is None and not cells.compact(level_cell):
            fail("level", self.messages["level"])
        term_cell = cell("term")
        term = remembered("term", cells.integer)
        if term is not None and not 1 <= term <= 99:
            fail("term", _("届次“%(v)s”不合理") % {"v": term})
        remembered("constituency", cells.text)
        remembered("directly_elected", cells.boolean)
        if values["directly_elected"] is None and level:
            values["directly_elected"] = level in (Level.COUNTY, Level.TOWNSHIP)
        for key, (limit, message) in self.limits.items():
            if values[key] and len(values[key]) > limit:
                fail(key, message)
        term_given = term is not None or bool(term_cell is not None and cells.compact(term_cell))
        return _Row(result=result, values=values, term_given=term_given)

    def _occupation(self, cell, values: dict) -> None:
        """职业 is kept as written; 代表构成 (a category) is read from its own column, else
        derived from 职业. An office that has only one column writes either in it."""
        title_cell, category_cell = cell("occupation_title"), cell("occupation")
        if title_cell is None and category_cell is None:
            values["occupation_title"] = ""
            values["occupation"] = self.lookups["occupation"](None)
            return
        title = cells.text(title_cell)
        category = cells.compact(category_cell)
        known = self.lookups["occupation"].table
        if category and not title and category not in known:
            title = cells.text(category_cell)  # 代表构成 holding 教师: an occupation
        values["occupation_title"] = title
        values["occupation"] = self.lookups["occupation"](category or title or None)


def _agrees(readings, birth_date: datetime.date) -> bool:
    return any(
        (year, month) == (birth_date.year, birth_date.month) and day in (None, birth_date.day)
        for year, month, day in readings
    )


class _Places:
    """The stations the importer may place deputies in, by name (read once per file), and the
    counties they import for."""

    def __init__(self, stations, counties: CountyResolver):
        self.counties = counties
        self.by_name: dict[str, list[Station]] = {}
        for station in stations.select_related("township"):
            self.by_name.setdefault(cells.compact(station.name), []).append(station)
        self.township_names: dict[int, str] = {}

    def resolve(self, rows: list[_Row], sheet: Sheet) -> None:
        """Each row's station (by name, within its 乡镇 when given), and its county: the
        station's, else the 所属县 cell's, else the importer's own."""
        counties = self.counties
        for row in rows:
            name, township = row.values.get("station"), row.values.get("township")
            if name:
                matches = self.by_name.get(name, [])
                if township:
                    matches = [s for s in matches if self._township(s) == township]
                if len(matches) == 1:
                    row.station = matches[0]
                else:
                    message = (
                        _("有多个名为“%(s)s”的家站,请填写“乡镇(街道)”列")
                        if matches
                        else _("没有名为“%(s)s”的家站")
                    ) % {"s": name}
                    row.result.errors.append(
                        RowError(row.result.row, sheet.column_of("station"), message)
                    )
            county_name = row.values.get("county")
            if row.station is not None:
                row.county = counties.by_pk.get(row.station.county_id)
            elif county_name:
                row.county = counties.by_name.get(county_name)
                if row.county is None:
                    row.result.errors.append(
                        RowError(
                            row.result.row,
                            sheet.column_of("county"),
                            _("没有名为“%(n)s”的县,或您无权导入该县") % {"n": county_name},
                        )
                    )
            else:
                row.county = counties.default  # None: a new deputy is refused when planned

    def _township(self, station: Station) -> str:
        try:
            return self.township_names[station.pk]
        except KeyError:
            name = self.township_names[station.pk] = cells.compact(station.township.name)
            return name


def _current_terms(county_ids) -> dict[tuple[int, str], int]:
    """The current term of each county and level: the latest of its deputies' active
    mandates (terms are not a table of their own)."""
    rows = (
        Mandate.objects.filter(is_active=True, deputy__county_id__in=list(county_ids))
        .values("deputy__county_id", "level")
        .annotate(term=Max("term"))
    )
    return {(row["deputy__county_id"], row["level"]): row["term"] for row in rows}


# What is kept of a person's first row for the rows after it: one 64-bit hash of each person
# field (the phone and the station last), so that "the same ID number with other data" is told
# across chunks without keeping the rows.
_PERSON_KEYS = (*PERSON_FIELDS, "phone")
_PERSON_PRINT = struct.Struct(f"{len(_PERSON_KEYS) + 1}q")


_person_values = operator.itemgetter(*_PERSON_KEYS)


def _person_print(row: _Row) -> bytes:
    return _PERSON_PRINT.pack(
        *map(hash, _person_values(row.values)),
        hash(row.station.pk if row.station is not None else None),
    )


def _mandate_print(row: _Row) -> int:
    """An exact repeat of a row has the same values. ``_Reader.parse`` sets the same keys in
    the same order for every row, each always of one type (or None)."""
    return hash(tuple(row.values.values()))


# A person's state in the run (the third item of ``_Seen.persons``):
_UNPLANNED = 0  # no row of theirs planned yet (the first had an error)
_PLANNED_NEW = -1  # new to the roster, planned, not saved (a check, or not saved yet)
_PLANNED_EXISTING = -2  # already in the roster, their changes planned
# > 0: new to the roster and saved by this run with that primary key


@dataclasses.dataclass
class _Seen:
    """What one run keeps of the rows it has checked, for the rows of later chunks: per
    mandate and per person a row number and a print of the values, never the rows."""

    # (ID hash, level) -> (its first row, the row's print)
    mandates: dict[tuple[str, str], tuple[int, int]] = dataclasses.field(default_factory=dict)
    # ID hash -> (their first row, the print of its person fields, the state above)
    persons: dict[str, tuple[int, bytes, int]] = dataclasses.field(default_factory=dict)
    # (county id, level) -> the current term, looked up once per county
    terms: dict[tuple[int, str], int] = dataclasses.field(default_factory=dict)
    term_counties: set = dataclasses.field(default_factory=set)

    def state(self, id_hash: str) -> int:
        seen = self.persons.get(id_hash)
        return seen[2] if seen is not None else _UNPLANNED

    def set_state(self, id_hash: str, state: int) -> None:
        row, person = self.persons[id_hash][:2]
        self.persons[id_hash] = (row, person, state)


def _check_repeats(rows: list[_Row], seen: _Seen) -> list[_Row]:
    """Mark exact repeats (of a row of this chunk or an earlier one) as duplicates; a person's
    rows must agree; one row per mandate level. Returns the rows that remain to be planned."""
    remaining = []
    for row in rows:
        number, level = row.values.get("id_number"), row.values.get("level")
        if not number or row.result.errors:
            remaining.append(row)
            continue
        fingerprint = _mandate_print(row)
        earlier = seen.mandates.get((row.id_hash, level))
        if earlier is not None:
            if earlier[1] == fingerprint:
                row.result.status = RowStatus.DUPLICATE
                row.result.changes = [_("与第%(n)d行完全相同,已忽略") % {"n": earlier[0]}]
            else:
                row.result.errors.append(
                    RowError(
                        row.result.row,
                        "",
                        _("与第%(n)d行是同一代表的同一层级任职,但内容不同") % {"n": earlier[0]},
                    )
                )
                remaining.append(row)
            continue
        seen.mandates[(row.id_hash, level)] = (row.result.row, fingerprint)
        person = _person_print(row)
        first = seen.persons.setdefault(row.id_hash, (row.result.row, person, _UNPLANNED))
        if first[0] != row.result.row:
            given = _PERSON_PRINT.unpack(person)
            kept = _PERSON_PRINT.unpack(first[1])
            differing = [
                key
                for n, key in enumerate(_PERSON_KEYS)
                if row.values.get(key) and given[n] != kept[n]
            ]
            if differing or given[-1] != kept[-1]:
                row.result.errors.append(
                    RowError(
                        row.result.row,
                        "",
                        _("与第%(n)d行身份证号码相同,但个人信息或进驻家站不同") % {"n": first[0]},
                    )
                )
        remaining.append(row)
    return remaining


def _person_changes(deputy: dict, row: _Row) -> dict:
    """What the row changes of a deputy (their values, as read for _DEPUTY_VALUES)."""
    changes = {}
    for key in PERSON_FIELDS:
        value = row.values.get(key)
        if value not in (None, "") and deputy[key] != value:
            changes[key] = value
    phone = row.values.get("phone")
    if phone and deputy["phone_hash"] != keyed_hash(phone):
        changes["phone"] = phone
    if row.station is not None and deputy["station_id"] != row.station.pk:
        changes["station"] = row.station
    return changes


def _mandate_changes(mandate: dict, row: _Row) -> dict:
    return {
        key: row.values[key]
        for key in MANDATE_FIELDS
        if row.values.get(key) not in (None, "") and mandate[key] != row.values[key]
    }


FIELD_LABELS = {
    "name": gettext_lazy("姓名"),
    "gender": gettext_lazy("性别"),
    "birth_date": gettext_lazy("出生日期"),
    "ethnicity": gettext_lazy("民族"),
    "party": gettext_lazy("政治面貌"),
    "education": gettext_lazy("学历"),
    "occupation": gettext_lazy("代表构成"),
    "occupation_title": gettext_lazy("职业"),
    "workplace": gettext_lazy("工作单位及职务"),
    "phone": gettext_lazy("联系电话"),
    "station": gettext_lazy("进驻家站"),
    "term": gettext_lazy("届次"),
    "constituency": gettext_lazy("选举单位/选区"),
    "directly_elected": gettext_lazy("直接选举"),
}


def check_and_save(
    sheet: Sheet,
    *,
    stations,
    counties: CountyResolver,
    remembered: dict[str, dict[str, str]] | None = None,
    commit: bool,
    progress=None,
    sink=None,
) -> Preview:
    """Check every row against ``stations`` (the stations the importer may place deputies in)
    and ``counties`` (those they import for); save when ``commit`` and nothing is wrong or
    unknown, all of it in one transaction. ``remembered``: the county's value mappings.

    The rows are read, checked and (on a commit) saved ``CHUNK`` at a time as the file is read;
    what is kept from chunk to chunk is a row number and a print of the values per person and
    mandate (:class:`_Seen`), so memory does not grow with the rows. Each chunk's outcome goes
    to ``sink`` (which stores it) when given, else it is kept in ``preview.rows``. A commit that
    finds an error or an unknown value in any chunk is rolled back whole, the sink's writes
    with it."""
    preview = Preview(roster=KEY, header_row=sheet.header_row, mapping=dict(sheet.mapping))
    run = _Run(sheet, stations=stations, counties=counties, remembered=remembered or {})
    total_hint = len(sheet.rows) if isinstance(sheet.rows, list) else sheet.rows.total_hint
    done = 0
    with transaction.atomic() if commit else contextlib.nullcontext():
        for batch in chunked(sheet.rows, CHUNK):
            done += _one_chunk(run, preview, batch, commit=commit, sink=sink)
            if progress:
                progress(done, max(total_hint, done + 1))
        preview.unknown_values = run.reader.unknown_values()
        if commit:
            if preview.ok:
                listcache.bump()
                preview.committed = True
            else:
                transaction.set_rollback(True)
    if progress:
        progress(done, done)
    return preview


def _one_chunk(run: "_Run", preview: Preview, batch: list, *, commit: bool, sink) -> int:
    rows = [run.reader.parse(line, raw) for line, raw in batch]
    batch.clear()
    plan = run.plan(rows)
    # A commit saves each chunk while every row so far is clean; once one is not, nothing more
    # is written and the transaction is rolled back at the end.
    if commit and not run.failed and not plan.failed and not run.reader.has_unknown():
        run.save(plan)
    else:
        run.failed = True
    preview.take([row.result for row in rows], sink)
    return len(rows)


@dataclasses.dataclass
class _Plan:
    new_people: list[_Row] = dataclasses.field(default_factory=list)
    # deputy pk -> {field: new value} ("station": the Station)
    changed_deputies: dict[int, dict] = dataclasses.field(default_factory=dict)
    # (ID hash, deputy pk or None for a person this run adds, level, term, constituency,
    # directly elected)
    new_mandates: list[tuple] = dataclasses.field(default_factory=list)
    changed_mandates: list[Mandate] = dataclasses.field(default_factory=list)
    failed: bool = False


# What is read of a deputy already in the roster to compare a row with (not the encrypted
# columns: a phone is compared by its keyed hash), and of their active mandates.
_DEPUTY_VALUES = ("pk", "id_number_hash", "county_id", "station_id", "phone_hash", *PERSON_FIELDS)
_MANDATE_VALUES = ("pk", "deputy_id", "level", *MANDATE_FIELDS)


class _Run:
    """One check or commit of a file, chunk after chunk."""

    def __init__(self, sheet: Sheet, *, stations, counties: CountyResolver, remembered):
        self.sheet = sheet
        self.reader = _Reader(sheet, remembered)
        self.places = _Places(stations, counties)
        self.counties = counties
        self.seen = _Seen()
        self.failed = False
        self.now = timezone.now()
        # The words of the preview, translated once per file.
        self.words = {
            "new": _("新代表"),
            "unstationed": _("未进驻家站"),
            "out_of_scope": _("该代表不在您管理的范围内,不能修改"),
            "no_county": _("请填写进驻家站或所属县"),
            "no_term": _("届次为空,本县也还没有该层级的在任代表可推定当前届次;请填写届次"),
        }
        self.new_mandate_words = {
            level: _("新任职:%(l)s") % {"l": label} for level, label in Level.choices
        }
        self.field_words = {key: str(label) for key, label in FIELD_LABELS.items()}

    def _fill_terms(self, rows: list[_Row]) -> None:
        """届次 left out (no column, no value for the file): a new mandate takes the county's
        current term (as it was when the run began); an existing mandate keeps its own."""
        wanting = [row for row in rows if not row.term_given and row.values.get("level")]
        if not wanting:
            return
        seen = self.seen
        counties = {row.county.pk for row in wanting if row.county is not None}
        if counties - seen.term_counties:
            seen.terms.update(_current_terms(counties - seen.term_counties))
            seen.term_counties |= counties
        for row in wanting:
            county_id = row.county.pk if row.county is not None else None
            row.default_term = seen.terms.get((county_id, row.values["level"]))

    def plan(self, rows: list[_Row]) -> _Plan:
        sheet, seen, counties, words = self.sheet, self.seen, self.counties, self.words
        self.places.resolve(rows, sheet)
        for row in rows:
            if row.values.get("id_number"):
                row.id_hash = keyed_hash(row.values["id_number"])
        rows = _check_repeats(rows, seen)

        # The deputies already in the roster (not those this run adds), and their mandates:
        # their values only, compared without building (or decrypting) a model per row.
        hashes = [
            h
            for h in {row.id_hash for row in rows if row.id_hash}
            if seen.state(h) in (_UNPLANNED, _PLANNED_EXISTING)
        ]
        existing: dict[str, dict] = {}
        if hashes:
            existing = {
                deputy["id_number_hash"]: deputy
                for deputy in Deputy.objects.filter(id_number_hash__in=hashes)
                .order_by()
                .values(*_DEPUTY_VALUES)
            }
        for row in rows:
            known = existing.get(row.id_hash)
            if row.county is None and known is not None:
                row.county = counties.by_pk.get(known["county_id"])
        self._fill_terms(rows)
        mandates: dict[tuple[int, str], dict] = {}
        if existing:
            deputy_ids = [deputy["pk"] for deputy in existing.values()]
            for mandate in (
                Mandate.objects.filter(deputy_id__in=deputy_ids, is_active=True)
                .order_by()
                .values(*_MANDATE_VALUES)
            ):
                mandates[(mandate["deputy_id"], mandate["level"])] = mandate

        plan = _Plan()
        for row in rows:
            result = row.result
            if result.errors:
                result.status = RowStatus.ERROR
                plan.failed = True
                continue
            deputy = existing.get(row.id_hash)
            state = seen.state(row.id_hash)
            new_here = state == _PLANNED_NEW or state > 0  # new, by an earlier row of this run
            if deputy is not None and deputy["county_id"] not in counties.by_pk:
                result.errors.append(RowError(result.row, "", words["out_of_scope"]))
                result.status = RowStatus.ERROR
                plan.failed = True
                continue
            changes: list[str] = []
            if deputy is None and not new_here and row.county is None:
                result.errors.append(RowError(result.row, "", words["no_county"]))
                result.status = RowStatus.ERROR
                plan.failed = True
                continue
            level = row.values["level"]
            new_mandate = level and (deputy is None or (deputy["pk"], level) not in mandates)
            if new_mandate and row.values["term"] is None and row.default_term is None:
                result.errors.append(
                    RowError(result.row, sheet.column_of("term"), words["no_term"])
                )
                result.status = RowStatus.ERROR
                plan.failed = True
                continue
            if deputy is None:
                if not new_here:
                    plan.new_people.append(row)
                    seen.set_state(row.id_hash, _PLANNED_NEW)
                    changes.append(words["new"])
                    if row.station is None:
                        changes.append(words["unstationed"])
            elif state != _PLANNED_EXISTING:
                # An earlier row of the person planned their changes already (a person's rows
                # agree, so a later one has none of its own).
                seen.set_state(row.id_hash, _PLANNED_EXISTING)
                person = _person_changes(deputy, row)
                for key in person:
                    changes.append(self.field_words[key])
                if person:
                    plan.changed_deputies[deputy["pk"]] = person
            mandate = mandates.get((deputy["pk"], level)) if deputy is not None else None
            if level is None:
                pass  # an unknown 代表层级, listed for staff to map; nothing to plan yet
            elif mandate is None:
                plan.new_mandates.append(
                    (
                        row.id_hash,
                        deputy["pk"] if deputy is not None else None,
                        level,
                        row.values["term"] or row.default_term,
                        row.values.get("constituency") or "",
                        bool(row.values.get("directly_elected")),
                    )
                )
                changes.append(self.new_mandate_words[level])
            else:
                mandate_update = _mandate_changes(mandate, row)
                for key in mandate_update:
                    changes.append(self.field_words[key])
                if mandate_update:
                    current = {key: mandate[key] for key in MANDATE_FIELDS}
                    plan.changed_mandates.append(
                        Mandate(pk=mandate["pk"], **(current | mandate_update))
                    )
            if deputy is None:
                result.status = RowStatus.CREATE
            elif changes:
                result.status = RowStatus.UPDATE
            else:
                result.status = RowStatus.UNCHANGED
            result.changes = changes
        return plan

    def save(self, plan: _Plan) -> None:
        """Set-based: the chunk's new deputies and new mandates each in one multi-row INSERT
        (as many as the database takes in one statement), its changed ones in one UPDATE.
        Bulk writes send no signals: the roster list cache is bumped once the whole file is
        saved."""
        seen = self.seen
        for id_hash, pk in self._insert_deputies(plan.new_people).items():
            seen.set_state(id_hash, pk)
        if plan.changed_deputies:
            # The few deputies that change are read whole (their ID number and phone too) so
            # that save()'s rules for the derived columns apply (Deputy.fill_hashes).
            changed = list(Deputy.objects.filter(pk__in=list(plan.changed_deputies)))
            for deputy in changed:
                for key, value in plan.changed_deputies[deputy.pk].items():
                    setattr(deputy, key, value)
                deputy.updated_at = self.now
                deputy.fill_hashes()
            Deputy.objects.bulk_update(
                changed,
                [
                    *PERSON_FIELDS,
                    "name_pinyin",
                    "name_initials",
                    "phone",
                    "phone_hash",
                    "phone_masked",
                    "station",
                    "county",
                    "updated_at",
                ],
                batch_size=CHUNK,
            )
        _write(
            Mandate,
            ("deputy", "level", "term", "constituency", "directly_elected", "is_active"),
            [
                (deputy_id or seen.state(id_hash), level, term, constituency, direct, True)
                for id_hash, deputy_id, level, term, constituency, direct in plan.new_mandates
            ],
        )
        Mandate.objects.bulk_update(plan.changed_mandates, list(MANDATE_FIELDS), batch_size=CHUNK)

    def _insert_deputies(self, rows: list[_Row]) -> dict[str, int]:
        """The new deputies, written as Deputy.save() would (Deputy.fill_hashes: the keyed
        hashes, masked forms and name keys; the ID number and phone encrypted) without a
        model and its per-field preparation per row. Returns their primary keys by ID hash."""
        if not rows:
            return {}
        now = connection.ops.adapt_datetimefield_value(self.now)
        values = []
        for row in rows:
            v = row.values
            number, phone = v["id_number"], v.get("phone") or ""
            full, initials = pinyin_keys(v["name"])
            station, county = row.station, row.county
            values.append(
                (
                    v["name"],
                    full[:KEY_LENGTH],
                    initials[:KEY_LENGTH],
                    v["gender"],
                    v.get("ethnicity") or Deputy._meta.get_field("ethnicity").default,
                    connection.ops.adapt_datefield_value(v["birth_date"]),
                    encrypt(number),
                    row.id_hash,
                    mask_id_number(number),
                    encrypt(phone) if phone else "",
                    keyed_hash(phone) if phone else "",
                    mask_phone(phone),
                    v.get("party") or Party.NONE,
                    v.get("education") or "",
                    v.get("occupation") or Occupation.OTHER,
                    v.get("occupation_title") or "",
                    v.get("workplace") or "",
                    station.county_id if station is not None else county.pk,
                    station.pk if station is not None else None,
                    now,
                    now,
                )
            )
        if _copying() or connection.features.can_return_rows_from_bulk_insert:
            return dict(_write(Deputy, _DEPUTY_COLUMNS, values, returning="id_number_hash"))
        _insert(Deputy, _DEPUTY_COLUMNS, values)
        hashes = [row.id_hash for row in rows]
        return dict(
            Deputy.objects.filter(id_number_hash__in=hashes).values_list("id_number_hash", "pk")
        )


# The columns of a new deputy, in the order of Run._insert_deputies's values.
_DEPUTY_COLUMNS = (
    "name",
    "name_pinyin",
    "name_initials",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "id_number_hash",
    "id_number_masked",
    "phone",
    "phone_hash",
    "phone_masked",
    "party",
    "education",
    "occupation",
    "occupation_title",
    "workplace",
    "county",
    "station",
    "created_at",
    "updated_at",
)


def _insert(model, fields: tuple[str, ...], rows: list[tuple], returning: str = ""):
    """Insert ``rows`` (database-ready values of ``fields``, in order) with multi-row INSERTs,
    as many rows in each as the database takes. With ``returning``: (that field, primary key)
    of each row inserted."""
    if not rows:
        return []
    ops = connection.ops
    meta = model._meta
    table = ops.quote_name(meta.db_table)
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in fields)
    tail = ""
    if returning:
        key = meta.get_field(returning).column
        tail = f" RETURNING {ops.quote_name(key)}, {ops.quote_name(meta.pk.column)}"
    size = min(CHUNK, ops.bulk_batch_size(fields, rows) or CHUNK)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    found = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params = [value for row in batch for value in row]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}{tail}"
            cursor.execute(sql, params)
            if returning:
                found += cursor.fetchall()
    return found


# New deputies and mandates are written with COPY on PostgreSQL (False: with INSERTs there too,
# as on every other database; the tests compare the two).
COPY = True


def _copying() -> bool:
    return COPY and connection.vendor == "postgresql"


def _write(model, fields: tuple[str, ...], rows: list[tuple], returning: str = ""):
    """:func:`_copy` on PostgreSQL, else :func:`_insert`."""
    return (_copy if _copying() else _insert)(model, fields, rows, returning=returning)


def _copy(model, fields: tuple[str, ...], rows: list[tuple], returning: str = ""):
    """PostgreSQL: write ``rows`` (database-ready values of ``fields``, in order) with one
    ``COPY … FROM STDIN`` (text format), which the server takes in a fraction of the time of
    multi-row INSERTs of the same rows. With ``returning`` (a field): the primary keys are
    drawn from the table's sequence first and written with the rows, and (that field's value,
    primary key) of each row is returned, as :func:`_insert` returns them."""
    if not rows:
        return []
    ops = connection.ops
    meta = model._meta
    table = ops.quote_name(meta.db_table)
    columns = [ops.quote_name(meta.get_field(name).column) for name in fields]
    found = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            key = fields.index(returning)
            pks = [pk for (pk,) in cursor.fetchall()]
            columns.insert(0, ops.quote_name(meta.pk.column))
            rows = [(pk, *row) for pk, row in zip(pks, rows, strict=True)]
            found = [(row[key + 1], row[0]) for row in rows]
        data = io.StringIO("".join([_copy_line(row) for row in rows]))
        with connection.wrap_database_errors:
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", data)
    return found


# COPY's text format: a tab between columns, \N for NULL, and a backslash before a backslash,
# tab, newline or carriage return inside a value.
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _copy_escape(match: re.Match) -> str:
    return _COPY_ESCAPES[match.group()]


def _copy_value(value) -> str:
    kind = type(value)
    if kind is str:
        return _COPY_SPECIAL.sub(_copy_escape, value) if _COPY_SPECIAL.search(value) else value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetime too: ISO 8601 with its offset
        return value.isoformat()
    return _copy_value(str(value))


def _copy_line(row: tuple) -> str:
    return "\t".join([_copy_value(value) for value in row]) + "\n"


def run(sheet: Sheet, *, user, commit: bool, progress=None, sink=None) -> Preview:
    """For ``user`` (None: the administrator at the command line): the stations and counties
    they see, and the value mappings remembered for their county."""
    stations = Station.objects.all()
    if user is not None:
        stations = scoped(stations, user, "station")
    counties = CountyResolver(user)
    return check_and_save(
        sheet,
        stations=stations,
        counties=counties,
        remembered=remembered_values(counties.default),
        commit=commit,
        progress=progress,
        sink=sink,
    )
