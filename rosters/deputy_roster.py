"""The deputies roster (代表名册): one row per mandate — the person (姓名, 公民身份号码, …), the
station they are stationed in, and the mandate (代表层级, 届次, 选举单位/选区). A person holding
mandates at two levels takes two rows with the same ID number.

Deputies are matched by the keyed hash of their ID number (unique), mandates by deputy and level
among the active ones. An empty cell leaves an existing value as it is; a row whose values are
all already there is "unchanged", so importing the same file again writes nothing. An exact
repeat of an earlier row is ignored; a repeat that differs is an error."""

import dataclasses
import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scoped
from core import listcache
from core.crypto import keyed_hash
from core.idnumbers import parse_id_number
from deputies.models import Deputy, Level, Mandate
from stations.models import Region, Station

from . import cells
from .base import Preview, RowError, RowResult, RowStatus
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


@dataclasses.dataclass
class _Row:
    result: RowResult
    values: dict
    station: Station | None = None
    county: Region | None = None
    id_hash: str = ""
    term_given: bool = False  # a 届次 cell (or value for the file) was there, read or not
    default_term: int | None = None  # else the county's current term, for a new mandate


class _Reader:
    """Reads the rows of one file: the value lookups (with the county's remembered mappings)
    and the month readings are kept across rows, so each distinct text is worked out once."""

    def __init__(self, sheet: Sheet, remembered: dict[str, dict[str, str]]):
        self.sheet = sheet
        lists = vocabularies()
        self.lookups = {key: Lookup(lists[key], remembered.get(key)) for key in VALUE_COLUMNS}
        self.months: dict = {}

    def unknown_values(self) -> dict[str, dict[str, int]]:
        return {key: dict(lookup.unknown) for key, lookup in self.lookups.items() if lookup.unknown}

    def birth_month(self, value):
        try:
            return self.months[value]
        except KeyError:
            self.months[value] = reading = cells.birth_month(value)
            return reading

    def parse(self, line: int, raw: tuple) -> _Row:
        sheet = self.sheet
        result = RowResult(row=line, label="")
        values: dict = {}

        def cell(key):
            return sheet.cell(raw, key)

        def fail(key, message):
            result.errors.append(RowError(line, sheet.column_of(key) if key else "", message))

        def read(key, parse):
            try:
                values[key] = parse(cell(key))
            except cells.CellError as error:
                fail(key, str(error))
                values[key] = None
            return values[key]

        read("name", cells.compact)
        result.label = values["name"]
        if not values["name"]:
            fail("name", _("姓名为空"))
        resident = None
        number = read("id_number", cells.id_number)
        if number == "":
            fail("id_number", _("公民身份号码为空"))
        elif number is not None:
            try:
                resident = parse_id_number(number)
            except ValidationError as error:
                fail("id_number", " ".join(error.messages))
        values["id_number"] = resident.number if resident else None
        # The sex and birth cells are read (and their own errors reported) even when the ID
        # number is wrong; they are compared with it when it is right, and the ID number wins.
        gender = self.lookups["gender"](cell("gender"))
        readings = read("birth_date", self.birth_month)
        if resident is not None:
            if gender and gender != resident.gender:
                fail("gender", _("性别与公民身份号码不一致"))
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
        read("workplace", cells.text)
        read("phone", cells.phone)
        read("township", cells.compact)
        read("station", cells.compact)
        read("county", cells.compact)
        level_cell = cell("level")
        values["level"] = self.lookups["level"](level_cell)
        if not cells.compact(level_cell):
            fail("level", _("代表层级为空"))
        term = read("term", cells.integer)
        if term is not None and not 1 <= term <= 99:
            fail("term", _("届次“%(v)s”不合理") % {"v": term})
        read("constituency", cells.text)
        read("directly_elected", cells.boolean)
        if values["directly_elected"] is None and values["level"]:
            values["directly_elected"] = values["level"] in (Level.COUNTY, Level.TOWNSHIP)
        limits = {"name": 40, "occupation_title": 60, "workplace": 120, "constituency": 80}
        for key, limit in limits.items():
            if values[key] and len(values[key]) > limit:
                fail(key, _("超过%(n)d个字") % {"n": limit})
        return _Row(result=result, values=values, term_given=bool(cells.compact(cell("term"))))

    def _occupation(self, cell, values: dict) -> None:
        """职业 is kept as written; 代表构成 (a category) is read from its own column, else
        derived from 职业. An office that has only one column writes either in it."""
        title = cells.text(cell("occupation_title"))
        category_cell = cells.compact(cell("occupation"))
        known = self.lookups["occupation"].table
        if category_cell and not title and category_cell not in known:
            title = cells.text(cell("occupation"))  # 代表构成 holding 教师: an occupation
        values["occupation_title"] = title
        values["occupation"] = self.lookups["occupation"](category_cell or title or None)


def _agrees(readings, birth_date: datetime.date) -> bool:
    return any(
        (year, month) == (birth_date.year, birth_date.month) and day in (None, birth_date.day)
        for year, month, day in readings
    )


def _resolve_places(rows: list[_Row], sheet: Sheet, stations, counties: CountyResolver) -> None:
    """Each row's station (by name, within its 乡镇 when given) among ``stations``, and its
    county: the station's, else the 所属县 cell's, else the importer's own."""
    by_name: dict[str, list[Station]] = {}
    for station in stations.select_related("township"):
        by_name.setdefault(cells.compact(station.name), []).append(station)
    for row in rows:
        name, township = row.values.get("station"), row.values.get("township")
        if name:
            matches = by_name.get(name, [])
            if township:
                matches = [s for s in matches if cells.compact(s.township.name) == township]
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


def _current_terms(county_ids) -> dict[tuple[int, str], int]:
    """The current term of each county and level: the latest of its deputies' active
    mandates (terms are not a table of their own)."""
    rows = (
        Mandate.objects.filter(is_active=True, deputy__county_id__in=list(county_ids))
        .values("deputy__county_id", "level")
        .annotate(term=Max("term"))
    )
    return {(row["deputy__county_id"], row["level"]): row["term"] for row in rows}


def _fill_terms(rows: list[_Row]) -> None:
    """届次 left out (no column, no value for the file): a new mandate takes the county's
    current term; an existing mandate keeps its own."""
    wanting = [row for row in rows if not row.term_given and row.values.get("level")]
    if not wanting:
        return
    terms = _current_terms({row.county.pk for row in wanting if row.county is not None})
    for row in wanting:
        county_id = row.county.pk if row.county is not None else None
        row.default_term = terms.get((county_id, row.values["level"]))


def _fingerprint(row: _Row) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in row.values.items()))


def _check_repeats(rows: list[_Row]) -> list[_Row]:
    """Mark exact repeats as duplicates; a person's rows must agree; one row per mandate level.
    Returns the rows that remain to be planned."""
    first_of_mandate: dict[tuple, _Row] = {}
    first_of_person: dict[str, _Row] = {}
    remaining = []
    for row in rows:
        number, level = row.values.get("id_number"), row.values.get("level")
        if not number or row.result.errors:
            remaining.append(row)
            continue
        earlier = first_of_mandate.get((number, level))
        if earlier is not None:
            if _fingerprint(earlier) == _fingerprint(row):
                row.result.status = RowStatus.DUPLICATE
                row.result.changes = [_("与第%(n)d行完全相同,已忽略") % {"n": earlier.result.row}]
            else:
                row.result.errors.append(
                    RowError(
                        row.result.row,
                        "",
                        _("与第%(n)d行是同一代表的同一层级任职,但内容不同")
                        % {"n": earlier.result.row},
                    )
                )
                remaining.append(row)
            continue
        first_of_mandate[(number, level)] = row
        person = first_of_person.setdefault(number, row)
        if person is not row:
            differing = [
                key
                for key in (*PERSON_FIELDS, "phone")
                if row.values.get(key) and row.values.get(key) != person.values.get(key)
            ]
            if differing or row.station != person.station:
                row.result.errors.append(
                    RowError(
                        row.result.row,
                        "",
                        _("与第%(n)d行身份证号码相同,但个人信息或进驻家站不同")
                        % {"n": person.result.row},
                    )
                )
        remaining.append(row)
    return remaining


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _person_changes(deputy: Deputy, row: _Row) -> dict:
    changes = {}
    for key in PERSON_FIELDS:
        value = row.values.get(key)
        if value not in (None, "") and getattr(deputy, key) != value:
            changes[key] = value
    phone = row.values.get("phone")
    if phone and deputy.phone_hash != keyed_hash(phone):
        changes["phone"] = phone
    if row.station is not None and deputy.station_id != row.station.pk:
        changes["station"] = row.station
    return changes


def _mandate_changes(mandate: Mandate, row: _Row) -> dict:
    return {
        key: row.values[key]
        for key in MANDATE_FIELDS
        if row.values.get(key) not in (None, "") and getattr(mandate, key) != row.values[key]
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
) -> Preview:
    """Check every row against ``stations`` (the stations the importer may place deputies in)
    and ``counties`` (those they import for); save when ``commit`` and nothing is wrong or
    unknown, all of it in one transaction. ``remembered``: the county's value mappings."""
    preview = Preview(roster=KEY, header_row=sheet.header_row, mapping=dict(sheet.mapping))
    reader = _Reader(sheet, remembered or {})
    rows = []
    for n, (line, raw) in enumerate(sheet.rows, 1):
        rows.append(reader.parse(line, raw))
        if progress and n % 1000 == 0:
            progress(n, len(sheet.rows) * 2)
    preview.rows = [row.result for row in rows]
    preview.unknown_values = reader.unknown_values()
    # Reading the cells needs no database; what follows reads and writes it in one transaction
    # so that what is saved is what was checked.
    with transaction.atomic():
        _plan_and_save(preview, rows, sheet, stations=stations, counties=counties, commit=commit)
    if progress:
        progress(len(sheet.rows) * 2, len(sheet.rows) * 2)
    return preview


def _plan_and_save(
    preview: Preview, rows: list[_Row], sheet: Sheet, *, stations, counties, commit
) -> None:
    _resolve_places(rows, sheet, stations, counties)
    for row in rows:
        if row.values.get("id_number"):
            row.id_hash = keyed_hash(row.values["id_number"])
    rows = _check_repeats(rows)

    hashes = list({row.id_hash for row in rows if row.id_hash})
    existing: dict[str, Deputy] = {}
    for chunk in _chunks(hashes):
        existing.update(
            (deputy.id_number_hash, deputy)
            for deputy in Deputy.objects.filter(id_number_hash__in=chunk).select_related("station")
        )
    for row in rows:
        known = existing.get(row.id_hash)
        if row.county is None and known is not None:
            row.county = counties.by_pk.get(known.county_id)
    _fill_terms(rows)
    mandates: dict[tuple[int, str], Mandate] = {}
    deputy_ids = [deputy.pk for deputy in existing.values()]
    for chunk in _chunks(deputy_ids):
        for mandate in Mandate.objects.filter(deputy_id__in=chunk, is_active=True):
            mandates[(mandate.deputy_id, mandate.level)] = mandate

    new_deputies: dict[str, Deputy] = {}
    changed_deputies: dict[int, Deputy] = {}
    new_mandates: list[tuple[str, Mandate]] = []
    changed_mandates: list[Mandate] = []
    now = timezone.now()
    for row in rows:
        result = row.result
        if result.errors:
            result.status = RowStatus.ERROR
            continue
        deputy = existing.get(row.id_hash)
        if deputy is not None and deputy.county_id not in counties.by_pk:
            result.errors.append(RowError(result.row, "", _("该代表不在您管理的范围内,不能修改")))
            result.status = RowStatus.ERROR
            continue
        changes: list[str] = []
        if deputy is None and row.county is None:
            result.errors.append(RowError(result.row, "", _("请填写进驻家站或所属县")))
            result.status = RowStatus.ERROR
            continue
        level = row.values["level"]
        new_mandate = level and (deputy is None or (deputy.pk, level) not in mandates)
        if new_mandate and row.values["term"] is None and row.default_term is None:
            result.errors.append(
                RowError(
                    result.row,
                    sheet.column_of("term"),
                    _("届次为空,本县也还没有该层级的在任代表可推定当前届次;请填写届次"),
                )
            )
            result.status = RowStatus.ERROR
            continue
        if deputy is None:
            deputy = new_deputies.get(row.id_hash)
            if deputy is None:
                values = {k: v for k, v in row.values.items() if v not in (None, "")}
                deputy = Deputy(
                    id_number=values["id_number"],
                    station=row.station,
                    county=row.county,
                    **{k: values[k] for k in (*PERSON_FIELDS, "phone") if k in values},
                )
                new_deputies[row.id_hash] = deputy
                changes.append(_("新代表"))
                if row.station is None:
                    changes.append(_("未进驻家站"))
        else:
            person = _person_changes(deputy, row)
            for key, value in person.items():
                setattr(deputy, key, value)
                changes.append(str(FIELD_LABELS[key]))
            if person:
                deputy.updated_at = now
                changed_deputies[deputy.pk] = deputy
        mandate = mandates.get((deputy.pk, level)) if deputy.pk else None
        if level is None:
            pass  # an unknown 代表层级, listed for staff to map; nothing to plan yet
        elif mandate is None:
            mandate = Mandate(
                level=level,
                term=row.values["term"] or row.default_term,
                constituency=row.values.get("constituency") or "",
                directly_elected=bool(row.values.get("directly_elected")),
            )
            new_mandates.append((row.id_hash, mandate))
            changes.append(_("新任职:%(l)s") % {"l": Level(level).label})
        else:
            mandate_update = _mandate_changes(mandate, row)
            for key, value in mandate_update.items():
                setattr(mandate, key, value)
                changes.append(str(FIELD_LABELS[key]))
            if mandate_update:
                changed_mandates.append(mandate)
        if deputy.pk is None:
            result.status = RowStatus.CREATE
        elif changes:
            result.status = RowStatus.UPDATE
        else:
            result.status = RowStatus.UNCHANGED
        result.changes = changes
    if commit and preview.ok:
        _save(new_deputies, changed_deputies, new_mandates, changed_mandates)
        preview.committed = True


def _save(new_deputies, changed_deputies, new_mandates, changed_mandates) -> None:
    """Set-based: one insert per chunk of new deputies and mandates, one update per chunk of
    changed ones. Bulk writes send no signals, so the roster list cache is bumped by hand."""
    for deputy in new_deputies.values():
        deputy.fill_hashes()
    Deputy.objects.bulk_create(list(new_deputies.values()), batch_size=CHUNK)
    changed = list(changed_deputies.values())
    for deputy in changed:
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
    by_hash = dict(new_deputies)
    by_hash.update({deputy.id_number_hash: deputy for deputy in changed})
    missing = [h for h, _m in new_mandates if h not in by_hash]
    for chunk in _chunks(missing):
        by_hash.update(
            (d.id_number_hash, d) for d in Deputy.objects.filter(id_number_hash__in=chunk)
        )
    for id_hash, mandate in new_mandates:
        mandate.deputy = by_hash[id_hash]
    Mandate.objects.bulk_create([m for _h, m in new_mandates], batch_size=CHUNK)
    Mandate.objects.bulk_update(changed_mandates, list(MANDATE_FIELDS), batch_size=CHUNK)
    listcache.bump()


def run(sheet: Sheet, *, user, commit: bool, progress=None) -> Preview:
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
    )
