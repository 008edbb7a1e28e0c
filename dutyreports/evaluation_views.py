"""三评、三公开 and 优秀人大代表 pages: a report's evaluation (codes, paper forms, the
organisation's grade, the live or fixed result), rectification items, publication approvals, the
voters' one-time evaluation page, deputies' peer evaluation, and the yearly selection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require, scope_level
from core.actions import run_action
from core.codes import canonical
from core.errors import DomainError
from core.ratelimit import limit_code_lookups

from . import evaluation, selectors
from .forms import (
    CodesForm,
    DecideForm,
    EvaluationSettingsForm,
    GradeForm,
    PaperBallotsForm,
    ProposeForm,
    RectificationForm,
    RectificationProgressForm,
)
from .models import DutyReport, Rectification, ReportCampaign


def _report(request, pk: int) -> DutyReport:
    return selectors.report_get(user=request.user, pk=pk)


def _campaign(request, pk: int) -> ReportCampaign:
    return selectors.campaign_get(user=request.user, pk=pk)


def _staff_campaign(request, pk: int) -> ReportCampaign:
    """The campaign for an action of its county's staff (403 for everyone else)."""
    campaign = _campaign(request, pk)
    require(request.user, "report_campaign.manage", campaign)
    return campaign


def result_of(report: DutyReport) -> evaluation.Result:
    """The fixed result once the evaluation closed, else the live tally."""
    campaign = report.campaign
    if not campaign.evaluation_open:
        return selectors.fixed_result(report)
    return evaluation.tallies(campaign, [report.pk]).get(report.pk) or evaluation.combine(
        campaign, {}
    )


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    campaign = report.campaign
    may_manage = can(request.user, "report_campaign.manage", campaign)
    codes = selectors.code_counts(report)
    organisation = report.evaluations.filter(kind="organisation").first()
    context = {
        "report": report,
        "campaign": campaign,
        "result": result_of(report),
        "codes": codes,
        "organisation": organisation,
        "rectifications": list(report.rectifications.all()),
        "may_manage": may_manage,
        "is_self": request.user.deputy_id == report.deputy_id,
    }
    if may_manage:
        context.update(
            codes_form=CodesForm(),
            paper_form=PaperBallotsForm(),
            organisation_form=GradeForm(
                prefix="org",
                initial={"grade": organisation.grade, "comment": organisation.comment}
                if organisation
                else None,
            ),
            rectification_form=RectificationForm(),
        )
    return render(request, "dutyreports/report_detail.html", context)


def _staff_report(request, pk: int) -> DutyReport:
    report = _report(request, pk)
    require(request.user, "report_campaign.manage", report.campaign)
    return report


@login_required
@require_POST
def codes_issue(request, pk: int):
    report = _staff_report(request, pk)
    return run_action(
        request,
        CodesForm(request.POST),
        lambda data: evaluation.ballot_codes_issue(
            user=request.user, report=report, count=data["count"]
        ),
        success=_("评议码已生成,可打印分发给选民。"),
        done=reverse("dutyreports:report_detail", args=[report.pk]),
    )


@login_required
def codes_print(request, pk: int):
    """The unused codes of a report as a printable sheet (one slip per voter)."""
    report = _staff_report(request, pk)
    codes = selectors.unused_codes(report)
    base = request.build_absolute_uri(reverse("dutyreports:evaluate", args=["-"]))[:-2]
    return render(
        request,
        "dutyreports/codes_print.html",
        {"report": report, "codes": codes, "base": base},
    )


@login_required
@require_POST
def paper_enter(request, pk: int):
    report = _staff_report(request, pk)
    return run_action(
        request,
        PaperBallotsForm(request.POST),
        lambda data: evaluation.paper_ballots_enter(user=request.user, report=report, counts=data),
        success=_("纸质评议表已录入。"),
        done=reverse("dutyreports:report_detail", args=[report.pk]),
    )


@login_required
@require_POST
def organisation_evaluate(request, pk: int):
    report = _staff_report(request, pk)
    return run_action(
        request,
        GradeForm(request.POST, prefix="org"),
        lambda data: evaluation.organisation_vote(user=request.user, report=report, **data),
        success=_("组织考评已保存。"),
        done=reverse("dutyreports:report_detail", args=[report.pk]),
    )


@login_required
@require_POST
def report_publish(request, pk: int, what: str):
    report = _staff_report(request, pk)
    publish = request.POST.get("publish") == "1"
    try:
        evaluation.report_publish(user=request.user, report=report, what=what, publish=publish)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审核公开。") if publish else _("已撤回公开。"))
    return redirect("dutyreports:report_detail", report.pk)


@login_required
@require_POST
def rectification_new(request, pk: int):
    report = _staff_report(request, pk)
    return run_action(
        request,
        RectificationForm(request.POST),
        lambda data: evaluation.rectification_add(user=request.user, report=report, **data),
        success=_("整改事项已登记。"),
        done=reverse("dutyreports:report_detail", args=[report.pk]),
    )


def _rectification(request, pk: int) -> Rectification:
    return selectors.rectification_get(user=request.user, pk=pk)


@login_required
def rectification_progress(request, pk: int):
    """The deputy (or staff) report how a rectification item goes."""
    item = _rectification(request, pk)
    require(request.user, "duty_report.file", item.report)
    is_self = request.user.deputy_id == item.report.deputy_id
    posted = request.method == "POST"
    form = RectificationProgressForm(
        request.POST if posted else None, request.FILES if posted else None, instance=item
    )
    if posted and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            evaluation.rectification_update(user=request.user, item=item, **data)
        except DomainError as error:
            item.refresh_from_db()
            error.add_to(form)
        else:
            messages.success(request, _("整改情况已更新。"))
            if is_self:
                return redirect("dutyreports:mine")
            return redirect("dutyreports:report_detail", item.report_id)
    return render(request, "dutyreports/rectification_form.html", {"item": item, "form": form})


@login_required
@require_POST
def rectification_publish(request, pk: int):
    item = _rectification(request, pk)
    require(request.user, "report_campaign.manage", item.report.campaign)
    publish = request.POST.get("publish") == "1"
    try:
        evaluation.rectification_publish(user=request.user, item=item, publish=publish)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审核公开。") if publish else _("已撤回公开。"))
    return redirect("dutyreports:report_detail", item.report_id)


# --- settings, closing -----------------------------------------------------------------------


@login_required
def campaign_settings(request, pk: int):
    campaign = _campaign(request, pk)
    require(request.user, "report_campaign.manage", campaign)
    posted = request.method == "POST"
    form = EvaluationSettingsForm(request.POST if posted else None, instance=campaign)
    if posted and form.is_valid():
        try:
            evaluation.settings_update(
                user=request.user,
                # A fresh copy: validating the form changed ``campaign`` already.
                campaign=selectors.campaign_get(user=request.user, pk=campaign.pk),
                **form.cleaned_data,
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("测评权重和等次分数线已保存。"))
            return redirect(f"{reverse('dutyreports:campaign')}?year={campaign.year}")
    return render(
        request, "dutyreports/campaign_settings.html", {"campaign": campaign, "form": form}
    )


@login_required
@require_POST
def evaluation_close(request, pk: int):
    campaign = _staff_campaign(request, pk)
    try:
        count = evaluation.evaluation_close(user=request.user, campaign=campaign)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("测评已结束,%(count)d份述职的评议结果已确定。") % {"count": count}
        )
    return redirect(f"{reverse('dutyreports:campaign')}?year={campaign.year}")


# --- voters and peers ------------------------------------------------------------------------


def _invalid_code(request):
    # Unknown, used and closed codes all get this one response: nothing is revealed.
    return render(request, "dutyreports/evaluate_invalid.html", status=404)


@limit_code_lookups("report-evaluation")
def evaluate(request, code: str):
    """A voter's one-time evaluation of a deputy's report (no account)."""
    code = canonical(code)
    ballot = selectors.open_ballot(code)
    if ballot is None:
        return _invalid_code(request)
    form = GradeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.voter_vote(code=code, **form.cleaned_data)
        except DomainError:
            return _invalid_code(request)
        return render(request, "dutyreports/evaluate_done.html")
    return render(request, "dutyreports/evaluate.html", {"report": ballot.report, "form": form})


@login_required
def peers(request):
    """代表互评: the deputy's fellow deputies of the same station or group, with their grade."""
    require(request.user, "peer_evaluation.give")
    deputy = request.user.deputy
    campaign = selectors.peer_campaign(deputy=deputy)
    reports = []
    if campaign is not None:
        given = selectors.peer_grades_given(campaign=campaign, deputy=deputy)
        reports = list(selectors.peer_reports(campaign=campaign, deputy=deputy))
        for report in reports:
            report.my_grade = given.get(report.pk, "")
    return render(
        request,
        "dutyreports/peers.html",
        {"campaign": campaign, "reports": reports, "form": GradeForm(), "deputy": deputy},
    )


@login_required
@require_POST
def peer_evaluate(request, pk: int):
    require(request.user, "peer_evaluation.give")
    report = selectors.peer_report_get(user=request.user, pk=pk)
    return run_action(
        request,
        GradeForm(request.POST),
        lambda data: evaluation.peer_vote(user=request.user, report=report, **data),
        success=_("已评议%(name)s。") % {"name": report.deputy.name},
        done=reverse("dutyreports:peers"),
    )


# --- 优秀人大代表 -----------------------------------------------------------------------------


@login_required
def excellent(request, pk: int):
    scope_level(request.user, "duty_overview")
    campaign = _campaign(request, pk)
    candidates = selectors.campaign_candidates(campaign)
    roll = campaign.reports.count()
    return render(
        request,
        "dutyreports/excellent.html",
        {
            "campaign": campaign,
            "candidates": candidates,
            "may_manage": can(request.user, "report_campaign.manage", campaign),
            "propose_form": ProposeForm(initial={"count": max(1, roll // 10)}),
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def excellent_propose(request, pk: int):
    campaign = _staff_campaign(request, pk)
    return run_action(
        request,
        ProposeForm(request.POST),
        lambda data: evaluation.candidates_propose(
            user=request.user, campaign=campaign, count=data["count"]
        ),
        success=_("已按履职积分和评议结果提出候选人。"),
        done=reverse("dutyreports:excellent", args=[campaign.pk]),
    )


@login_required
@require_POST
def excellent_decide(request, pk: int, candidate_pk: int):
    campaign = _staff_campaign(request, pk)
    candidate = selectors.candidate_get(campaign=campaign, pk=candidate_pk)
    return run_action(
        request,
        DecideForm(request.POST),
        lambda data: evaluation.candidate_decide(user=request.user, candidate=candidate, **data),
        success=_("评定结果已保存。"),
        done=reverse("dutyreports:excellent", args=[campaign.pk]),
    )


@login_required
@require_POST
def excellent_publish(request, pk: int):
    campaign = _staff_campaign(request, pk)
    try:
        count = evaluation.excellent_publish(user=request.user, campaign=campaign)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已公布%(count)d名优秀人大代表。") % {"count": count})
    return redirect("dutyreports:excellent", campaign.pk)
