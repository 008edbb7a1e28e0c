"""代表述职月 pages: the campaign with who has and has not reported; filing a report (the deputy
on a phone, or staff on a deputy's behalf)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require, scope_level
from accounts.models import Role
from core.errors import DomainError
from core.filters import query_int, query_year
from core.pagination import paginate
from directory.models import Deputy, Level, Region
from directory.selectors import DeputyFilter, county_for, township_choices

from . import selectors, services
from .forms import BatchRuleForm, CampaignForm, DutyReportForm
from .models import ReportCampaign


def _county(request) -> Region | None:
    """The user's county, or for the administrator the one asked for (or the first)."""
    return county_for(user=request.user, county_id=query_int(request.GET.get("county")))


def _organiser(request, county: Region, data) -> Region | None:
    """The township whose campaign is asked for (``organiser``), None for the county office's.
    Township staff see their own township's campaign unless they ask for the county's."""
    value = data.get("organiser")
    if value is None and request.user.scope.role == Role.TOWNSHIP_STAFF:
        value = str(request.user.scope.township or "")
    township_id = query_int(value)
    if township_id is None:
        return None
    township = selectors.county_township(county=county, pk=township_id)
    if township is None:
        raise Http404
    return township


@login_required
def campaign(request):
    role = request.user.scope.role
    if role == Role.DEPUTY:
        return redirect("dutyreports:mine")
    scope_level(request.user, "report_campaign")
    county = _county(request)
    if county is None:
        raise Http404
    township = _organiser(request, county, request.GET)
    today = timezone.localdate()
    year = query_year(request.GET.get("year"), default=today.year, first=1, last=9999)
    current = selectors.campaign_for(
        county=county, year=year, township_id=township.pk if township else None
    )
    planned = current or ReportCampaign(county=county, township=township, year=year)
    context = {
        "county": county,
        "township": township,
        "year": year,
        "campaign": current,
        "organiser_name": planned.organiser_name,
        "organisers": township_choices(user=request.user),
        "may_manage": can(request.user, "report_campaign.manage", planned),
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
        context.update(
            filter=filterset,
            page=page,
            totals=totals,
            status=status,
            # The filter form keeps which campaign is shown.
            filter_keep=[
                ("year", year),
                ("organiser", township.pk if township else ""),
                *([("county", county.pk)] if request.user.scope.unrestricted else []),
            ],
        )
    return render(request, "dutyreports/campaign.html", context)


def _campaign_url(campaign: ReportCampaign) -> str:
    url = reverse("dutyreports:campaign")
    query = {"year": campaign.year, "county": campaign.county_id}
    if campaign.township_id:
        query["organiser"] = campaign.township_id
    return f"{url}?{urlencode(query)}"


@login_required
@require_POST
def campaign_open(request):
    county = _county(request)
    if county is None:
        raise PermissionDenied
    township = _organiser(request, county, request.POST)
    require(
        request.user, "report_campaign.manage", ReportCampaign(county=county, township=township)
    )
    form = CampaignForm(request.POST)
    year = timezone.localdate().year
    back = redirect(_campaign_url(ReportCampaign(county=county, township=township, year=year)))
    if not form.is_valid():
        messages.error(request, _("请填写述职截止日期。"))
        return back
    try:
        services.campaign_open(
            user=request.user,
            county=county,
            township=township,
            year=year,
            deadline=form.cleaned_data["deadline"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已发起%(year)d年代表述职。请确定本年度的述职名单,每周一提醒名单中尚未述职的代表。")
            % {"year": year},
        )
    return back


@login_required
def batch(request, pk: int):
    """The campaign's batch: choose it by a rule, add eligible deputies, take deputies off."""
    current = selectors.campaign_get(user=request.user, pk=pk)
    require(request.user, "report_campaign.manage", current)
    form = BatchRuleForm(
        request.POST if request.method == "POST" else None,
        campaign=current,
        user=request.user,
        initial={"rule": current.batch_rule},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "select":
                if not form.is_valid():
                    raise DomainError(_("请检查述职名单的产生方式。"))
                size = services.batch_select(
                    user=request.user,
                    campaign=current,
                    rule=form.cleaned_data["rule"],
                    station_ids=[s.pk for s in form.cleaned_data["stations"]],
                    township_ids=[t.pk for t in form.cleaned_data["townships"]],
                )
                messages.success(request, _("述职名单已更新,共%(n)d名代表。") % {"n": size})
            elif action in ("add", "remove"):
                deputy = selectors.batch_candidate_get(
                    campaign=current, pk=query_int(request.POST.get("deputy")) or 0
                )
                change = services.batch_add if action == "add" else services.batch_remove
                change(user=request.user, campaign=current, deputy=deputy)
                messages.success(request, _("述职名单已调整。"))
            else:
                raise DomainError(_("未知的操作。"))
        except DomainError as error:
            messages.error(request, error.message)
        if request.POST.get("next") == "campaign":
            return redirect(_campaign_url(current))
        return redirect("dutyreports:batch", pk=pk)
    outside = selectors.batch_outside(campaign=current, user=request.user)
    filterset = DeputyFilter(request.GET, queryset=outside, request=request)
    page = paginate(request, filterset.qs.order_by("station__township__name", "name", "pk"))
    return render(
        request,
        "dutyreports/batch.html",
        {
            "campaign": current,
            "form": form,
            "filter": filterset,
            "page": page,
            "campaign_url": _campaign_url(current),
            "removed": selectors.batch_removed(campaign=current),
        },
    )


@login_required
def coverage(request):
    """本届述职情况: every directly elected deputy at a level and whether they have reported at
    least once this term (each must, in some year of the term)."""
    scope_level(request.user, "duty_overview")
    county = _county(request)
    if county is None:
        raise Http404
    level = Level.TOWNSHIP if request.GET.get("level") == Level.TOWNSHIP else Level.COUNTY
    deputies, since = selectors.term_coverage(user=request.user, county=county, level=level)
    filterset = DeputyFilter(request.GET, queryset=deputies, request=request)
    listed = filterset.qs
    status = request.GET.get("status", "missing")
    if status in ("done", "missing"):
        listed = listed.filter(reported=status == "done")
    page = paginate(request, listed.order_by("station__township__name", "name", "pk"))
    return render(
        request,
        "dutyreports/coverage.html",
        {
            "county": county,
            "level": level,
            "levels": [(Level.COUNTY, Level.COUNTY.label), (Level.TOWNSHIP, Level.TOWNSHIP.label)],
            "since": since,
            "totals": selectors.coverage_totals(deputies),
            "filter": filterset,
            "page": page,
            "status": status,
            "filter_keep": [("level", level)],
        },
    )


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
            return redirect(_campaign_url(campaign))
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
    current = selectors.latest_campaign(deputy=deputy)
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
