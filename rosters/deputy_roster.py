"""The deputies roster (代表名册): one row per mandate — the person (姓名, 公民身份号码, …), the
station they are stationed in, and the mandate (代表层级, 届次, 选举单位/选区). A person holding
mandates at two levels takes two rows with the same ID number.

Deputies are matched by the keyed hash of their ID number (unique), mandates by deputy and level
among the active ones. An empty cell leaves an existing value as it is; a row whose values are
all already there is "unchanged", so importing the same file again writes nothing. An exact
repeat of an earlier row is ignored; a repeat that differs is an error."""

import dataclasses
import functools
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scoped
from core import listcache
from core.crypto import keyed_hash
from core.idnumbers import parse_id_number
from deputies.models import Deputy, Education, Gender, Level, Mandate, Occupation, Party
from stations.models import Station

from . import cells
from .base import Preview, RowError, RowResult, RowStatus
from .sheets import Column, Sheet

KEY = "deputies"
TITLE = gettext_lazy("代表名册")
MAX_ROWS = 50_000
CHUNK = 2000

COLUMNS = (
    Column("name", "姓名", ("代表姓名",), required=True),
    Column("id_number", "公民身份号码", ("身份证号", "身份证号码", "身份证"), required=True),
    Column("gender", "性别"),
    Column("birth_date", "出生日期", ("出生年月日", "出生年月", "生日")),
    Column("ethnicity", "民族"),
    Column("party", "政治面貌", ("党派",)),
    Column("education", "学历", ("文化程度",)),
    Column("occupation", "职业类别", ("代表构成", "职业")),
    Column("workplace", "工作单位及职务", ("工作单位", "单位及职务", "工作单位和职务")),
    Column("phone", "手机号码", ("联系电话", "电话", "手机")),
    Column("township", "乡镇(街道)", ("乡镇", "所属乡镇", "乡镇街道")),
    Column(
        "station", "进驻家站", ("家站", "代表之家(联络站)", "联络站", "进驻站点"), required=True
    ),
    Column("level", "代表层级", ("层级", "代表级别", "级别"), required=True),
    Column("term", "届次", (), required=True),
    Column("constituency", "选举单位/选区", ("选区", "选举单位", "选举单位(选区)"), required=True),
    Column("directly_elected", "直接选举", ("是否直选", "直选")),
)


def _options(choices, extra: dict[str, str]) -> dict[str, str]:
    # Labels are read untranslated (the roster's headers and values are Chinese anyway).
    with translation.override(None):
        options = {cells.compact(str(label)): value for value, label in choices.choices}
    options.update({cells.compact(name): value for name, value in extra.items()})
    return options


@functools.cache
def options() -> dict[str, dict[str, str]]:
    return {
        "gender": _options(Gender, {}),
        "party": _options(
            Party,
            {"中国共产党党员": Party.CPC, "党员": Party.CPC, "预备党员": Party.CPC_PROBATIONARY},
        ),
        "education": _options(
            Education,
            {
                "硕士研究生": Education.POSTGRADUATE,
                "博士研究生": Education.POSTGRADUATE,
                "本科": Education.UNIVERSITY,
                "大专": Education.COLLEGE,
                "专科": Education.COLLEGE,
                "高中": Education.HIGH_SCHOOL,
                "中专": Education.HIGH_SCHOOL,
                "初中": Education.MIDDLE_SCHOOL,
                "小学": Education.MIDDLE_SCHOOL,
            },
        ),
        "occupation": _options(
            Occupation, {"领导干部": Occupation.CADRE, "党政干部": Occupation.CADRE}
        ),
        "level": _options(
            Level,
            {
                "全国": Level.NATIONAL,
                "省": Level.PROVINCIAL,
                "省级": Level.PROVINCIAL,
                "市": Level.CITY,
                "市级": Level.CITY,
                "县": Level.COUNTY,
                "县级": Level.COUNTY,
                "乡镇": Level.TOWNSHIP,
                "乡": Level.TOWNSHIP,
                "镇": Level.TOWNSHIP,
                "乡镇级": Level.TOWNSHIP,
            },
        ),
    }


PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "party",
    "education",
    "occupation",
    "workplace",
)
MANDATE_FIELDS = ("term", "constituency", "directly_elected")


@dataclasses.dataclass
class _Row:
    result: RowResult
    values: dict
    station: Station | None = None
    id_hash: str = ""


def _parse(sheet: Sheet, line: int, raw: tuple) -> _Row:
    result = RowResult(row=line, label="")
    values: dict = {}

    def cell(key):
        col = sheet.mapping.get(key)
        return raw[col] if col is not None and col < len(raw) else None

    def fail(key, message):
        col = sheet.mapping.get(key)
        column = sheet.column_name(col) if col is not None else ""
        result.errors.append(RowError(line, column, message))

    def read(key, parse):
        try:
            values[key] = parse(cell(key))
        except cells.CellError as error:
            fail(key, str(error))
            values[key] = None

    read("name", cells.compact)
    result.label = values["name"]
    if not values["name"]:
        fail("name", _("姓名为空"))
    read("id_number", cells.id_number)
    if values["id_number"] == "":
        fail("id_number", _("公民身份号码为空"))
        values["id_number"] = None
    elif values["id_number"] is not None:
        try:
            resident = parse_id_number(values["id_number"])
        except ValidationError as error:
            fail("id_number", " ".join(error.messages))
            values["id_number"] = None
        else:
            values["id_number"] = resident.number
            read("gender", lambda v: cells.choice(v, options()["gender"], label=_("性别")))
            if values["gender"] and values["gender"] != resident.gender:
                fail("gender", _("性别与公民身份号码不一致"))
            values["gender"] = resident.gender
            read("birth_date", cells.date)
            if values["birth_date"] and values["birth_date"] != resident.birth_date:
                fail(
                    "birth_date",
                    _("出生日期%(d)s与公民身份号码中的%(id)s不一致")
                    % {"d": values["birth_date"], "id": resident.birth_date},
                )
            values["birth_date"] = resident.birth_date
    read("ethnicity", cells.compact)
    read("party", lambda v: cells.choice(v, options()["party"], label=_("政治面貌")))
    read("education", lambda v: cells.choice(v, options()["education"], label=_("学历")))
    read("occupation", lambda v: cells.choice(v, options()["occupation"], label=_("职业类别")))
    read("workplace", cells.text)
    read("phone", cells.compact)
    read("township", cells.compact)
    read("station", cells.compact)
    if not values["station"]:
        fail("station", _("进驻家站为空"))
    read("level", lambda v: cells.choice(v, options()["level"], label=_("代表层级")))
    if values["level"] is None and not cell("level"):
        fail("level", _("代表层级为空"))
    read("term", cells.integer)
    if values["term"] is None and not cells.compact(cell("term")):
        fail("term", _("届次为空"))
    elif values["term"] is not None and not 1 <= values["term"] <= 99:
        fail("term", _("届次“%(v)s”不合理") % {"v": values["term"]})
    read("constituency", cells.text)
    if not values["constituency"]:
        fail("constituency", _("选举单位/选区为空"))
    read("directly_elected", cells.boolean)
    if values["directly_elected"] is None and values["level"]:
        values["directly_elected"] = values["level"] in (Level.COUNTY, Level.TOWNSHIP)
    for key in ("name", "workplace", "constituency"):
        limit = {"name": 40, "workplace": 120, "constituency": 80}[key]
        if values[key] and len(values[key]) > limit:
            fail(key, _("超过%(n)d个字") % {"n": limit})
    return _Row(result=result, values=values)


def _resolve_stations(rows: list[_Row], sheet: Sheet, stations) -> None:
    by_name: dict[str, list[Station]] = {}
    for station in stations.select_related("township"):
        by_name.setdefault(cells.compact(station.name), []).append(station)
    for row in rows:
        name, township = row.values.get("station"), row.values.get("township")
        if not name:
            continue
        matches = by_name.get(name, [])
        if township:
            matches = [s for s in matches if cells.compact(s.township.name) == township]
        col = sheet.mapping.get("station")
        column = sheet.column_name(col) if col is not None else ""
        if len(matches) == 1:
            row.station = matches[0]
        elif not matches:
            row.result.errors.append(
                RowError(row.result.row, column, _("没有名为“%(s)s”的家站") % {"s": name})
            )
        else:
            row.result.errors.append(
                RowError(
                    row.result.row,
                    column,
                    _("有多个名为“%(s)s”的家站,请填写“乡镇(街道)”列") % {"s": name},
                )
            )


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
        if row.values.get(key) is not None and getattr(mandate, key) != row.values[key]
    }


FIELD_LABELS = {
    "name": gettext_lazy("姓名"),
    "gender": gettext_lazy("性别"),
    "birth_date": gettext_lazy("出生日期"),
    "ethnicity": gettext_lazy("民族"),
    "party": gettext_lazy("政治面貌"),
    "education": gettext_lazy("学历"),
    "occupation": gettext_lazy("职业类别"),
    "workplace": gettext_lazy("工作单位及职务"),
    "phone": gettext_lazy("手机号码"),
    "station": gettext_lazy("进驻家站"),
    "term": gettext_lazy("届次"),
    "constituency": gettext_lazy("选举单位/选区"),
    "directly_elected": gettext_lazy("直接选举"),
}


def check_and_save(sheet: Sheet, *, stations, commit: bool, progress=None) -> Preview:
    """Check every row against ``stations`` (the stations the importer may place deputies in);
    save when ``commit`` and no row has an error, all of it in one transaction."""
    preview = Preview(roster=KEY, header_row=sheet.header_row, mapping=dict(sheet.mapping))
    rows = []
    for n, (line, raw) in enumerate(sheet.rows, 1):
        rows.append(_parse(sheet, line, raw))
        if progress and n % 1000 == 0:
            progress(n, len(sheet.rows) * 2)
    preview.rows = [row.result for row in rows]
    # Reading the cells needs no database; what follows reads and writes it in one transaction
    # so that what is saved is what was checked.
    with transaction.atomic():
        _plan_and_save(preview, rows, sheet, stations=stations, commit=commit)
    if progress:
        progress(len(sheet.rows) * 2, len(sheet.rows) * 2)
    return preview


def _plan_and_save(preview: Preview, rows: list[_Row], sheet: Sheet, *, stations, commit) -> None:
    _resolve_stations(rows, sheet, stations)
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
    allowed = set(stations.values_list("pk", flat=True)) if existing else set()
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
        if deputy is not None and deputy.station_id not in allowed:
            result.errors.append(
                RowError(result.row, "", _("该代表进驻的家站不在您管理的范围内,不能修改"))
            )
            result.status = RowStatus.ERROR
            continue
        changes: list[str] = []
        if deputy is None:
            deputy = new_deputies.get(row.id_hash)
            if deputy is None:
                values = {k: v for k, v in row.values.items() if v not in (None, "")}
                deputy = Deputy(
                    id_number=values["id_number"],
                    station=row.station,
                    **{k: values[k] for k in (*PERSON_FIELDS, "phone") if k in values},
                )
                new_deputies[row.id_hash] = deputy
                changes.append(_("新代表"))
        else:
            person = _person_changes(deputy, row)
            for key, value in person.items():
                setattr(deputy, key, value)
                changes.append(str(FIELD_LABELS[key]))
            if person:
                deputy.updated_at = now
                changed_deputies[deputy.pk] = deputy
        mandate = mandates.get((deputy.pk, row.values["level"])) if deputy.pk else None
        if mandate is None:
            mandate = Mandate(
                level=row.values["level"],
                **{key: row.values[key] for key in MANDATE_FIELDS},
            )
            new_mandates.append((row.id_hash, mandate))
            changes.append(_("新任职:%(l)s") % {"l": Level(row.values["level"]).label})
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
    """For ``user`` (None: the administrator at the command line): the stations they see."""
    stations = Station.objects.all()
    if user is not None:
        stations = scoped(stations, user, "station")
    return check_and_save(sheet, stations=stations, commit=commit, progress=progress)
