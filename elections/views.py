from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.access import (
    can,
    can_view_personal_data,
    county_record,
    get_for_user,
    require,
    scope_level,
    scoped,
)
from core.errors import DomainError
from core.filters import query_int
from core.pagination import paginate
from directory.models import Level, Mandate, Region

from . import selectors
from .forms import RegistrationCheckForm
from .models import RegistrationCheck, StructureTarget
from .services import registration_check_start
from .structure import structure_mix, term_candidates


@login_required
def check_list(request):
    """三零 checks of the user's county, newest first."""
    scope_level(request.user, "registration_check")
    page = paginate(request, selectors.check_list(user=request.user))
    return render(
        request,
        "elections/check_list.html",
        {"page": page, "may_run": can(request.user, "registration_check.run")},
    )


@login_required
def check_new(request):
    require(request.user, "registration_check.run")
    form = RegistrationCheckForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        county = form.cleaned_data["county"]
        require(request.user, "registration_check.run", county_record(county.pk))
        try:
            check = registration_check_start(
                user=request.user,
                county=county,
                election_day=form.cleaned_data["election_day"],
                voter_file=form.cleaned_data["voter_file"],
                population_file=form.cleaned_data["population_file"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已开始比对,完成后本页显示结果。"))
            return redirect("elections:check_detail", pk=check.pk)
    return render(request, "elections/check_new.html", {"form": form})


@login_required
def check_detail(request, pk: int):
    """Progress while running; then counts by kind and township and the filtered findings."""
    check = get_for_user(
        RegistrationCheck.objects.select_related("county", "created_by"),
        request.user,
        "registration_check",
        pk=pk,
    )
    findings = selectors.finding_list(user=request.user, check=check)
    filterset = selectors.FindingFilter(request.GET, queryset=findings, request=request)
    # Voters' names in full for those who may see personal data (committee staff), else 张**.
    context = {
        "check": check,
        "filter": filterset,
        "show_names": can_view_personal_data(request.user),
    }
    if check.status == RegistrationCheck.Status.DONE:
        context["townships"] = selectors.counts_by_township(findings)
        context["page"] = paginate(request, filterset.qs)
    return render(request, "elections/check_detail.html", context)


@login_required
@never_cache
def check_status(request, pk: int):
    """What the progress bar on the check page polls."""
    check = get_for_user(RegistrationCheck.objects.all(), request.user, "registration_check", pk=pk)
    return JsonResponse(
        {
            "status": check.status,
            "status_display": check.get_status_display(),
            "percent": check.percent,
            "rows_done": check.rows_done,
            "rows_total": check.rows_total,
            "error": check.error,
        }
    )


@login_required
def structure(request):
    """结构关: a term's deputies by gender, age band, ethnicity, party, education and occupation,
    against the target ratios, gaps highlighted."""
    scope_level(request.user, "structure_target")
    counties = scoped(Region.objects.filter(level=Region.Level.COUNTY), request.user, "region")
    county_id = _int(request.GET.get("county")) or request.user.scope.county
    if county_id is None:
        first = counties.order_by("pk").first()
        county_id = first.pk if first else None
    elif not counties.filter(pk=county_id).exists():
        raise Http404
    level = request.GET.get("level") or Level.COUNTY
    if level not in Level.values:
        level = Level.COUNTY
    terms = list(
        Mandate.objects.filter(level=level, deputy__county_id=county_id)
        .order_by("-term")
        .values_list("term", flat=True)
        .distinct()
    )
    term = _int(request.GET.get("term")) or (terms[0] if terms else 0)
    candidates = request.GET.get("source") == "candidates"
    total, mix = structure_mix(
        user=request.user,
        county_id=county_id,
        level=level,
        term=term,
        reference=timezone.localdate(),
        candidates=candidates,
    )
    checklist = None
    if candidates:
        # 政治关、质量关 per candidate: one query for the page shown.
        checklist = paginate(
            request, term_candidates(user=request.user, county_id=county_id, level=level, term=term)
        )
    return render(
        request,
        "elections/structure.html",
        {
            "counties": counties if request.user.scope.unrestricted else None,
            "county_id": county_id,
            "levels": Level.choices,
            "level": level,
            "terms": terms,
            "term": term,
            "total": total,
            "candidates": candidates,
            "checklist": checklist,
            "mix": [(StructureTarget.Dimension(key).label, shares) for key, shares in mix.items()],
        },
    )


def _int(value) -> int | None:
    return query_int(value, maximum=2**31 - 1)
