from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import can, can_view_personal_data
from accounts.models import Role
from core.errors import DomainError
from directory.models import HandlingUnit
from directory.selectors import deputy_get, station_get

from .annual import overview
from .charts import dashboard_charts
from .exporters import FIRST_YEAR, AnnualReportExporter
from .selectors import area_figures, next_reception_day, work_figures


def dashboard(request):
    """The workbench of a signed-in user; an anonymous visitor at ``/`` is a citizen: the public
    side (民意直通车, 家站查询, 公开信息) is where they go."""
    if not request.user.is_authenticated:
        return redirect("public:home")
    user = request.user
    role = user.scope.role
    today = timezone.localdate()
    context = {"role": role, "today": today}
    if role:
        context["work"] = work_figures(user=user, year=today.year)
    if can(user, "annual_report.read"):
        figures = context["figures"] = area_figures(user=user)
        charts = context["charts"] = dashboard_charts(
            user=user,
            mandates_by_level=figures.mandates_by_level,
            opinions_by_status=context["work"].opinions_by_status,
            today=today,
        )
        context["chart_data"] = charts.data()
        template = "reports/dashboard_area.html"
    elif role == Role.STATION_KEEPER:
        station = station_get(user=user, pk=user.station_id)
        context.update(
            station=station,
            deputy_count=station.deputies.count(),
            next_day=next_reception_day(station_id=station.pk, today=today),
        )
        template = "reports/dashboard_station.html"
    elif role == Role.DEPUTY:
        deputy = deputy_get(user=user, pk=user.deputy_id)
        next_day = next_reception_day(station_id=deputy.station_id, today=today)
        context.update(
            deputy=deputy,
            next_day=next_day,
            on_duty=next_day is not None and deputy in next_day.on_duty.all(),
        )
        template = "reports/dashboard_deputy.html"
    elif role == Role.HANDLING_UNIT:
        context["unit"] = HandlingUnit.objects.select_related("county").get(
            pk=user.handling_unit_id
        )
        template = "reports/dashboard_unit.html"
    else:
        template = "reports/dashboard_unlinked.html"
    return render(request, template, context)


def _annual_params(request) -> dict:
    """The period asked for on the annual report page (the current year by default)."""
    data = {name: request.GET.get(name, "") for name in ("year", "start", "end")}
    if not any(data.values()):
        data["year"] = str(timezone.localdate().year)
    return data


@login_required
def annual_report(request):
    """年度工作报告: the overview figures of a year or a date range, and the workbook export."""
    if not AnnualReportExporter.allowed(request.user):
        raise PermissionDenied
    data = _annual_params(request)
    context = {
        "data": data,
        "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1)[:10],
        "may_reveal": can_view_personal_data(request.user),
    }
    try:
        params = AnnualReportExporter.clean_params(request.user, data)
    except DomainError as error:
        messages.error(request, error.message)
        params = AnnualReportExporter.clean_params(
            request.user, {"year": str(timezone.localdate().year)}
        )
    exporter = AnnualReportExporter(user=request.user, params=params)
    period = exporter.period()
    sections: dict[str, list] = {}
    for figure in overview(user=request.user, period=period):
        sections.setdefault(figure.section, []).append(figure)
    context.update(period=period, params=params, sections=sections)
    return render(request, "reports/annual.html", context)
