"""Small wishes (微心愿): list, counts, record, claim, fulfil."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require, scope_level
from accounts.models import Role
from core.errors import DomainError
from core.files import private_file_response
from core.filters import query_year
from core.history import history_for
from core.pagination import paginate

from ..forms.wishes import ClaimForm, FulfilForm, WishForm
from ..models import SmallWish
from ..selectors import wishes as selectors
from ..services import wishes as services


def _is_deputy(user) -> bool:
    return user.scope.role == Role.DEPUTY


def _may_fulfil(user, wish: SmallWish) -> bool:
    return can(user, "small_wish.fulfil", wish)


@login_required
def wish_list(request):
    filterset = selectors.SmallWishFilter(
        request.GET, queryset=selectors.wish_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    counts = selectors.wish_status_counts(filterset.qs_except_status())
    status_counts = [("", _("全部"), counts["total"])] + [
        (status.value, status.label, counts[status.value]) for status in SmallWish.Status
    ]
    return render(
        request,
        "stations/wishes/wish_list.html",
        {
            "filter": filterset,
            "page": page,
            "status_counts": status_counts,
            "may_claim": _is_deputy(request.user),
            "may_create": can(request.user, "small_wish.create"),
        },
    )


def _year(request) -> int:
    this_year = timezone.localdate().year
    return query_year(request.GET.get("year"), default=this_year, last=this_year + 1)


@login_required
def wish_stats(request):
    scope_level(request.user, "small_wish")  # 403 for roles that may not read wishes at all
    if _is_deputy(request.user):  # deputies have their own records, not their colleagues' counts
        raise PermissionDenied
    year = _year(request)
    by_station = selectors.wish_counts_by_station(user=request.user, year=year)
    totals = {
        key: sum(row[key] for row in by_station) for key in ("total", *SmallWish.Status.values)
    }
    return render(
        request,
        "stations/wishes/wish_stats.html",
        {
            "year": year,
            "by_station": by_station,
            "totals": totals,
            "by_deputy": selectors.wish_counts_by_deputy(user=request.user, year=year),
        },
    )


@login_required
def wish_create(request):
    stations = selectors.creatable_stations(user=request.user)
    if not stations.exists():
        raise PermissionDenied
    form = WishForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        try:
            wish = services.wish_create(
                user=request.user,
                station=form.cleaned_data["station"],
                person_name=form.cleaned_data["person_name"],
                content=form.cleaned_data["content"],
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("微心愿已登记。"))
            return redirect("stations:wish_detail", wish.pk)
    return render(request, "stations/wishes/wish_form.html", {"form": form})


@login_required
def wish_detail(request, pk: int):
    wish = selectors.wish_get(user=request.user, pk=pk)
    user = request.user
    is_manager = can(user, "station.keep", wish.station)
    is_open = wish.status == SmallWish.Status.OPEN
    claim_form = None
    if is_open and is_manager:
        claim_form = ClaimForm(deputies=selectors.station_claimers(station=wish.station))
    return render(
        request,
        "stations/wishes/wish_detail.html",
        {
            "wish": wish,
            "may_claim_self": is_open and _is_deputy(user),
            "claim_form": claim_form,
            "may_fulfil": wish.status == SmallWish.Status.CLAIMED and _may_fulfil(user, wish),
            "history": history_for(user, wish),
        },
    )


@login_required
@require_POST
def wish_claim(request, pk: int):
    wish = selectors.wish_get(user=request.user, pk=pk)
    if _is_deputy(request.user):
        deputy = request.user.deputy  # a deputy claims for themselves, whatever was posted
    else:
        require(request.user, "station.keep", wish.station)
        form = ClaimForm(request.POST, deputies=selectors.station_claimers(station=wish.station))
        if not form.is_valid():
            messages.error(request, form.errors["deputy"][0])
            return redirect("stations:wish_detail", wish.pk)
        deputy = form.cleaned_data["deputy"]
    try:
        services.wish_claim(user=request.user, wish=wish, deputy=deputy)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已由%(name)s认领。") % {"name": deputy.name})
    return redirect("stations:wish_detail", wish.pk)


@login_required
def wish_fulfil(request, pk: int):
    wish = selectors.wish_get(user=request.user, pk=pk)
    if not _may_fulfil(request.user, wish):
        raise PermissionDenied
    if wish.status != SmallWish.Status.CLAIMED:
        messages.error(
            request,
            _("心愿当前为“%(status)s”,不能登记实现。") % {"status": wish.get_status_display()},
        )
        return redirect("stations:wish_detail", wish.pk)
    if request.method == "POST":
        form = FulfilForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.wish_fulfill(
                    user=request.user,
                    wish=wish,
                    fulfilled_on=form.cleaned_data["fulfilled_on"],
                    note=form.cleaned_data["note"],
                    photo=form.cleaned_data["photo"],
                )
            except DomainError as exc:
                exc.add_to(form)
            else:
                messages.success(request, _("已登记心愿实现情况。"))
                return redirect("stations:wish_detail", wish.pk)
    else:
        form = FulfilForm()
    return render(request, "stations/wishes/wish_fulfil.html", {"wish": wish, "form": form})


@login_required
def wish_photo(request, pk: int):
    """The photo, for those who may read the wish; never a public media URL."""
    wish = selectors.wish_get(user=request.user, pk=pk)
    return private_file_response(wish.photo)
