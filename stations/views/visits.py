"""选民走访日 (planned per station and month, held with a ledger entry) and 代表信箱 (where they
are, who opens them, their openings, coverage per township)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, require, scope_level
from core.errors import DomainError
from core.filters import query_int
from core.pagination import paginate

from ..forms.visits import (
    LetterFormSet,
    MailboxOpeningForm,
    StationChoiceForm,
    VisitDayEditForm,
    VisitDayHoldForm,
    VisitDayPlanForm,
)
from ..selectors import visits as selectors
from ..services.visits import mailbox_open, visit_day_hold, visit_day_plan, visit_day_update


@login_required
def visit_day_list(request):
    filterset = selectors.VisitDayFilter(
        request.GET or {"date_from": timezone.localdate().replace(day=1).isoformat()},
        queryset=selectors.visit_day_list(user=request.user),
        request=request,
    )
    return render(
        request,
        "stations/visits/day_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


@login_required
def visit_day_new(request):
    """Plan a station's 选民走访日: first the station (when the user keeps several), then the
    date and the deputies stationed there who go."""
    scope_level(request.user, "visit_day")
    stations = selectors.plannable_stations(user=request.user)
    if not can(request.user, "visit_day.edit") or not stations.exists():
        raise PermissionDenied
    station_id = query_int(request.GET.get("station"))
    if station_id is None and stations.count() == 1:
        station_id = stations.first().pk  # type: ignore[union-attr]
    station = stations.filter(pk=station_id).first() if station_id is not None else None
    if station is None:
        return render(
            request,
            "stations/visits/choose_station.html",
            {"form": StationChoiceForm(stations=stations)},
        )
    form = VisitDayPlanForm(
        request.POST or None,
        deputies=selectors.stationed_deputies(station),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit_day_plan(user=request.user, station=station, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("选民走访日已安排。"))
            return redirect("stations:visit_days")
    return render(
        request,
        "stations/visits/day_form.html",
        {"form": form, "station": station, "heading": _("安排选民走访日")},
    )


@login_required
def visit_day_edit(request, pk: int):
    day = selectors.visit_day_get(user=request.user, pk=pk)
    require(request.user, "visit_day.edit", day)
    initial = {
        "date": day.date,
        "status": day.status,
        "note": day.note,
        "deputies": list(day.deputies.values_list("pk", flat=True)),
    }
    form = VisitDayEditForm(
        request.POST or None,
        day=day,
        deputies=selectors.stationed_deputies(day.station),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit_day_update(user=request.user, day=day, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("选民走访日已更新。"))
            return redirect("stations:visit_days")
    return render(
        request,
        "stations/visits/day_form.html",
        {"form": form, "station": day.station, "day": day, "heading": _("调整选民走访日")},
    )


@login_required
def visit_day_hold_view(request, pk: int):
    day = selectors.visit_day_get(user=request.user, pk=pk)
    require(request.user, "visit_day.edit", day)
    form = VisitDayHoldForm(
        request.POST or None,
        deputies=selectors.stationed_deputies(day.station),
        initial={"deputies": list(day.deputies.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit_day_hold(user=request.user, day=day, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("走访情况已登记,参加的代表已记入履职档案。"))
            return redirect("stations:visit_days")
    return render(
        request,
        "stations/visits/day_form.html",
        {"form": form, "station": day.station, "day": day, "heading": _("登记走访情况")},
    )


@login_required
def mailbox_list(request):
    """代表信箱: coverage per township (全覆盖), and each mailbox with its station, openers,
    interval and last opening."""
    scope_level(request.user, "mailbox")
    filterset = selectors.MailboxFilter(
        request.GET, queryset=selectors.mailbox_list(user=request.user), request=request
    )
    return render(
        request,
        "stations/visits/mailbox_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "coverage": selectors.mailbox_coverage(user=request.user),
        },
    )


@login_required
def mailbox_detail(request, pk: int):
    mailbox = selectors.mailbox_get(user=request.user, pk=pk)
    may_open = can(request.user, "mailbox.open", mailbox)
    data = request.POST if request.method == "POST" else None
    if data is not None and not may_open:
        raise PermissionDenied
    form = MailboxOpeningForm(
        data,
        openers=selectors.stationed_deputies(mailbox.station),
        initial={"opened_on": timezone.localdate()},
    )
    letters = LetterFormSet(data, prefix="letters")
    if data is not None and form.is_valid() and letters.is_valid():
        rows = [row for row in letters.cleaned_data if row]
        try:
            opening = mailbox_open(
                user=request.user,
                mailbox=mailbox,
                letters=[(row["category"], row["content"]) for row in rows],
                **form.cleaned_data,
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("已登记开箱,%(n)d 封信件已转为群众意见。") % {"n": opening.letters},
            )
            return redirect("stations:mailbox_detail", pk=mailbox.pk)
    return render(
        request,
        "stations/visits/mailbox_detail.html",
        {
            "mailbox": mailbox,
            "openings": paginate(request, selectors.mailbox_openings(mailbox)),
            "form": form if may_open else None,
            "letters": letters,
        },
    )
