"""The deputy's suggestion pages: draft, meet the public, submit, evaluate, codes, my suggestions;
and the public's one-time evaluation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import require
from accounts.models import Role
from core.codes import canonical
from core.errors import DomainError
from core.filters import query_int
from core.pagination import paginate
from core.ratelimit import limit_code_lookups

from .. import selectors, services
from ..forms_work import (
    CodesForm,
    DeputyEvaluationForm,
    PublicEvaluationForm,
    PublicMeetingForm,
    SuggestionDraftForm,
    VersionForm,
)
from ..models import Suggestion

S = Suggestion.Status


def _is_deputy(user) -> bool:
    return user.scope.role == Role.DEPUTY


def _lead_suggestion(request, pk: int) -> Suggestion:
    """The suggestion as its lead deputy (or staff) acts on it: 403 for other roles and for a
    co-signer, 404 outside the scope."""
    require(request.user, "suggestion.draft")
    return selectors.suggestion_get_for_change(user=request.user, pk=pk, action="suggestion.draft")


def _opinion_ids(request) -> list[int]:
    raw = request.GET.get("opinions", "")
    return [pk for pk in map(query_int, raw.split(",")) if pk is not None][:50]


def _draft_level(request) -> tuple[str, list[str]]:
    """The congress the draft is for (``?level=``, else the first the user drafts for) and the
    levels offered; 403 for a user who drafts for no congress."""
    levels = selectors.draft_levels(user=request.user)
    if not levels:
        raise PermissionDenied
    asked = request.GET.get("level")
    return (asked if asked in levels else levels[0]), levels


@login_required
def suggestion_new(request):
    user = request.user
    require(user, "suggestion.draft")
    level, levels = _draft_level(request)
    choose_lead = not _is_deputy(user)
    deputies = selectors.cosigner_candidates(user=user, level=level)
    opinions = list(selectors.draft_opinions(user=user, pks=_opinion_ids(request)))
    initial = {}
    if opinions:
        initial = {
            "content": "\n".join(o.content for o in opinions),
            "category": opinions[0].category,
        }
    form = SuggestionDraftForm(
        request.POST or None,
        initial=initial,
        deputies=deputies,
        choose_lead=choose_lead,
        level=level,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_create(
                user=user,
                lead_deputy=data["lead_deputy"] if choose_lead else user.deputy,
                title=data["title"],
                content=data["content"],
                category=data["category"],
                co_signers=list(data["co_signers"]),
                opinions=opinions,
                congress_level=level,
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("建议草稿已保存。提交前请登记与群众见面的情况。"))
            return redirect("suggestions:detail", suggestion.pk)
    return render(
        request,
        "suggestions/deputy/suggestion_form.html",
        {
            "form": form,
            "opinions": opinions,
            "level": level,
            "level_label": Suggestion.Congress(level).label,
            "other_levels": [
                (other, Suggestion.Congress(other).label) for other in levels if other != level
            ],
        },
    )


@login_required
@require_GET
def deputy_search(request):
    """The deputy picker's source on the draft form: the candidates the form accepts for the
    draft's congress (``?level=``), matched by name, pinyin or initials (JSON)."""
    require(request.user, "suggestion.draft")
    level, _levels = _draft_level(request)
    candidates = selectors.cosigner_candidates(user=request.user, level=level)
    return JsonResponse({"results": selectors.deputy_search(candidates, request.GET.get("q", ""))})


@login_required
def meeting_add(request, pk: int):
    suggestion = _lead_suggestion(request, pk)
    form = PublicMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.public_meeting_add(
                user=request.user, suggestion=suggestion, **form.cleaned_data
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("与群众见面的情况已登记。"))
            return redirect("suggestions:detail", suggestion.pk)
    return render(
        request,
        "suggestions/deputy/meeting_form.html",
        {"form": form, "suggestion": suggestion},
    )


@login_required
@require_POST
def suggestion_submit(request, pk: int):
    suggestion = _lead_suggestion(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效,请刷新页面后再试。"))
        return redirect("suggestions:detail", suggestion.pk)
    try:
        services.suggestion_submit(
            user=request.user, suggestion=suggestion, version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("建议已提交,等待人大工作机构登记交办。"))
    return redirect("suggestions:detail", suggestion.pk)


@login_required
def deputy_evaluation(request, pk: int):
    suggestion = _lead_suggestion(request, pk)
    form = DeputyEvaluationForm(request.POST or None, initial={"version": suggestion.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.deputy_evaluation(
                user=request.user,
                suggestion=suggestion,
                version=data["version"],
                result=data["result"],
                comment=data["comment"],
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            if result.status == S.IN_HANDLING:
                messages.warning(
                    request,
                    _(
                        "测评已记录。因测评不满意,建议退回重新办理(第%(round)s轮),新期限 %(deadline)s。"
                    )
                    % {"round": result.round, "deadline": result.deadline.isoformat()},
                )
            else:
                messages.success(request, _("测评已记录,感谢您的监督。"))
            return redirect("suggestions:detail", suggestion.pk)
    return render(
        request,
        "suggestions/deputy/evaluation_form.html",
        {"form": form, "suggestion": suggestion, "reply": selectors.current_reply(suggestion)},
    )


@login_required
def evaluation_codes(request, pk: int):
    suggestion = _lead_suggestion(request, pk)
    form = CodesForm(request.POST or None)
    codes = []
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.evaluation_codes_issue(
                user=request.user, suggestion=suggestion, count=form.cleaned_data["count"]
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(
                request, _("已生成%(n)s个测评码,每个只能使用一次。") % {"n": len(codes)}
            )
    return render(
        request,
        "suggestions/deputy/codes.html",
        {
            "form": form,
            "suggestion": suggestion,
            "codes": [
                (c.code, request.build_absolute_uri(f"/suggestions/evaluate/{c.code}/"))
                for c in codes
            ],
        },
    )


@login_required
def my_suggestions(request):
    user = request.user
    require(user, "suggestion.draft_own")
    deputy_id = user.deputy_id
    page = paginate(request, selectors.my_suggestion_list(user=user))
    rows = [
        (s, s.lead_deputy_id == deputy_id, _next_step(s, s.lead_deputy_id == deputy_id))
        for s in page
    ]
    return render(request, "suggestions/deputy/mine.html", {"page": page, "rows": rows})


def _next_step(suggestion: Suggestion, is_lead: bool) -> str:
    status = suggestion.status
    if status == S.DRAFT:
        if not is_lead:
            return _("等待领衔代表提交")
        if not suggestion.has_meeting:
            return _("登记与群众见面情况,然后提交")
        return _("提交建议")
    if status == S.SUBMITTED:
        return _("等待登记")
    if status == S.REGISTERED:
        return _("等待交办")
    if status in (S.ASSIGNED, S.IN_HANDLING):
        return _("承办单位办理中")
    if status == S.REPLIED:
        if is_lead and not suggestion.deputy_evaluated:
            return _("进行代表测评,组织群众测评")
        return _("等待测评")
    return ""


# The public's one-time evaluation ------------------------------------------------------------


def _invalid_code(request):
    # Unknown, used and out-of-stage codes all get this one response: nothing is revealed.
    return render(request, "suggestions/deputy/public_evaluation_invalid.html", status=404)


@limit_code_lookups("suggestion-evaluation")
def public_evaluation(request, code: str):
    code = canonical(code)
    record = selectors.open_evaluation_code(code)
    if record is None:
        return _invalid_code(request)
    form = PublicEvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.public_evaluation_by_code(code=code, **form.cleaned_data)
        except DomainError:
            return _invalid_code(request)
        return render(request, "suggestions/deputy/public_evaluation_done.html")
    suggestion = record.suggestion
    return render(
        request,
        "suggestions/deputy/public_evaluation.html",
        {"form": form, "title": suggestion.title, "reply": selectors.current_reply(suggestion)},
    )
