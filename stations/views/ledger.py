"""The activity ledger (家站活动台账) and the compliance check. The station-year workbook is the
``station_ledger`` export (stations.exporters), started from these pages like every export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require, scope_level
from core.errors import DomainError
from core.files import private_file_response
from core.filters import query_int, query_year
from core.pagination import paginate

from ..forms.ledger import ActivityForm
from ..selectors import ledger as selectors
from ..services.ledger import activity_delete, activity_save

FIRST_YEAR = 2000


def _year(request) -> int:
    """``?year=`` within a sensible range, else the current year."""
    this_year = timezone.localdate().year
    return query_year(
        request.GET.get("year"), default=this_year, first=FIRST_YEAR, last=this_year + 1
    )


@login_required
def activity_list(request):
    user = request.user
    filterset = selectors.ActivityFilter(
        request.GET, queryset=selectors.activity_list(user=user), request=request
    )
    page = paginate(request, filterset.qs)
    station = filterset.form.cleaned_data.get("station") if filterset.is_valid() else None
    return render(
        request,
        "stations/ledger/activity_list.html",
        {
            "filter": filterset,
            "page": page,
            "may_create": selectors.managed_stations(user=user).exists(),
            "export_station": station,
            "export_year": _year(request),
        },
    )


@login_required
def activity_detail(request, pk: int):
    activity = selectors.activity_get(user=request.user, pk=pk)
    return render(
        request,
        "stations/ledger/activity_detail.html",
        {"activity": activity, "may_manage": can(request.user, "activity.keep", activity)},
    )


@login_required
def activity_photo(request, pk: int):
    photo = selectors.activity_photo_get(user=request.user, pk=pk)
    return private_file_response(photo.image)


def _activity_form(request, activity=None):
    """New and edit: only a station manager; DomainError → message on the form, nothing saved."""
    user = request.user
    scope_level(user, "activity")
    stations = selectors.managed_stations(user=user)
    if activity is not None and not can(user, "activity.keep", activity):
        raise PermissionDenied
    if activity is None and not stations.exists():
        raise PermissionDenied
    post = request.method == "POST"
    # A keeper's form starts at their own station; a link from a station's ledger passes it on.
    station = request.GET.get("station") or user.scope.station
    initial = {} if activity else {"initial": {"station": station}}
    form = ActivityForm(
        request.POST if post else None,
        request.FILES if post else None,
        stations=stations,
        deputies=selectors.activity_deputy_choices(user=user),
        activity=activity,
        **initial,
    )
    if post and form.is_valid():
        data = form.cleaned_data
        try:
            saved = activity_save(
                user=user,
                station=data["station"],
                kind=data["kind"],
                date=data["date"],
                theme=data["theme"],
                deputies=list(data["deputies"]),
                people_reached=data["people_reached"],
                summary=data["summary"],
                photos=data["photos"],
                activity=activity,
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(
                request,
                _("台账已保存:%(date)s %(theme)s。")
                % {"date": saved.date.isoformat(), "theme": saved.theme},
            )
            return redirect("stations:activity_detail", pk=saved.pk)
    return render(
        request, "stations/ledger/activity_form.html", {"form": form, "activity": activity}
    )


@login_required
def activity_new(request):
    return _activity_form(request)


@login_required
def activity_edit(request, pk: int):
    return _activity_form(request, selectors.activity_get(user=request.user, pk=pk))


@login_required
@require_POST
def activity_remove(request, pk: int):
    activity = selectors.activity_get(user=request.user, pk=pk)
    require(request.user, "activity.keep", activity)
    try:
        activity_delete(user=request.user, activity=activity)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("stations:activity_detail", pk=pk)
    messages.success(request, _("已删除台账:%(activity)s。") % {"activity": activity})
    return redirect("stations:activity_list")


@login_required
def compliance(request):
    today = timezone.localdate()
    year = _year(request)
    gaps_only = request.GET.get("gaps") == "1"
    # A dashboard bar: the stations that missed one month.
    missed_month = query_int(request.GET.get("missed_month"), maximum=12)
    report = selectors.compliance_for(
        user=request.user,
        year=year,
        today=today,
        gaps_only=gaps_only,
        missed_month=missed_month,
    )
    return render(
        request,
        "stations/ledger/compliance.html",
        {
            "report": report,
            "gaps_only": gaps_only,
            "missed_month": missed_month,
            "years": range(today.year + 1, max(FIRST_YEAR, today.year - 6) - 1, -1),
            # The grid's column heads, translated once (the head repeats for every township).
            "period_labels": [_("%(m)s月") % {"m": month} for month in range(1, 13)]
            + [_("一季"), _("二季"), _("三季"), _("四季")],
        },
    )
