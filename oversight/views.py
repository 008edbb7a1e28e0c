"""Oversight pages for the committee's staff (and, read-only, the county's other roles; a
handling unit sees what concerns it and answers it). Thin: fetch through the access helpers,
validate a form, call one service, message, redirect."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, county_record, require, scope_level, scoped
from accounts.models import Role
from core.actions import form_page, run_action
from core.errors import DomainError
from core.filters import query_int
from core.pagination import paginate
from directory.models import Region

from . import forms, selectors, services
from .models import (
    CitizenObserver,
    InspectionRecommendation,
    MajorStep,
    MeetingAttendance,
    SatisfactionRating,
)


def _county(request) -> Region:
    """The user's county, or for the administrator the one asked for (or the first)."""
    scope = request.user.scope
    if scope.county:
        county = Region.objects.filter(pk=scope.county).first()
    else:
        counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
        county_id = query_int(request.GET.get("county"))
        county = counties.filter(pk=county_id).first() if county_id else counties.first()
        county = county if scope.unrestricted else None
    if county is None:
        raise Http404
    return county


def _staff_county(request) -> Region:
    county = _county(request)
    require(request.user, "oversight.manage", county_record(county.pk))
    return county


def _new_page(request, form, title: str, save: Callable[[dict], object], back: str):
    return form_page(
        request,
        form,
        save,
        template="oversight/form.html",
        context={"title": title, "back": back},
        success=_("已保存。"),
        done=lambda saved: saved.get_portal_url() if hasattr(saved, "get_portal_url") else back,
    )


# Inspections --------------------------------------------------------------------------------


@login_required
def inspections(request):
    base = selectors.inspection_list(user=request.user)
    filterset = selectors.InspectionFilter(request.GET, queryset=base, request=request)
    listed = filterset.qs
    return render(
        request,
        "oversight/inspections.html",
        {
            "filter": filterset,
            "page": paginate(request, listed.order_by("-start_date", "-pk")),
            "figures": selectors.inspection_figures(inspections=listed, user=request.user),
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


def _inspection_save(request, inspection=None):
    county = _staff_county(request) if inspection is None else inspection.county
    require(request.user, "oversight.manage", county_record(county.pk))
    form = forms.InspectionForm(
        request.POST if request.method == "POST" else None,
        instance=inspection,
        county_id=county.pk,
    )

    def save(data):
        return services.inspection_save(
            user=request.user, county=county, inspection=inspection, **data
        )

    title = _("登记执法检查") if inspection is None else _("修改执法检查")
    return form_page(
        request,
        form,
        save,
        template="oversight/form.html",
        context={"title": title, "back": "oversight:inspections"},
        success=_("执法检查已保存,参加的代表计入履职档案。"),
        done=lambda saved: saved.get_portal_url(),
    )


@login_required
def inspection_new(request):
    return _inspection_save(request)


@login_required
def inspection_edit(request, pk: int):
    return _inspection_save(request, selectors.inspection_get(user=request.user, pk=pk))


@login_required
def inspection_detail(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    may_manage = can(request.user, "oversight.manage", inspection)
    recommendations = list(
        scoped(
            inspection.recommendations.select_related("unit", "decided_by"),
            request.user,
            "inspection_recommendation",
        )
    )
    unit = request.user.scope.unit if request.user.scope.role == Role.HANDLING_UNIT else None
    for rec in recommendations:
        if may_manage or rec.unit_id == unit:
            rec.form = forms.DecisionForm(
                prefix=f"r{rec.pk}",
                initial={
                    "status": rec.status,
                    "evidence": rec.evidence,
                    "decided_on": rec.decided_on or timezone.localdate(),
                },
            )
    return render(
        request,
        "oversight/inspection_detail.html",
        {
            "inspection": inspection,
            "deputies": inspection.deputies.select_related("station").order_by("name"),
            "members": inspection.members.order_by("full_name"),
            "recommendations": recommendations,
            "may_manage": may_manage,
            "add_form": forms.RecommendationForm(county_id=inspection.county_id)
            if may_manage
            else None,
        },
    )


@login_required
@require_POST
def recommendation_add(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    form = forms.RecommendationForm(request.POST, county_id=inspection.county_id)
    return run_action(
        request,
        form,
        lambda data: services.recommendation_add(user=request.user, inspection=inspection, **data),
        success=_("改进建议已登记,责任单位可在门户中反馈采纳情况。"),
        done=inspection.get_portal_url(),
    )


@login_required
@require_POST
def recommendation_decide(request, pk: int):
    rec = get_object_or_404(
        scoped(
            InspectionRecommendation.objects.select_related("inspection"),
            request.user,
            "inspection_recommendation",
        ),
        pk=pk,
    )
    form = forms.DecisionForm(request.POST, prefix=f"r{rec.pk}")
    return run_action(
        request,
        form,
        lambda data: services.recommendation_decide(user=request.user, recommendation=rec, **data),
        success=_("采纳情况已保存。"),
        done=rec.inspection.get_portal_url(),
    )


# Supervision topics -------------------------------------------------------------------------


@login_required
def topics(request):
    filterset = selectors.TopicFilter(
        request.GET, queryset=selectors.topic_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    for topic in page:
        topic.stage = selectors.topic_stage(topic)
    return render(
        request,
        "oversight/topics.html",
        {
            "filter": filterset,
            "page": page,
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


@login_required
def topic_new(request):
    county = _staff_county(request)
    form = forms.TopicForm(
        request.POST if request.method == "POST" else None,
        county_id=county.pk,
        initial={"year": timezone.localdate().year},
    )

    def save(data):
        return services.topic_create(
            user=request.user,
            county=county,
            year=data["year"],
            title=data["title"],
            unit=data["unit"],
            description=data["description"],
            opinions=data["opinion_codes"],
        )

    return _new_page(request, form, _("确定监督议题"), save, "oversight:topics")


@login_required
def topic_detail(request, pk: int):
    topic = selectors.topic_get(user=request.user, pk=pk)
    may_manage = can(request.user, "oversight.manage", topic)
    role = request.user.scope.role
    is_unit = role == Role.HANDLING_UNIT and request.user.scope.unit == topic.unit_id
    rating = selectors._related(topic, "rating")
    county_id = topic.county_id
    today = timezone.localdate()
    context = {
        "topic": topic,
        "stage": selectors.topic_stage(topic),
        "report": selectors._related(topic, "research_report"),
        "rating": rating,
        "researches": topic.researches.prefetch_related("deputies").order_by("date", "pk"),
        "opinions": topic.opinions.order_by("-created_at")[:20],
        "may_manage": may_manage,
    }
    if rating is not None:
        context.update(
            figures=services.rating_figures(rating),
            votes=rating.votes.select_related("member").order_by("pk"),
            scores=rating.public_scores.order_by("pk"),
        )
    if may_manage:
        context.update(
            research_form=forms.ResearchForm(county_id=county_id, initial={"date": today}),
            report_form=forms.ResearchReportForm(initial={"filed_on": today}),
            rating_form=forms.RatingOpenForm(county_id=county_id),
            vote_form=forms.VoteForm(county_id=county_id),
            score_form=forms.ScoreForm(),
            conclude_form=forms.ConcludeForm(),
            publish_form=forms.PublishForm(initial={"published_on": today}),
        )
    if may_manage or is_unit:
        context["rectify_form"] = forms.RectifyForm(
            initial={"rectification": topic.rectification, "rectified_on": today}
        )
    return render(request, "oversight/topic_detail.html", context)


def _topic_action(request, pk, form_class, call, success, *, county_form=False):
    topic = selectors.topic_get(user=request.user, pk=pk)
    kwargs = {"county_id": topic.county_id} if county_form else {}
    form = form_class(request.POST, **kwargs)
    return run_action(
        request, form, lambda data: call(topic, data), success=success, done=topic.get_portal_url()
    )


def _rating(topic) -> SatisfactionRating:
    rating = selectors._related(topic, "rating")
    if rating is None:
        raise DomainError(_("还没有发起满意度测评。"))
    return rating


@login_required
@require_POST
def topic_research(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.ResearchForm,
        lambda topic, data: services.research_add(user=request.user, topic=topic, **data),
        _("调研已登记,参加的代表计入履职档案。"),
        county_form=True,
    )


@login_required
@require_POST
def topic_report(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.ResearchReportForm,
        lambda topic, data: services.research_report_file(user=request.user, topic=topic, **data),
        _("调研报告已提交。"),
    )


@login_required
@require_POST
def topic_rating_open(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.RatingOpenForm,
        lambda topic, data: services.rating_open(user=request.user, topic=topic, **data),
        _("满意度测评已发起,请录入组成人员表决和群众代表评分。"),
        county_form=True,
    )


@login_required
@require_POST
def topic_vote(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.VoteForm,
        lambda topic, data: services.vote_record(user=request.user, rating=_rating(topic), **data),
        _("表决已录入。"),
        county_form=True,
    )


@login_required
@require_POST
def topic_score(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.ScoreForm,
        lambda topic, data: services.public_score_record(
            user=request.user, rating=_rating(topic), **data
        ),
        _("评分已录入。"),
    )


@login_required
@require_POST
def topic_conclude(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.ConcludeForm,
        lambda topic, data: services.rating_conclude(
            user=request.user, rating=_rating(topic), **data
        ),
        _("满意度测评已结束。"),
    )


@login_required
@require_POST
def topic_rectify(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.RectifyForm,
        lambda topic, data: services.rectification_file(user=request.user, topic=topic, **data),
        _("整改情况已提交。"),
    )


@login_required
@require_POST
def topic_publish(request, pk: int):
    return _topic_action(
        request,
        pk,
        forms.PublishForm,
        lambda topic, data: services.result_publish(user=request.user, topic=topic, **data),
        _("结果已公开。"),
    )


# Major matters ------------------------------------------------------------------------------


@login_required
def matters(request):
    filterset = selectors.MatterFilter(
        request.GET, queryset=selectors.matter_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    for matter in page:
        matter.step_due = selectors.step_due(matter.steps_done)
    return render(
        request,
        "oversight/matters.html",
        {
            "filter": filterset,
            "page": page,
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


@login_required
def matter_new(request):
    scope_level(request.user, "major_matter")
    county = _staff_county(request)
    form = forms.MatterForm(request.POST if request.method == "POST" else None)

    def save(data):
        return services.matter_create(user=request.user, county=county, **data)

    return _new_page(request, form, _("登记重大事项"), save, "oversight:matters")


@login_required
def matter_detail(request, pk: int):
    matter = get_object_or_404(selectors.matter_list(user=request.user), pk=pk)
    may_manage = can(request.user, "oversight.manage", matter)
    due = selectors.step_due(matter.steps_done)
    form = None
    if may_manage and due is not None:
        posted = request.method == "POST"
        form = forms.StepForm(
            request.POST if posted else None,
            initial={"step": due, "date": timezone.localdate()},
        )
        if posted and form.is_valid():
            try:
                services.matter_step_record(user=request.user, matter=matter, **form.cleaned_data)
            except DomainError as error:
                error.add_to(form)
            else:
                messages.success(request, _("已登记。"))
                return redirect(matter.get_portal_url())
    elif request.method == "POST":
        raise PermissionDenied
    reports = {r.step: r for r in matter.reports.select_related("entered_by")}
    steps = [(step, reports.get(step)) for step in MajorStep]
    return render(
        request,
        "oversight/matter_detail.html",
        {"matter": matter, "steps": steps, "due": due, "form": form},
    )


# Meetings -----------------------------------------------------------------------------------


@login_required
def meetings(request):
    filterset = selectors.MeetingFilter(
        request.GET, queryset=selectors.meeting_list(user=request.user), request=request
    )
    return render(
        request,
        "oversight/meetings.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


@login_required
def meeting_new(request):
    county = _staff_county(request)
    form = forms.MeetingForm(request.POST if request.method == "POST" else None)

    def save(data):
        return services.meeting_create(user=request.user, county=county, **data)

    return _new_page(request, form, _("登记常委会会议"), save, "oversight:meetings")


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    may_manage = can(request.user, "oversight.manage", meeting)
    return render(
        request,
        "oversight/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": meeting.attendances.select_related("deputy__station__township"),
            "observers": meeting.observers.all(),
            "may_manage": may_manage,
            "observer_form": forms.ObserverForm() if may_manage else None,
            "held": meeting.date <= timezone.localdate(),
        },
    )


@login_required
@require_POST
def meeting_invite(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    try:
        invited = services.attendees_invite(user=request.user, meeting=meeting)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已按轮换邀请 %(n)d 名代表列席。") % {"n": len(invited)})
    return redirect(meeting.get_portal_url())


@login_required
@require_POST
def attendance_mark(request, pk: int):
    attendance = get_object_or_404(MeetingAttendance.objects.select_related("deputy"), pk=pk)
    attendance.meeting = selectors.meeting_get(user=request.user, pk=attendance.meeting_id)
    try:
        services.attendance_mark(
            user=request.user,
            attendance=attendance,
            attended=request.POST.get("attended") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("到会情况已登记。"))
    return redirect(attendance.meeting.get_portal_url())


@login_required
@require_POST
def observer_add(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return run_action(
        request,
        forms.ObserverForm(request.POST),
        lambda data: services.observer_apply(user=request.user, meeting=meeting, **data),
        success=_("旁听申请已登记。"),
        done=meeting.get_portal_url(),
    )


@login_required
@require_POST
def observer_decide(request, pk: int):
    observer = get_object_or_404(CitizenObserver.objects.all(), pk=pk)
    observer.meeting = selectors.meeting_get(user=request.user, pk=observer.meeting_id)
    try:
        services.observer_decide(
            user=request.user, observer=observer, action=request.POST.get("action", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect(observer.meeting.get_portal_url())
