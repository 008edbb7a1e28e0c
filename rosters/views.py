import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.excel import add_table_sheet, new_workbook
from core.filters import query_int

from . import selectors
from .base import RowStatus
from .forms import MappingForm, UploadForm, ValuesForm
from .jobs import import_job_check, import_job_commit, import_job_upload, mapping_for_header_row
from .mappings import current_term, value_mappings_save
from .models import ImportJob
from .services import ROSTERS, require_importer
from .values import vocabularies

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 10


def _own_job(request, pk, *, with_head: bool = False) -> ImportJob:
    require_importer(request.user)
    return selectors.import_job_get(user=request.user, pk=pk, with_head=with_head)


@login_required
def upload(request):
    """Choose the roster and the file; the next page confirms the columns."""
    require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_upload(
                user=request.user,
                roster=form.cleaned_data["roster"],
                uploaded_file=form.cleaned_data["file"],
                sheet=form.cleaned_data["sheet"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("rosters:mapping", pk=job.pk)
    jobs = selectors.import_job_recent(user=request.user, count=RECENT_JOBS)
    return render(
        request,
        "rosters/upload.html",
        {"form": form, "jobs": jobs, "rosters": {k: m.title for k, m in ROSTERS.items()}},
    )


@login_required
def mapping(request, pk):
    """Confirm (or correct) the header row and which sheet column holds what."""
    job = _own_job(request, pk, with_head=True)
    if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED):
        return redirect("rosters:detail", pk=job.pk)
    requested_row = query_int(request.GET.get("header_row"), maximum=max(len(job.head), 1))
    if request.method == "GET" and requested_row is not None:
        job.header_row = requested_row
        job.mapping = mapping_for_header_row(job, job.header_row)
    form = MappingForm(
        request.POST or None,
        job=job,
        default_term=current_term(request.user),
        initial={"header_row": job.header_row},
    )
    if request.method == "POST" and form.is_valid():
        try:
            import_job_check(
                job=job,
                header_row=form.cleaned_data["header_row"],
                mapping=form.mapping(),
                fixed_values=form.fixed_values(),
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("rosters:detail", pk=job.pk)
    return render(
        request,
        "rosters/mapping.html",
        {"job": job, "form": form, "title": ROSTERS[job.roster].title},
    )


ROWS_PER_PAGE = 100


@login_required
def detail(request, pk):
    """Progress while the task runs; then the preview (its counts, and its rows page by page,
    filtered by outcome) and the commit button."""
    job = _own_job(request, pk)
    shown = request.GET.get("status", "")
    if shown not in RowStatus.values:
        shown = ""
    rows = selectors.import_row_list(job=job, status=shown)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rosters/detail.html",
        {
            "job": job,
            "title": ROSTERS[job.roster].title,
            "result": job.result or {},
            "page": page,
            "filters": [
                (key, label, (job.result or {}).get("counts", {}).get(key, 0))
                for key, label in RowStatus.choices
            ],
            "shown": shown,
        },
    )


@login_required
@never_cache
def status(request, pk):
    """What the progress bar polls (static/js/export.js: "done" reloads the page)."""
    return JsonResponse(_own_job(request, pk).progress())


@login_required
@require_POST
def commit(request, pk):
    job = _own_job(request, pk)
    try:
        import_job_commit(job=job)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("rosters:detail", pk=job.pk)


@login_required
def template(request, roster: str):
    """The roster's template: a title row, then the header (required columns starred)."""
    require_importer(request.user)
    module = ROSTERS.get(roster)
    if module is None:
        raise Http404
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    add_table_sheet(
        workbook,
        module.title,
        [(c.label + ("*" if c.required else ""), 16) for c in module.columns],
        title=_("%(t)s(带*的列必填;表头和列的顺序可以调整)") % {"t": module.title},
    )
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{module.title}模板.xlsx"
    )
    return response


@login_required
def values(request, pk):
    """The values the check did not know, each once with its row count: staff say what each
    stands for; it is remembered for the county and the file is checked again."""
    job = _own_job(request, pk)
    unknown = (job.result or {}).get("unknown_values") or {}
    if job.status != ImportJob.Status.CHECKED or not unknown:
        return redirect("rosters:detail", pk=job.pk)
    form = ValuesForm(request.POST or None, unknown=unknown, lists=vocabularies())
    if request.method == "POST" and form.is_valid():
        try:
            value_mappings_save(user=request.user, choices=form.choices())
            import_job_check(
                job=job,
                header_row=job.header_row,
                mapping={key: int(col) for key, col in job.mapping.items()},
                fixed_values=job.fixed_values,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("取值对应已保存,本县以后的名册也按此识别;正在重新检查。"))
            return redirect("rosters:detail", pk=job.pk)
    return render(
        request,
        "rosters/values.html",
        {"job": job, "form": form, "title": ROSTERS[job.roster].title},
    )
