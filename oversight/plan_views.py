"""Pages of the year's plans (监督工作计划, 代表工作要点) and their items, 专题视察 and 专题询问:
county staff keep them, the county's other roles read them (a deputy the 专题视察 they took part
in, a handling unit the inquiries it answered at). Thin: fetch through the selectors, validate a
form, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require, scope_level
from core.actions import form_page, run_action
from core.errors import DomainError
from core.pagination import paginate

from . import forms, selectors, services
from .views import _staff_county, visit_page


def _form_page(request, form, title, save, back, success=None):
    return form_page(
        request,
        form,
        save,
        template="oversight/form.html",
        context={"title": title, "back": back},
        success=success or _("已保存。"),
        done=lambda saved: saved.get_portal_url(),
    )


# The year's plans -----------------------------------------------------------------------------


@login_required
def plans(request):
    filterset = selectors.WorkPlanFilter(
        request.GET, queryset=selectors.work_plan_list(user=request.user), request=request
    )
    return render(
        request,
        "oversight/plans.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


@login_required
def plan_new(request):
    county = _staff_county(request)
    today = timezone.localdate()
    form = forms.WorkPlanForm(
        request.POST if request.method == "POST" else None,
        initial={"year": today.year, "adopted_on": today},
    )

    def save(data):
        return services.work_plan_create(user=request.user, county=county, **data)

    return _form_page(request, form, _("登记年度计划"), save, "oversight:plans")


@login_required
def plan_detail(request, pk: int):
    plan = selectors.work_plan_get(user=request.user, pk=pk)
    may_manage = can(request.user, "oversight.manage", plan)
    items = selectors.work_plan_items(plan)
    return render(
        request,
        "oversight/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "counts": selectors.plan_state_counts(items),
            "may_manage": may_manage,
            "item_form": forms.PlanItemForm() if may_manage else None,
        },
    )


@login_required
@require_POST
def plan_item_add(request, pk: int):
    plan = selectors.work_plan_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", plan)
    return run_action(
        request,
        forms.PlanItemForm(request.POST),
        lambda data: services.plan_item_add(user=request.user, plan=plan, **data),
        success=_("计划事项已登记。"),
        done=plan.get_portal_url(),
    )


@login_required
def plan_item_detail(request, pk: int):
    item = selectors.plan_item_get(user=request.user, pk=pk)
    may_manage = can(request.user, "oversight.manage", item.plan)
    return render(
        request,
        "oversight/plan_item_detail.html",
        {
            "item": item,
            "plan": item.plan,
            "may_manage": may_manage,
            "link_form": forms.PlanLinkForm(plan=item.plan) if may_manage else None,
        },
    )


@login_required
@require_POST
def plan_item_link(request, pk: int):
    item = selectors.plan_item_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", item.plan)
    return run_action(
        request,
        forms.PlanLinkForm(request.POST, plan=item.plan),
        lambda data: services.plan_item_link(
            user=request.user, item=item, records=[r for r in data.values() if r is not None]
        ),
        success=_("已关联。"),
        done=item.get_portal_url(),
    )


@login_required
@require_POST
def plan_item_unlink(request, pk: int):
    item = selectors.plan_item_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", item.plan)
    try:
        services.plan_item_unlink(
            user=request.user,
            item=item,
            relation=request.POST.get("relation", ""),
            pk=int(request.POST.get("pk") or 0),
        )
    except (DomainError, ValueError):
        messages.error(request, _("未能取消关联。"))
    else:
        messages.success(request, _("已取消关联。"))
    return redirect(item.get_portal_url())


# 专题视察 -------------------------------------------------------------------------------------


@login_required
def site_inspections(request):
    filterset = selectors.SiteInspectionFilter(
        request.GET, queryset=selectors.site_inspection_list(user=request.user), request=request
    )
    return render(
        request,
        "oversight/site_inspections.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


def _site_inspection_save(request, site_inspection=None):
    if site_inspection is None:
        scope_level(request.user, "site_inspection")
    return visit_page(
        request,
        site_inspection,
        form_class=forms.SiteInspectionForm,
        save=lambda county, data: services.site_inspection_save(
            user=request.user, county=county, site_inspection=site_inspection, **data
        ),
        titles=(_("登记专题视察"), _("修改专题视察")),
        back="oversight:site_inspections",
        success=_("专题视察已保存,参加的代表计入履职档案。"),
    )


@login_required
def site_inspection_new(request):
    return _site_inspection_save(request)


@login_required
def site_inspection_edit(request, pk: int):
    return _site_inspection_save(request, selectors.site_inspection_get(user=request.user, pk=pk))


@login_required
def site_inspection_detail(request, pk: int):
    site_inspection = selectors.site_inspection_get(user=request.user, pk=pk)
    return render(
        request,
        "oversight/site_inspection_detail.html",
        {
            "site_inspection": site_inspection,
            "deputies": site_inspection.deputies.order_by("name"),
            "members": site_inspection.members.order_by("full_name"),
            "may_manage": can(request.user, "oversight.manage", site_inspection),
        },
    )


# 专题询问 -------------------------------------------------------------------------------------


@login_required
def inquiries(request):
    filterset = selectors.InquiryFilter(
        request.GET, queryset=selectors.inquiry_list(user=request.user), request=request
    )
    return render(
        request,
        "oversight/inquiries.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "overdue": selectors.overdue_promises(user=request.user)[:50],
            "may_manage": can(request.user, "oversight.manage"),
        },
    )


@login_required
def inquiry_new(request):
    county = _staff_county(request)
    form = forms.InquiryForm(
        request.POST if request.method == "POST" else None,
        county_id=county.pk,
        initial={"date": timezone.localdate()},
    )

    def save(data):
        return services.inquiry_create(user=request.user, county=county, **data)

    return _form_page(request, form, _("登记专题询问"), save, "oversight:inquiries")


@login_required
def inquiry_detail(request, pk: int):
    inquiry = selectors.inquiry_get(user=request.user, pk=pk)
    may_manage = can(request.user, "oversight.manage", inquiry)
    today = timezone.localdate()
    questions = list(selectors.inquiry_questions(inquiry))
    for question in questions:
        question.overdue = (
            question.promise_deadline is not None
            and question.promise_deadline < today
            and question.promise_status != question.PromiseStatus.DONE
        )
        if may_manage and question.promise:
            question.form = forms.PromiseForm(
                prefix=f"q{question.pk}",
                initial={
                    "promise_status": question.promise_status,
                    "promise_result": question.promise_result,
                },
            )
    return render(
        request,
        "oversight/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "questions": questions,
            "may_manage": may_manage,
            "question_form": forms.InquiryQuestionForm(county_id=inquiry.county_id)
            if may_manage
            else None,
            "publish_form": forms.PublishForm(initial={"published_on": today})
            if may_manage and inquiry.published_on is None
            else None,
        },
    )


@login_required
@require_POST
def inquiry_publish(request, pk: int):
    inquiry = selectors.inquiry_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", inquiry)
    return run_action(
        request,
        forms.PublishForm(request.POST),
        lambda data: services.inquiry_publish(user=request.user, inquiry=inquiry, **data),
        success=_("询问情况已公开。"),
        done=inquiry.get_portal_url(),
    )


@login_required
@require_POST
def inquiry_question_add(request, pk: int):
    inquiry = selectors.inquiry_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", inquiry)
    return run_action(
        request,
        forms.InquiryQuestionForm(request.POST, county_id=inquiry.county_id),
        lambda data: services.inquiry_question_add(user=request.user, inquiry=inquiry, **data),
        success=_("询问问题已登记。"),
        done=inquiry.get_portal_url(),
    )


@login_required
@require_POST
def inquiry_promise(request, pk: int):
    question = selectors.inquiry_question_get(user=request.user, pk=pk)
    require(request.user, "oversight.manage", question.inquiry)
    return run_action(
        request,
        forms.PromiseForm(request.POST, prefix=f"q{question.pk}"),
        lambda data: services.inquiry_promise_update(user=request.user, question=question, **data),
        success=_("落实情况已保存。"),
        done=question.inquiry.get_portal_url(),
    )
