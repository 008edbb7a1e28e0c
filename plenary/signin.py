"""The sign-in sheet of a sitting (签到表), read through the portal's one table reader
(:func:`core.tables.open_table`: .xlsx, .xls, .ods or .csv): a 姓名 column, and optionally 身份证后四位
(or the whole 公民身份号码) to tell namesakes apart, 出席情况 (签到/出席/√, 请假, 缺席; empty means
present), 请假事由 and 批准人. The header may sit on any of the first rows, the columns in any
order.

Each row is matched to a deputy convened to the session. A row that cannot be matched (an
unknown name — the closest names are offered —, a name two deputies share without the ID's last
four, an unknown status) is reported with its line as Excel numbers it (第8行) and left out; the
others are accepted, with a warning where something was guessed or repeated. Nothing is saved
here: the page shows the preview and saves the accepted rows through
:func:`plenary.services.attendance_record` when staff confirm."""

import dataclasses
import difflib

from django.utils.translation import gettext as _

from core.headers import header_key, match_columns
from core.idnumbers import id_number_from_cell
from core.tables import TableError, open_table
from directory.models import Deputy

from .models import Attendance

COLUMNS = {
    "name": ("姓名", "代表姓名", "签到人"),
    "id_tail": ("身份证后四位", "身份证号后四位", "证件后四位", "后四位"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "身份证"),
    "status": ("出席情况", "出席", "签到", "签到情况", "状态"),
    "reason": ("请假事由", "请假原因", "事由"),
    "approver": ("批准人", "请假批准人", "审批人"),
}
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 3000
_S = Attendance.Status
STATUS_WORDS = {
    "": _S.PRESENT,
    "出席": _S.PRESENT,
    "签到": _S.PRESENT,
    "已签到": _S.PRESENT,
    "到": _S.PRESENT,
    "√": _S.PRESENT,
    "✓": _S.PRESENT,
    "是": _S.PRESENT,
    "请假": _S.LEAVE,
    "假": _S.LEAVE,
    "缺席": _S.ABSENT,
    "未到": _S.ABSENT,
    "缺": _S.ABSENT,
    "×": _S.ABSENT,
}


@dataclasses.dataclass
class Row:
    line: int
    name: str
    status: str = ""
    reason: str = ""
    approver: str = ""
    deputy: Deputy | None = None
    error: str = ""
    warnings: list[str] = dataclasses.field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(_S(self.status).label) if self.status in _S.values else ""


@dataclasses.dataclass
class Preview:
    rows: list[Row] = dataclasses.field(default_factory=list)
    error: str = ""

    @property
    def accepted(self) -> list[Row]:
        return [row for row in self.rows if row.deputy is not None and not row.error]

    @property
    def refused(self) -> list[Row]:
        return [row for row in self.rows if row.error]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def _find_header(rows) -> tuple[int, dict[str, int]] | None:
    columns = [(key, {header_key(label) for label in labels}) for key, labels in COLUMNS.items()]
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = match_columns(row, columns)
        if "name" in found:
            return index, found
    return None


def read_sign_in(uploaded_file, *, by_name: dict[str, list[Deputy]]) -> Preview:
    """Match the sheet's rows to the convened deputies (``by_name``: name → deputies)."""
    preview = Preview()
    try:
        rows = list(open_table(uploaded_file).rows())
    except TableError as error:
        preview.error = str(error)
        return preview
    header = _find_header(rows)
    if header is None:
        preview.error = _("没有找到表头:至少需要“姓名”一列。")
        return preview
    header_index, columns = header
    data = [(n + 1, row) for n, row in enumerate(rows) if n > header_index]
    data = [(n, row) for n, row in data if any(_text(cell) for cell in row)]
    if len(data) > MAX_ROWS:
        preview.error = _("一次最多导入%(n)d行。") % {"n": MAX_ROWS}
        return preview
    seen: dict[int, int] = {}
    for line, cells in data:

        def cell(key, cells=cells):
            col = columns.get(key)
            return _text(cells[col]) if col is not None and col < len(cells) else ""

        raw_name = cell("name")
        name = "".join(raw_name.split())
        row = Row(line=line, name=name, reason=cell("reason"), approver=cell("approver"))
        preview.rows.append(row)
        if name != raw_name:
            row.warnings.append(_("姓名中的空格已去掉"))
        word = "".join(cell("status").split())
        if word not in STATUS_WORDS:
            row.error = _("出席情况“%(w)s”无法识别(应为出席、请假或缺席)") % {"w": word}
            continue
        row.status = STATUS_WORDS[word]
        if not name:
            row.error = _("姓名为空")
            continue
        tail = cell("id_tail") or id_number_from_cell(
            cells[columns["id_number"]]
            if "id_number" in columns and columns["id_number"] < len(cells)
            else None
        )
        tail = tail[-4:].upper()
        candidates = by_name.get(name, [])
        if not candidates:
            close = difflib.get_close_matches(name, list(by_name), n=2, cutoff=0.5)
            row.error = _("本次会议的代表中没有“%(name)s”") % {"name": name}
            if close:
                row.error += _(",是否为“%(close)s”?") % {"close": "”或“".join(close)}
            continue
        if tail:
            matching = [d for d in candidates if d.id_number_masked[-4:].upper() == tail]
            if not matching:
                row.error = _("“%(name)s”的身份证后四位与代表名册不符") % {"name": name}
                continue
            candidates = matching
        if len(candidates) > 1:
            row.error = _("有%(n)d位名为“%(name)s”的代表,请在“身份证后四位”列注明") % {
                "n": len(candidates),
                "name": name,
            }
            continue
        row.deputy = candidates[0]
        if row.deputy.pk in seen:
            row.warnings.append(_("与第%(n)d行重复,以本行为准") % {"n": seen[row.deputy.pk]})
        seen[row.deputy.pk] = line
    return preview
