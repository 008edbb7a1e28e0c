"""代表述职月 pages: the campaign with who has and has not reported; filing a report (the deputy
on a phone, or staff on a deputy's behalf)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, county_record, require, scope_level
from accounts.models import Role
from core.errors import DomainError
from core.filters import query_int, query_year
from core.pagination import paginate
from directory.models import Deputy, Region
from directory.selectors import DeputyFilter, county_for

from . import selectors, services
from .forms import CampaignForm, DutyReportForm
from .models import ReportCampaign


def _county(request) -> Region | None:
    """The user's county, or for the administrator the one asked for (or the first)."""
    return county_for(user=request.user, county_id=query_int(request.GET.get("county")))


@login_required
def campaign(request):
    role = request.user.scope.role
    if role == Role.DEPUTY:
        return redirect("dutyreports:mine")
    scope_level(request.user, "report_campaign")
    county = _county(request)
    if county is None:
        raise Http404
    today = timezone.localdate()
    year = query_year(request.GET.get("year"), default=today.year, first=1, last=9999)
    current = selectors.campaign_for(county=county, year=year)
    context = {
        "county": county,
        "year": year,
        "campaign": current,
        "may_manage": can(request.user, "report_campaign.manage", county_record(county.pk)),
        "open_form": CampaignForm(initial={"deadline": today.replace(month=12, day=31)}),
    }
    if current is not None:
        deputies = selectors.campaign_roll(user=request.user, campaign=current)
        filterset = DeputyFilter(request.GET, queryset=deputies, request=request)
        listed = filterset.qs
        status = request.GET.get("status", "")
        if status in ("done", "missing"):
            listed = listed.filter(reported=status == "done")
        totals = selectors.roll_totals(current, deputies)
        page = paginate(
            request, listed.order_by("reported", "station__township__name", "name", "pk")
        )
        page.object_list = list(page.object_list)
        selectors.attach_reports(current, page.object_list)
        context.update(filter=filterset, page=page, totals=totals, status=status)
    return render(request, "dutyreports/campaign.html", context)


@login_required
@require_POST
def campaign_open(request):
    county = _county(request)
    if county is None:
        raise PermissionDenied
    require(request.user, "report_campaign.manage", county_record(county.pk))
    form = CampaignForm(request.POST)
    year = timezone.localdate().year
    if not form.is_valid():
        messages.error(request, _("请填写述职截止日期。"))
        return redirect("dutyreports:campaign")
    try:
        services.campaign_open(
            user=request.user, county=county, year=year, deadline=form.cleaned_data["deadline"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已发起%(year)d年代表述职,每周一提醒尚未述职的代表。") % {"year": year}
        )
    return redirect("dutyreports:campaign")


def _file(request, campaign: ReportCampaign, deputy: Deputy):
    report = selectors.filed_report(campaign=campaign, deputy=deputy)
    posted = request.method == "POST"
    form = DutyReportForm(
        request.POST if posted else None, request.FILES if posted else None, instance=report
    )
    if posted and form.is_valid():
        try:
            services.report_file(
                user=request.user, campaign=campaign, deputy=deputy, **form.cleaned_data
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("述职情况已提交,计入履职档案。"))
            if request.user.scope.role == Role.DEPUTY:
                return redirect("dutyreports:mine")
            return redirect("dutyreports:campaign")
    return render(
        request,
        "dutyreports/report_form.html",
        {"campaign": campaign, "deputy": deputy, "form": form, "report": report},
    )


@login_required
def mine(request):
    """The deputy's own report for the latest campaign of their county."""
    require(request.user, "duty_report.file_own")
    deputy = request.user.deputy
    current = selectors.latest_campaign(county_id=deputy.county_id)
    if current is None:
        return render(request, "dutyreports/no_campaign.html", {"deputy": deputy})
    return _file(request, current, deputy)


@login_required
def report_for(request, campaign_pk: int, deputy_pk: int):
    """Staff file a report on a deputy's behalf."""
    current = selectors.campaign_get(user=request.user, pk=campaign_pk)
    require(request.user, "report_campaign.manage", current)
    deputy = selectors.reporting_deputy_get(campaign=current, pk=deputy_pk)
    return _file(request, current, deputy)
