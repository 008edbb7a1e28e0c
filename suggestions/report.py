"""年度代表建议办理情况报告: the yearly report on suggestion handling to the standing committee,
per handling unit and per category: on-time rate, replies by category (A/B/C/D), satisfaction,
re-handled, 见面率. The figures are those of the statistics page (statistics.py) for the same
period and congress; this module adds the reply categories per group and writes the narrative
Word document (core.docx). The Excel workbook is the exporter ``suggestion_annual_report``."""

import dataclasses
import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Count, F
from django.utils.translation import gettext as _

from accounts.access import scoped
from core.docx import Document
from core.periods import Period
from directory.models import Region
from stations.models import OpinionCategory

from .models import Reply, ReplyCategory, Suggestion
from .statistics import Figures, Statistics, suggestion_statistics

if TYPE_CHECKING:
    from accounts.models import User


@dataclasses.dataclass
class ReportRow:
    name: str
    figures: Figures
    codes: dict[str, int]  # reply category code → current-round replies of the group


@dataclasses.dataclass
class AnnualReport:
    period: Period
    congress_name: str
    statistics: Statistics
    codes: list[str]  # the reply categories in order (A, B, C, D)
    by_unit: list[ReportRow]
    by_category: list[ReportRow]

    @property
    def title(self) -> str:
        return _("%(congress)s%(period)s代表建议办理情况报告") % {
            "congress": self.congress_name,
            "period": self.period.headline,
        }

    def totals_codes(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for row in self.by_unit:
            for code, n in row.codes.items():
                totals[code] += n
        return dict(totals)


def annual_report(
    *,
    user: "User",
    period: Period,
    congress_level: str | None = None,
    congress_id: int | None = None,
    today: datetime.date | None = None,
) -> AnnualReport:
    statistics = suggestion_statistics(
        user=user,
        start=period.start,
        end=period.end,
        today=today,
        congress_level=congress_level,
        congress_id=congress_id,
    )
    suggestions = Suggestion.objects.filter(
        submitted_at__date__gte=period.start, submitted_at__date__lte=period.end
    )
    suggestions = scoped(suggestions, user, "suggestion")
    if congress_level:
        suggestions = suggestions.filter(congress_level=congress_level)
    if congress_id is not None:
        suggestions = suggestions.filter(congress_id=congress_id)
    current = (
        Reply.objects.filter(suggestion__in=suggestions.values("pk"), round=F("suggestion__round"))
        .order_by()
        .values_list("unit__name", "suggestion__category", "category__code")
        .annotate(n=Count("pk"))
    )
    unit_codes: dict[str, dict[str, int]] = defaultdict(dict)
    category_codes: dict[str, dict[str, int]] = defaultdict(dict)
    for unit_name, category, code, n in current:
        unit_codes[unit_name][code] = unit_codes[unit_name].get(code, 0) + n
        category_codes[category][code] = category_codes[category].get(code, 0) + n
    labels = dict(OpinionCategory.choices)
    label_values = {str(label): value for value, label in labels.items()}
    congress_name = ""
    if congress_id is not None:
        region = Region.objects.filter(pk=congress_id).values_list("name", flat=True)
        congress_name = region.first() or ""
    return AnnualReport(
        period=period,
        congress_name=congress_name,
        statistics=statistics,
        codes=list(ReplyCategory.objects.values_list("code", flat=True)),
        by_unit=[
            ReportRow(name, figures, unit_codes.get(name, {}))
            for name, figures in statistics.by_unit
        ],
        by_category=[
            ReportRow(str(label), figures, category_codes.get(label_values[str(label)], {}))
            for label, figures in statistics.by_category
        ],
    )


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def _header(report: AnnualReport, first: str) -> list[str]:
    return [
        first,
        _("交办"),
        _("答复"),
        _("按期答复率"),
        *[_("%(code)s类") % {"code": code} for code in report.codes],
        _("满意率"),
        _("重新办理"),
        _("见面率"),
    ]


def _row(report: AnnualReport, row: ReportRow) -> list:
    f = row.figures
    return [
        row.name,
        f.supervised,
        f.replies,
        _rate(f.on_time_rate),
        *[row.codes.get(code, 0) for code in report.codes],
        _rate(f.satisfaction_rate),
        f.rehandled,
        _rate(f.meeting_rate),
    ]


def annual_report_docx(report: AnnualReport) -> bytes:
    """The report as a narrative Word document: the headline figures as sentences, then the
    tables per unit and per category."""
    t = report.statistics.totals
    codes = report.totals_codes()
    document = Document()
    document.title(report.title)
    document.paragraph(
        _("统计期间:%(start)s 至 %(end)s(按建议提交日期)。")
        % {"start": f"{report.period.start:%Y-%m-%d}", "end": f"{report.period.end:%Y-%m-%d}"},
        center=True,
    )
    document.heading(_("一、总体情况"))
    document.paragraph(
        _(
            "本期代表共提出建议%(total)d件,登记%(registered)d件,交办承办单位%(supervised)d件,"
            "其中领导重点督办%(key)d件。"
        )
        % {
            "total": t.total,
            "registered": t.registered,
            "supervised": t.supervised,
            "key": t.key_supervision,
        }
    )
    document.paragraph(
        _(
            "承办单位答复%(replies)d件次,其中按期答复%(on_time)d件次,按期答复率%(on_time_rate)s;"
            "当前逾期未答复%(overdue)d件。"
        )
        % {
            "replies": t.replies,
            "on_time": t.on_time,
            "on_time_rate": _rate(t.on_time_rate),
            "overdue": t.overdue,
        }
    )
    if report.codes:
        document.paragraph(
            _("按答复类别,%(parts)s;推动解决问题%(solved)d个。")
            % {
                "parts": "、".join(
                    _("%(code)s类%(n)d件") % {"code": code, "n": codes.get(code, 0)}
                    for code in report.codes
                ),
                "solved": t.solved,
            }
        )
    document.paragraph(
        _(
            "代表测评%(evaluated)d件,满意和基本满意%(satisfied)d件,满意率%(rate)s;"
            "测评不满意重新办理%(rehandled)d件。"
        )
        % {
            "evaluated": t.evaluated,
            "satisfied": t.satisfied,
            "rate": _rate(t.satisfaction_rate),
            "rehandled": t.rehandled,
        }
    )
    document.paragraph(
        _(
            "答复前承办单位与领衔代表当面见面%(met)d件次,见面率%(meeting_rate)s;"
            "含电话沟通在内沟通%(contacted)d件次,沟通率%(contact_rate)s。"
        )
        % {
            "met": t.met,
            "meeting_rate": _rate(t.meeting_rate),
            "contacted": t.contacted,
            "contact_rate": _rate(t.contact_rate),
        }
    )
    document.heading(_("二、各承办单位办理情况"))
    if report.by_unit:
        document.table(
            _header(report, _("主办单位")), [_row(report, row) for row in report.by_unit]
        )
    else:
        document.paragraph(_("本期没有交办的建议。"))
    document.heading(_("三、按建议类别的办理情况"))
    if report.by_category:
        document.table(
            _header(report, _("类别")), [_row(report, row) for row in report.by_category]
        )
    else:
        document.paragraph(_("本期没有提出的建议。"))
    document.heading(_("四、口径说明"))
    for note in (
        _("按期答复率 = 在当轮期限(含批准的延期)内答复的件次 ÷(答复件次 + 逾期未答复件数)。"),
        _("满意率 =(满意 + 基本满意)÷ 已测评件数,按每件建议最近一轮的代表测评。"),
        _("见面率 = 答复前承办单位与领衔代表当面见面的答复件次 ÷ 答复件次。"),
        _("答复类别按每件建议当前一轮的答复统计。"),
    ):
        document.paragraph(note)
    return document.to_bytes()
