from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import can, can_view_personal_data, require, scope_level
from accounts.models import Role
from core import listcache
from core.errors import DomainError
from core.files import private_file_response
from core.filters import query_int, query_year
from core.history import history_for
from core.pagination import paginate
from core.personal import log_personal_access, wants_reveal
from directory import selectors as roster

from . import archive_sections, selectors
from .five_ones import KEYS as FIVE_ONE_KEYS
from .five_ones import missing_filter, overview, with_actions
from .forms import (
    ManualRecordDecideForm,
    ManualRecordForm,
    StationAssignForm,
    TrainingImportForm,
)
from .scoring import record_points, score_run_start
from .services import (
    deputies_assign_station,
    manual_record_decide,
    manual_record_propose,
)
from .training_import import import_sign_in_sheet
from .warnings import warned, window_start


@login_required
def deputy_list(request):
    def content() -> str:
        filterset = roster.DeputyFilter(
            request.GET, queryset=roster.deputy_list(user=request.user), request=request
        )
        page = paginate(request, filterset.qs)
        return render_to_string(
            "deputies/_deputy_list_content.html",
            {
                "filter": filterset,
                "page": page,
                "can_assign_stations": can(request.user, "deputy.assign_station"),
            },
            request=request,
        )

    return render(
        request,
        "deputies/deputy_list.html",
        {"content": listcache.cached(request, "deputies:list", content)},
    )


@login_required
def unstationed(request):
    """未进驻家站的代表: tick deputies, pick a station, station them all at once."""
    require(request.user, "deputy.assign_station")
    deputies = roster.unstationed_deputies(user=request.user)
    form = StationAssignForm(
        request.POST or None,
        deputies=deputies,
        stations=roster.assignable_stations(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = deputies_assign_station(
                user=request.user,
                station=form.cleaned_data["station"],
                deputy_ids=[deputy.pk for deputy in form.cleaned_data["deputies"]],
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("已为%(n)d名代表安排进驻%(s)s。")
                % {"n": count, "s": form.cleaned_data["station"].name},
            )
            return redirect("deputies:unstationed")
    return render(
        request,
        "deputies/unstationed.html",
        {"form": form, "page": paginate(request, deputies, 200)},
    )


@login_required
def deputy_detail(request, pk: int):
    deputy = roster.deputy_get(user=request.user, pk=pk)
    reveal = wants_reveal(request)
    if reveal:
        log_personal_access(request, [deputy], ["id_number", "phone"])
    return render(
        request,
        "deputies/deputy_detail.html",
        {
            "deputy": deputy,
            "reveal_personal": reveal,
            "may_reveal": can_view_personal_data(request.user),
            "may_see_archive": request.user.scope.role != Role.DEPUTY
            or request.user.deputy_id == deputy.pk,
            "history": history_for(request.user, deputy),
        },
    )


# The duty archive and scores (履职档案、考核得分) ------------------------------------------------


def _year(request) -> int:
    today = timezone.localdate()
    return query_year(request.GET.get("year"), default=today.year, last=today.year)


def _years() -> range:
    today = timezone.localdate()
    return range(today.year, today.year - 6, -1)


@login_required
def score_list(request):
    """考核得分: the ranking of the year within the chosen township, station, group or level."""
    if request.user.scope.role == Role.DEPUTY:
        return redirect("deputies:archive", pk=request.user.deputy_id)
    year = _year(request)
    scores = selectors.score_list(user=request.user, year=year)
    filterset = selectors.ScoreFilter(request.GET, queryset=scores, request=request)
    scheme = selectors.scoring_scheme_for(year=year)
    min_records = scheme.min_records if scheme else 3
    filtered = filterset.qs
    page = paginate(request, selectors.ranked(filtered, min_records))
    return render(
        request,
        "deputies/score_list.html",
        {
            "filter": filterset,
            "page": page,
            "year": year,
            "years": _years(),
            "scheme": scheme,
            "min_records": min_records,
            "unranked": filtered.filter(acts__lt=min_records).count(),
            "run": selectors.score_run_for(year=year),
            "may_compute": can(request.user, "duty_score.compute"),
        },
    )


@login_required
@require_POST
def score_compute(request):
    require(request.user, "duty_score.compute")
    year = query_int(request.POST.get("year"), maximum=9999) or 0
    try:
        run = score_run_start(user=request.user, year=year)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("deputies:scores")
    messages.success(request, _("已开始计算%(year)d年得分。") % {"year": run.year})
    return redirect(f"{reverse('deputies:scores')}?year={run.year}")


@login_required
@never_cache
def score_run_status(request, pk: int):
    """What the progress bar on the scores page polls."""
    require(request.user, "duty_score.compute")
    run = selectors.score_run_get(pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_display": run.get_status_display(),
            "percent": run.percent,
            "rows_done": run.deputies,
            "rows_total": 0,
            "error": run.error,
        }
    )


@login_required
def archive(request, pk: int):
    """履职档案: a deputy's year — the score, each kind of act with its points and the cap that
    cut it, and every record with the points it earned."""
    deputy = selectors.archive_deputy(user=request.user, pk=pk)
    year = _year(request)
    scheme = selectors.scoring_scheme_for(year=year, with_rules=True)
    score = selectors.archive_score(deputy=deputy, year=year)
    items = score.lines() if score else []
    records = selectors.archive_records(deputy=deputy, year=year)
    page = paginate(request, records, per_page=100)
    rows = record_points(scheme, page) if scheme else [(record, None) for record in page]
    return render(
        request,
        "deputies/archive.html",
        {
            "deputy": deputy,
            "year": year,
            "years": _years(),
            "scheme": scheme,
            "score": score,
            "items": items,
            "page": page,
            "rows": rows,
            "may_add_manual": can(request.user, "duty_record.enter"),
            "training_hours": selectors.archive_training(deputy=deputy, year=year),
            # The 人代会 attendance and whatever else features put at the archive's head.
            "sections": archive_sections.sections(deputy, year),
        },
    )


@login_required
def duty_warnings(request):
    """履职预警: deputies in office with no duty act in the last three months."""
    scope_level(request.user, "duty_overview")
    today = timezone.localdate()
    deputies = warned(selectors.overview_deputy_list(user=request.user), today).order_by(
        "station__township__name", "station__name", "name", "pk"
    )
    filterset = roster.DeputyFilter(request.GET, queryset=deputies, request=request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "deputies/warnings.html",
        {"filter": filterset, "page": page, "since": window_start(today)},
    )


# Manual duty records --------------------------------------------------------------------------


@login_required
def manual_record_new(request, pk: int):
    """Committee staff record a duty act by hand, with a photo as evidence."""
    require(request.user, "duty_record.enter")
    deputy = selectors.archive_deputy(user=request.user, pk=pk)
    form = ManualRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            manual_record_propose(
                user=request.user,
                deputy=deputy,
                kind=form.cleaned_data["kind"],
                occurred_on=form.cleaned_data["occurred_on"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                evidence=form.cleaned_data["evidence"],
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("已录入,待另一名工作人员审核通过后计入履职档案。"))
            return redirect("deputies:archive", pk=deputy.pk)
    return render(request, "deputies/manual_record_form.html", {"deputy": deputy, "form": form})


@login_required
def manual_record_list(request):
    """Manual records to approve (pending first) and decided ones."""
    require(request.user, "duty_record.enter")
    page = paginate(request, selectors.manual_record_list(user=request.user))
    return render(
        request,
        "deputies/manual_record_list.html",
        {"page": page, "decide_form": ManualRecordDecideForm()},
    )


@login_required
@require_POST
def manual_record_decide_view(request, pk: int):
    require(request.user, "duty_record.enter")
    record = selectors.manual_record_get(user=request.user, pk=pk)
    form = ManualRecordDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect("deputies:manual_records")
    try:
        manual_record_decide(
            user=request.user,
            record=record,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("审核完成。"))
    return redirect("deputies:manual_records")


@login_required
def manual_record_evidence(request, pk: int):
    record = selectors.manual_record_get(user=request.user, pk=pk)
    return private_file_response(record.evidence)


@login_required
def five_ones(request):
    """五个一: each deputy's five actions of the year, and who is missing which."""
    scope_level(request.user, "duty_overview")
    year = _year(request)
    deputies = with_actions(selectors.overview_deputy_list(user=request.user), year)
    filterset = roster.DeputyFilter(request.GET, queryset=deputies, request=request)
    filtered = filterset.qs
    missing = request.GET.get("missing", "")
    listed = filtered.filter(missing_filter(missing)) if missing in FIVE_ONE_KEYS else filtered
    page = paginate(request, listed.order_by("station__township__name", "station__name", "name"))
    rows = [(deputy, [getattr(deputy, f"has_{key}") for key in FIVE_ONE_KEYS]) for deputy in page]
    return render(
        request,
        "deputies/five_ones.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "year": year,
            "years": _years(),
            "overview": overview(filtered),
            "missing": missing,
        },
    )


# Training -----------------------------------------------------------------------------------


@login_required
def trainings(request):
    """培训: the courses of the year with their trainee-times and hours."""
    scope_level(request.user, "training")
    year = _year(request)
    courses = selectors.training_list(user=request.user, year=year)
    page = paginate(request, courses)
    return render(
        request,
        "deputies/trainings.html",
        {
            "page": page,
            "year": year,
            "years": _years(),
            "totals": selectors.training_totals(courses),
            "may_import": can(request.user, "training.import"),
        },
    )


@login_required
def training_detail(request, pk: int):
    scope_level(request.user, "training")
    course = selectors.training_get(user=request.user, pk=pk)
    attendances = course.attendances.select_related("deputy__station__township").order_by(
        "deputy__name", "pk"
    )
    return render(
        request,
        "deputies/training_detail.html",
        {"course": course, "page": paginate(request, attendances)},
    )


@login_required
def training_import(request):
    """Upload a sign-in sheet; nothing is saved unless every row is right."""
    require(request.user, "duty_record.enter")
    form = TrainingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        courses = selectors.training_scope(user=request.user)
        report = import_sign_in_sheet(form.cleaned_data["file"], courses=courses)
        if report.ok:
            messages.success(
                request,
                _("签到表已导入:新增%(c)d人次,已有%(e)d人次。")
                % {"c": report.created, "e": report.existing},
            )
            return redirect("deputies:trainings")
    return render(request, "deputies/training_import.html", {"form": form, "report": report})
