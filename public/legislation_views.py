"""立法意见征集 on the public side: the county's drafts open for comment, and the form to comment
on one, with the same CAPTCHA, honeypot and rate limit as 民意直通车."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import ratelimit
from core.errors import DomainError
from legislation import selectors as legislation_selectors
from legislation.services import opinion_submit_public

from . import captcha, selectors
from .forms import LegislativeOpinionForm
from .views import public_cache


@public_cache
def draft_list(request):
    county = selectors.public_county()
    drafts = legislation_selectors.public_open_drafts(county)
    return render(request, "public/legislation_list.html", {"county": county, "drafts": drafts})


def _render(request, draft, form, status: int = 200):
    captcha.new_challenge(request.session)
    return render(
        request,
        "public/legislation_form.html",
        {
            "draft": draft,
            "form": form,
            "nonce": timezone.now().timestamp(),
            "sent": request.method == "GET" and request.GET.get("sent") == "1",
        },
        status=status,
    )


@never_cache
def draft_comment(request, pk: int):
    """A draft open for comment, with its text and the form (404 once closed)."""
    county = selectors.public_county()
    draft = legislation_selectors.public_draft_get(county, pk)
    if request.method != "POST":
        return _render(request, draft, LegislativeOpinionForm())
    form = LegislativeOpinionForm(request.POST)
    if not ratelimit.hit(
        request,
        "legislation",
        limit=settings.PUBLIC_OPINION_LIMIT,
        window=settings.PUBLIC_OPINION_WINDOW,
    ):
        form.add_error(
            None,
            _("提交过于频繁,请%(minutes)d分钟后再试。")
            % {"minutes": max(settings.PUBLIC_OPINION_WINDOW // 60, 1)},
        )
        return _render(request, draft, form, status=429)
    if request.POST.get("website"):
        form.add_error(None, _("提交未被受理:请不要填写标注“请勿填写”的栏目。"))
        return _render(request, draft, form, status=400)
    wrong = captcha.check_answer(request.session, request.POST.get("captcha", ""))
    if wrong:
        form.add_error(None, wrong)
        return _render(request, draft, form, status=400)
    if not form.is_valid():
        return _render(request, draft, form, status=400)
    data = form.cleaned_data
    try:
        opinion_submit_public(
            draft=draft,
            article=data["article"],
            content=data["content"],
            name=data["name"],
            contact=data["contact"],
        )
    except DomainError as error:
        error.add_to(form)
        return _render(request, draft, form, status=400)
    return redirect(f"{reverse('public:legislation_comment', args=[draft.pk])}?sent=1")
