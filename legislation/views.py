"""立法意见征集 pages: the list of drafts with their deadline state, a draft with its opinions
grouped by article (and the forms of whoever may comment: a deputy on a phone, a keeper for the
station), the staff's publishing form, routing of online opinions, summary and report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, county_record, require, scope_level
from core.actions import form_page, run_action
from core.crypto import open_sealed_file
from core.errors import DomainError
from core.pagination import paginate
from core.uploads import DOCUMENT_TYPES

from . import rules, selectors, services
from .forms import (
    ArticleSummaryForm,
    DraftForm,
    LiaisonPointForm,
    OpinionForm,
    ReportForm,
    RouteForm,
    StationOpinionForm,
)


@login_required
def draft_list(request):
    scope_level(request.user, "legislative_draft")
    filterset = selectors.DraftFilter(
        request.GET, queryset=selectors.draft_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    today = timezone.localdate()
    for draft in page:
        draft.deadline_state = rules.deadline_state(draft, today)
        draft.is_accepting = rules.comment_refusal(draft, today) is None
    return render(
        request,
        "legislation/draft_list.html",
        {
            "page": page,
            "filter": filterset,
            "may_publish": can(request.user, "legislative_draft.manage"),
        },
    )


@login_required
def draft_new(request):
    county = selectors.publishing_county(user=request.user)
    require(request.user, "legislative_draft.manage", county_record(county.pk))
    stations = selectors.county_stations(county.pk)
    form = DraftForm(request.POST or None, request.FILES or None, stations=stations)

    def save(data):
        return services.draft_publish(user=request.user, county=county, **data)

    return form_page(
        request,
        form,
        save,
        template="legislation/draft_form.html",
        context={},
        success=_("征求意见稿已发布。"),
        done=lambda draft: draft.get_absolute_url(),
    )


def _detail_context(request, draft, **forms):
    user = request.user
    today = timezone.localdate()
    opinions = selectors.draft_opinions(user=user, draft=draft)
    refusal = rules.comment_refusal(draft, today)
    may_manage = can(user, "legislative_draft.manage", draft)
    stations = selectors.recordable_stations(user=user, draft=draft)
    may_give = refusal is None and can(user, "legislative_opinion.give")
    return {
        "draft": draft,
        "groups": selectors.opinions_by_article(opinions, draft),
        "refusal": refusal,
        "deadline_state": rules.deadline_state(draft, today),
        "may_manage": may_manage,
        "may_summarise": may_manage and rules.summary_refusal(draft, today) is None,
        "deputy_form": forms.get("deputy_form") or (OpinionForm() if may_give else None),
        "station_form": forms.get("station_form")
        or (
            StationOpinionForm(stations=stations) if refusal is None and stations.exists() else None
        ),
        "route_form": forms.get("route_form")
        or (RouteForm() if may_manage and draft.status != draft.Status.REPORTED else None),
        "targets": selectors.draft_stations(draft) if not draft.all_stations else None,
    }


def _detail(request, draft, status=200, **forms):
    return render(
        request,
        "legislation/draft_detail.html",
        _detail_context(request, draft, **forms),
        status=status,
    )


@login_required
def draft_detail(request, pk: int):
    draft = selectors.draft_get(user=request.user, pk=pk)
    return _detail(request, draft)


@login_required
def draft_file(request, pk: int):
    """The draft's file (PDF or Word), for whoever reads the draft (opened from its sealed copy),
    served as the type its bytes were found to be on upload, with that type's extension."""
    draft = selectors.draft_get(user=request.user, pk=pk)
    if not draft.file:
        raise Http404
    content_type, extension = DOCUMENT_TYPES[draft.file_type or "pdf"]
    stem = (draft.file_name or "draft").rsplit(".", 1)[0] if draft.file_name else "draft"
    response = FileResponse(
        open_sealed_file(draft.file),
        as_attachment=True,
        filename=f"{stem}{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def opinion_give(request, pk: int):
    """A deputy's own opinion (on a phone)."""
    draft = selectors.draft_get(user=request.user, pk=pk)
    require(request.user, "legislative_opinion.give")
    form = OpinionForm(request.POST)
    return run_action(
        request,
        form,
        lambda data: services.opinion_give(user=request.user, draft=draft, **data),
        success=_("您的意见已提交,计入履职档案。"),
        done=draft.get_absolute_url(),
        rerender=lambda bad: _detail(request, draft, status=400, deputy_form=bad),
    )


@login_required
@require_POST
def opinion_record(request, pk: int):
    """The keeper records an opinion heard at the station."""
    draft = selectors.draft_get(user=request.user, pk=pk)
    require(request.user, "legislative_opinion.record")
    stations = selectors.recordable_stations(user=request.user, draft=draft)
    form = StationOpinionForm(request.POST, stations=stations)
    return run_action(
        request,
        form,
        lambda data: services.opinion_record(user=request.user, draft=draft, **data),
        success=_("意见已登记。"),
        done=draft.get_absolute_url(),
        rerender=lambda bad: _detail(request, draft, status=400, station_form=bad),
    )


@login_required
@require_POST
def opinion_route(request, pk: int):
    """Staff route an online opinion (by its tracking code) to the draft."""
    draft = selectors.draft_get_for_change(user=request.user, pk=pk)
    form = RouteForm(request.POST)

    def perform(data):
        source = selectors.online_opinion_by_code(user=request.user, code=data["code"])
        if source is None:
            raise DomainError(_("没有找到这个查询码的线上群众意见。"), field="code")
        services.opinion_route(
            user=request.user, draft=draft, source=source, article=data["article"]
        )

    return run_action(
        request,
        form,
        perform,
        success=_("群众意见已转入。"),
        done=draft.get_absolute_url(),
        rerender=lambda bad: _detail(request, draft, status=400, route_form=bad),
    )


@login_required
@require_POST
def draft_close(request, pk: int):
    draft = selectors.draft_get_for_change(user=request.user, pk=pk)
    try:
        services.draft_close(user=request.user, draft=draft)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("意见征集已结束。"))
    return redirect(draft.get_absolute_url())


@login_required
def draft_summary(request, pk: int):
    """Staff summarise per article, then mark the summary reported; the export goes upward."""
    draft = selectors.draft_get_for_change(user=request.user, pk=pk)
    opinions = selectors.draft_opinions(user=request.user, draft=draft)
    groups = selectors.opinions_by_article(opinions, draft)
    refusal = rules.summary_refusal(draft, timezone.localdate())
    form = ArticleSummaryForm(request.POST or None)
    if request.method == "POST":
        return run_action(
            request,
            form,
            lambda data: services.article_summary_save(user=request.user, draft=draft, **data),
            success=_("汇总意见已保存。"),
            done=request.path,
        )
    return render(
        request,
        "legislation/draft_summary.html",
        {
            "draft": draft,
            "groups": groups,
            "refusal": refusal,
            "adoptions": form.fields["adoption"].choices,
            "report_form": ReportForm(initial={"reported_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def draft_report(request, pk: int):
    draft = selectors.draft_get_for_change(user=request.user, pk=pk)
    form = ReportForm(request.POST)
    return run_action(
        request,
        form,
        lambda data: services.draft_report(user=request.user, draft=draft, **data),
        success=_("已标记为已汇总报送。"),
        done=draft.get_absolute_url(),
    )


@login_required
def liaison_points(request):
    """The county's 基层立法联系点: list them, designate a station (staff)."""
    county = selectors.publishing_county(user=request.user)
    require(request.user, "legislative_draft.manage", county_record(county.pk))
    form = LiaisonPointForm(request.POST or None, stations=selectors.county_stations(county.pk))

    def save(data):
        return services.liaison_point_designate(user=request.user, county=county, **data)

    return form_page(
        request,
        form,
        save,
        template="legislation/liaison_points.html",
        context={"points": selectors.liaison_point_list(county=county)},
        success=_("已设为基层立法联系点。"),
        done=request.path,
    )


@login_required
@require_POST
def liaison_point_remove(request, pk: int):
    county = selectors.publishing_county(user=request.user)
    require(request.user, "legislative_draft.manage", county_record(county.pk))
    point = selectors.liaison_point_get(county=county, pk=pk)
    try:
        services.liaison_point_remove(user=request.user, point=point)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤销基层立法联系点。"))
    return redirect("legislation:liaison_points")
