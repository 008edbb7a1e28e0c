"""Oversight pages for the committee's staff (and, read-only, the county's other roles; a
handling unit sees what concerns it and answers it). Thin: fetch through the access helpers,
validate a form, call one service, message, redirect."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, county_record, require, scope_level
from accounts.models import Role
from core.actions import form_page, run_action
from core.errors import DomainError
from core.filters import query_int
from core.pagination import paginate
from directory.models import Region
from directory.selectors import county_for

from . import forms, selectors, services
from .models import MajorStep, SatisfactionRating


def _county(request) -> Region:
    """The user's county, or for the administrator the one asked for (or the first)."""
    county = county_for(user=request.user, county_id=query_int(request.GET.get("county")) or None)
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


def visit_page(request, record, *, form_class, save, titles, back: str, success: str):
    """The page that enters or edits an inspection or a 专题视察 (deputies and members taking
    part): ``save(county, data)`` calls the service, ``titles`` are the new and edit titles."""
    county = _staff_county(request) if record is None else record.county
    require(request.user, "oversight.manage", county_record(county.pk))
    form = form_class(
        request.POST if request.method == "POST" else None, instance=record, county_id=county.pk
    )
    return form_page(
        request,
        form,
        lambda data: save(county, data),
        template="oversight/form.html",
        context={"title": titles[0] if record is None else titles[1], "back": back},
        success=success,
        done=lambda saved: saved.get_portal_url(),
    )


def _inspection_save(request, inspection=None):
    return visit_page(
        request,
        inspection,
        form_class=forms.InspectionForm,
        save=lambda county, data: services.inspection_save(
            user=request.user, county=county, inspection=inspection, **data
        ),
        titles=(_("登记执法检查"), _("修改执法检查")),
        back="oversight:inspections",
        success=_("执法检查已保存,参加的代表计入履职档案。"),
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
        selectors.inspection_recommendations(user=request.user, inspection=inspection)
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
            "review_opinions": selectors.inspection_review_opinions(
                user=request.user, inspection=inspection
            ),
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
    rec = selectors.recommendation_get(user=request.user, pk=pk)
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
    rating = selectors.topic_rating(topic)
    county_id = topic.county_id
    today = timezone.localdate()
    context = {
        "topic": topic,
        "stage": selectors.topic_stage(topic),
        "report": selectors.topic_research_report(topic),
        "rating": rating,
        "researches": topic.researches.prefetch_related("deputies").order_by("date", "pk"),
        "opinions": topic.opinions.order_by("-created_at")[:20],
        "may_manage": may_manage,
    }
    if rating is not None:
        context.update(
            figures=services.rating_figures(rating),
            scores=rating.public_scores.order_by("pk"),
        )
    if may_manage:
        context.update(
            research_form=forms.ResearchForm(county_id=county_id, initial={"date": today}),
            report_form=forms.ResearchReportForm(initial={"filed_on": today}),
            rating_form=forms.RatingOpenForm(county_id=county_id),
            vote_form=forms.VoteCountForm(meeting_id=rating.meeting_id) if rating else None,
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
    rating = selectors.topic_rating(topic)
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
    matter = selectors.matter_get(user=request.user, pk=pk)
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
    county = county_for(user=request.user, county_id=query_int(request.GET.get("county")) or None)
    return render(
        request,
        "oversight/meetings.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "may_manage": can(request.user, "oversight.manage"),
            "rotation": selectors.rotation_progress(county_id=county.pk) if county else None,
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
    held = meeting.date <= timezone.localdate()
    present = list(selectors.meeting_members_present(meeting))
    members_form = None
    if may_manage and held:
        members_form = forms.MeetingMembersForm(
            county_id=meeting.county_id, initial={"members": [p.member_id for p in present]}
        )
    return render(
        request,
        "oversight/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": meeting.attendances.select_related("deputy__station__township"),
            "observers": meeting.observers.all(),
            "present": present,
            "may_manage": may_manage,
            "observer_form": forms.ObserverForm() if may_manage else None,
            "members_form": members_form,
            "held": held,
        },
    )


@login_required
@require_POST
def meeting_members(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", meeting)
    return run_action(
        request,
        forms.MeetingMembersForm(request.POST, county_id=meeting.county_id),
        lambda data: services.meeting_members_record(
            user=request.user, meeting=meeting, members=data["members"]
        ),
        success=_("出席的组成人员已登记。"),
        done=meeting.get_portal_url(),
    )


@login_required
@require_POST
def vote_count(request, pk: int):
    """The count of an anonymous vote: who voted and the totals, never who voted what."""
    vote = selectors.vote_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", vote.meeting)
    return run_action(
        request,
        forms.VoteCountForm(request.POST, meeting_id=vote.meeting_id),
        lambda data: services.vote_count(user=request.user, vote=vote, **data),
        success=_("计票结果已录入。"),
        done=selectors.vote_subject_url(vote),
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
    attendance = selectors.attendance_get(user=request.user, pk=pk)
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
    observer = selectors.observer_get(user=request.user, pk=pk)
    try:
        services.observer_decide(
            user=request.user, observer=observer, action=request.POST.get("action", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect(observer.meeting.get_portal_url())


# 审议意见 and the 研究处理情况报告 ------------------------------------------------------------


@login_required
def review_opinions(request):
    filterset = selectors.ReviewOpinionFilter(
        request.GET, queryset=selectors.review_opinion_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    today = timezone.localdate()
    for opinion in page:
        opinion.stage = selectors.review_opinion_stage(opinion, today=today)
    return render(
        request,
        "oversight/review_opinions.html",
        {
            "filter": filterset,
            "page": page,
            "figures": selectors.review_opinion_figures(filterset.qs),
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


@login_required
def review_opinion_new(request):
    county = _staff_county(request)
    inspection_id = query_int(request.GET.get("inspection")) or None
    initial = {"sent_on": timezone.localdate()}
    if inspection_id:
        initial.update(kind="inspection", inspection=inspection_id)
    form = forms.ReviewOpinionForm(
        request.POST if request.method == "POST" else None, county_id=county.pk, initial=initial
    )

    def save(data):
        return services.review_opinion_create(user=request.user, county=county, **data)

    return _new_page(request, form, _("登记审议意见"), save, "oversight:review_opinions")


@login_required
def review_opinion_detail(request, pk: int):
    opinion = selectors.review_opinion_get(user=request.user, pk=pk)
    may_manage = can(request.user, "oversight.manage", opinion)
    may_answer = can(request.user, "review_opinion.answer", opinion)
    today = timezone.localdate()
    vote = opinion.vote
    context = {
        "opinion": opinion,
        "stage": selectors.review_opinion_stage(opinion, today=today),
        "may_manage": may_manage,
        "figures": services.vote_figures(vote) if vote is not None else None,
    }
    if may_answer and opinion.hearing_meeting_id is None:
        context["report_form"] = forms.HandlingReportForm(
            initial={"handling_report": opinion.handling_report, "reported_on": today}
        )
    if may_manage:
        context.update(
            hearing_form=forms.HearingForm(
                county_id=opinion.county_id, initial={"with_vote": True}
            ),
            vote_form=forms.VoteCountForm(meeting_id=vote.meeting_id) if vote else None,
            conclude_form=forms.ConcludeHearingForm(),
            publish_form=forms.PublishForm(initial={"published_on": today}),
        )
    return render(request, "oversight/review_opinion_detail.html", context)


def _opinion_action(request, pk, form, call, success, *, action="oversight.manage"):
    opinion = selectors.review_opinion_get(user=request.user, pk=pk)
    require(request.user, action, opinion)
    return run_action(
        request,
        form(opinion),
        lambda data: call(opinion, data),
        success=success,
        done=opinion.get_portal_url(),
    )


@login_required
@require_POST
def review_opinion_report(request, pk: int):
    return _opinion_action(
        request,
        pk,
        lambda opinion: forms.HandlingReportForm(request.POST),
        lambda opinion, data: services.handling_report_submit(
            user=request.user, opinion=opinion, **data
        ),
        _("研究处理情况报告已提交。"),
        action="review_opinion.answer",
    )


@login_required
@require_POST
def review_opinion_hear(request, pk: int):
    return _opinion_action(
        request,
        pk,
        lambda opinion: forms.HearingForm(request.POST, county_id=opinion.county_id),
        lambda opinion, data: services.handling_report_hear(
            user=request.user, opinion=opinion, **data
        ),
        _("研究处理情况报告已提请会议审议。"),
    )


@login_required
@require_POST
def review_opinion_conclude(request, pk: int):
    return _opinion_action(
        request,
        pk,
        lambda opinion: forms.ConcludeHearingForm(request.POST),
        lambda opinion, data: services.handling_report_conclude(user=request.user, opinion=opinion),
        _("审议已结束。"),
    )


@login_required
@require_POST
def review_opinion_publish(request, pk: int):
    return _opinion_action(
        request,
        pk,
        lambda opinion: forms.PublishForm(request.POST),
        lambda opinion, data: services.review_result_publish(
            user=request.user, opinion=opinion, **data
        ),
        _("结果已公开。"),
    )
