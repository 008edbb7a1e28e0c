from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import can, require, scope_level
from accounts.models import Role
from core.errors import DomainError
from core.files import private_file_response
from core.pagination import paginate

from ..forms.receptions import OpinionFormSet, ReceptionDayForm, ReceptionForm, WishFormSet
from ..selectors import receptions as selectors
from ..services.receptions import reception_day_update, reception_log


@login_required
def reception_list(request):
    filterset = selectors.ReceptionFilter(
        request.GET, queryset=selectors.reception_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    mine = request.user.scope.role == Role.DEPUTY
    return render(
        request,
        "stations/receptions/reception_list.html",
        {"filter": filterset, "page": page, "mine": mine},
    )


@login_required
def reception_detail(request, pk: int):
    reception = selectors.reception_get(user=request.user, pk=pk)
    return render(request, "stations/receptions/reception_detail.html", {"reception": reception})


@login_required
def reception_photo(request, pk: int):
    photo = selectors.reception_photo_get(user=request.user, pk=pk)
    return private_file_response(photo.image)


@login_required
@require_GET
def reception_day_search(request):
    """The reception form's day picker: the days the user may log, found by station or date."""
    require(request.user, "reception.log")
    results = selectors.reception_day_picks(
        user=request.user, query=request.GET.get("q", ""), today=timezone.localdate()
    )
    return JsonResponse({"results": results})


@login_required
def reception_new(request):
    """Log a reception, on a phone in under a minute: the day is pre-selected (today's, else the
    latest), opinions and small wishes are added row by row, photos straight from the camera."""
    user = request.user
    scope_level(user, "reception")
    today = timezone.localdate()
    days = selectors.loggable_days(user=user, today=today)
    deputies = selectors.loggable_deputies(user=user)
    fixed_deputy = user.deputy if user.scope.role == Role.DEPUTY else None
    if fixed_deputy is None and not deputies.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ReceptionForm(
        data,
        files,
        days=days,
        deputies=deputies,
        fixed_deputy=fixed_deputy,
        searchable_days=selectors.reception_day_searchable(user=user),
        initial={"reception_day": getattr(days.first(), "pk", None)},
    )
    opinion_forms = OpinionFormSet(data, prefix="opinions")
    wish_forms = WishFormSet(data, prefix="wishes")
    if (
        request.method == "POST"
        and form.is_valid()
        and opinion_forms.is_valid()
        and wish_forms.is_valid()
    ):
        try:
            reception = reception_log(
                user=user,
                day=form.cleaned_data["reception_day"],
                deputy=form.cleaned_data["deputy"],
                voters_received=form.cleaned_data["voters_received"],
                summary=form.cleaned_data["summary"],
                opinions=[row for row in opinion_forms.cleaned_data if row],
                wishes=[row for row in wish_forms.cleaned_data if row],
                photos=form.cleaned_data["photos"],
                today=today,
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(
                request,
                _("已登记 %(date)s 的接待:接待选民 %(n)d 人,意见 %(o)d 条。")
                % {
                    "date": reception.reception_day.date.isoformat(),
                    "n": reception.voters_received,
                    "o": reception.opinions.count(),
                },
            )
            return redirect("stations:reception_detail", pk=reception.pk)
    return render(
        request,
        "stations/receptions/reception_form.html",
        {
            "form": form,
            "opinion_forms": opinion_forms,
            "wish_forms": wish_forms,
            "has_days": days.exists(),
        },
    )


@login_required
def reception_day_list(request):
    filterset = selectors.ReceptionDayFilter(
        request.GET or {"date_from": timezone.localdate().replace(day=1).isoformat()},
        queryset=selectors.reception_day_list(user=request.user),
        request=request,
    )
    page = paginate(request, filterset.qs)
    return render(request, "stations/receptions/day_list.html", {"filter": filterset, "page": page})


@login_required
def reception_day_edit(request, pk: int):
    day = selectors.reception_day_get(user=request.user, pk=pk)
    if not can(request.user, "reception_day.edit", day):
        raise PermissionDenied
    form = ReceptionDayForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        try:
            reception_day_update(
                user=request.user,
                day=day,
                date=form.cleaned_data["date"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                on_duty=list(form.cleaned_data["on_duty"]),
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("接待日已更新。"))
            return redirect("stations:reception_days")
    return render(request, "stations/receptions/day_form.html", {"form": form, "day": day})
