"""The training sign-in sheet (签到表) import: a table (.xlsx, .xls, .ods or .csv, read by
:func:`core.tables.open_table`) with the columns 培训班, 姓名, 公民身份号码 and optionally 学时, the header on any of the first rows, columns in any order.

Every row is checked first — the course exists in the county, the name is given, the ID number is
valid and belongs to a deputy of the county whose name matches, the row is not a repeat — and the
report names each bad row as Excel does (第8行) with what is wrong. Only a file without errors is
saved, all of it in one transaction and set-based, each attendance a duty act of the deputy;
importing the same file again adds nothing. A full sheet (MAX_ROWS rows) is checked and saved in
a couple of seconds, so the page does it in the request."""

import dataclasses
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.crypto import keyed_hash
from core.headers import header_key, match_columns
from core.idnumbers import id_number_from_cell, parse_id_number
from core.tables import TableError, open_table
from directory.models import Deputy

from .models import DutyRecord, Training, TrainingAttendance

COLUMNS = {
    "course": ("培训班", "培训班名称", "培训名称", "班次", "培训项目", "培训班次"),
    "name": ("姓名", "代表姓名", "参训人", "参训代表"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "身份证", "公民身份证号码"),
    "hours": ("学时", "培训学时", "课时"),
}
REQUIRED = ("course", "name", "id_number")
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10


@dataclasses.dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    existing: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def _find_header(rows) -> tuple[int, dict[str, int]] | None:
    """The first of the first rows naming every required column (as core.headers reads
    headers: 姓 名, 身份证号码(必填), 所参加培训班名称…) and its columns."""
    columns = [(key, {header_key(label) for label in labels}) for key, labels in COLUMNS.items()]
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = match_columns(row, columns)
        if all(key in found for key in REQUIRED):
            return index, found
    return None


def import_sign_in_sheet(uploaded_file, *, courses) -> ImportReport:
    """Check the sheet against ``courses`` (the courses the importing user may see) and, when it
    has no error, save it (see the module docstring)."""
    report = ImportReport()
    try:
        rows = list(open_table(uploaded_file).rows())
    except TableError as error:
        report.errors.append(str(error))
        return report
    header = _find_header(rows)
    if header is None:
        report.errors.append(_("没有找到表头:需要“培训班”“姓名”“公民身份号码”三列。"))
        return report
    header_index, columns = header
    data = [(n + 1, row) for n, row in enumerate(rows) if n > header_index]
    data = [(n, row) for n, row in data if any(_text(cell) for cell in row)]
    if len(data) > MAX_ROWS:
        report.errors.append(_("一次最多导入%(n)d行。") % {"n": MAX_ROWS})
        return report
    report.rows = len(data)

    by_name: dict[str, list[Training]] = {}
    for course in courses:
        by_name.setdefault(course.name, []).append(course)
    parsed = []
    for line, row in data:

        def cell(key, row=row):
            col = columns.get(key)
            return _text(row[col]) if col is not None and col < len(row) else ""

        problems = []
        matches = by_name.get(cell("course"), [])
        course = matches[0] if len(matches) == 1 else None
        if not cell("course"):
            problems.append(_("培训班为空"))
        elif not matches:
            problems.append(_("没有名为“%(c)s”的培训班") % {"c": cell("course")})
        elif course is None:
            problems.append(_("多个县有名为“%(c)s”的培训班") % {"c": cell("course")})
        name = cell("name").replace(" ", "")
        if not name:
            problems.append(_("姓名为空"))
        col = columns["id_number"]
        number = id_number_from_cell(row[col] if col < len(row) else None)
        try:
            parse_id_number(number)
        except ValidationError as error:
            problems.append(_("公民身份号码有误:%(e)s") % {"e": " ".join(error.messages)})
            number = ""
        hours = None
        if cell("hours"):
            try:
                hours = Decimal(cell("hours"))
                if hours <= 0 or hours > 200:
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(_("学时“%(h)s”无效") % {"h": cell("hours")})
        parsed.append((line, course, name, number, hours, problems))

    hashes = {keyed_hash(number) for *_, number, _h, _p in parsed if number}
    deputies = {
        d.id_number_hash: d
        for d in Deputy.objects.filter(id_number_hash__in=hashes).select_related("station")
    }
    seen: dict[tuple[int, int], int] = {}
    rows_to_save = []
    for line, course, name, number, hours, problems in parsed:
        deputy = deputies.get(keyed_hash(number)) if number else None
        if deputy is not None and course is not None and deputy.county_id != (course.county_id):
            deputy = None
        if number and deputy is None:
            problems.append(_("本县没有这个公民身份号码的代表"))
        elif deputy is not None and name and deputy.name != name:
            problems.append(_("姓名与公民身份号码不符(应为%(n)s)") % {"n": deputy.name})
        if course is not None and deputy is not None:
            key = (course.pk, deputy.pk)
            if key in seen:
                problems.append(_("与第%(n)d行重复") % {"n": seen[key]})
            seen.setdefault(key, line)
        if problems:
            report.errors.append(
                _("第%(line)d行:%(problems)s") % {"line": line, "problems": ";".join(problems)}
            )
        else:
            rows_to_save.append((course, deputy, hours))
    if report.errors:
        return report

    # Set-based: one query for what is already there, one insert each for the attendances and
    # their duty records (a full sheet of MAX_ROWS rows saves in well under a second).
    with transaction.atomic():
        present = set(
            TrainingAttendance.objects.filter(
                training__in={course.pk for course, _d, _h in rows_to_save},
                deputy__in={deputy.pk for _c, deputy, _h in rows_to_save},
            ).values_list("training_id", "deputy_id")
        )
        new = [
            TrainingAttendance(training=course, deputy=deputy, hours=hours or course.hours)
            for course, deputy, hours in rows_to_save
            if (course.pk, deputy.pk) not in present
        ]
        created = TrainingAttendance.objects.bulk_create(new)
        source_type = ContentType.objects.get_for_model(TrainingAttendance)
        DutyRecord.objects.bulk_create(
            [
                DutyRecord(
                    deputy=attendance.deputy,
                    kind=DutyRecord.Kind.TRAINING,
                    occurred_on=attendance.training.start_date,
                    title=_("参加培训:%(c)s") % {"c": attendance.training.name},
                    source_type=source_type,
                    source_id=attendance.pk,
                )
                for attendance in created
            ]
        )
    report.created = len(created)
    report.existing = len(rows_to_save) - len(created)
    return report
