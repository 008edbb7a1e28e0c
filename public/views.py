"""The public pages (/public/): no account, nothing personal, a fixed number of queries each,
reused for PUBLIC_CACHE_SECONDS. The 民意直通车 form and the tracking page are never cached."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page, never_cache
from django.views.decorators.http import require_GET

from core import ratelimit
from core.codes import canonical
from core.errors import DomainError
from core.filters import query_int
from core.pagination import paginate
from core.periods import TERM, Period, period_from
from core.uploads import UploadRejected
from directory.selectors import term_start
from legislation.selectors import liaison_point_of

from . import captcha, selectors
from .forms import PublicOpinionForm, TrackForm
from .services import online_opinion_submit

DIRECTORY_PAGE_SIZE = 20


def public_cache(view):
    """cache_page with the timeout read per request (PUBLIC_CACHE_SECONDS; 0 turns it off)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_CACHE_SECONDS
        if seconds <= 0:
            return view(request, *args, **kwargs)
        return cache_page(seconds, key_prefix="public")(view)(request, *args, **kwargs)

    return require_GET(wrapper)


@public_cache
def home(request):
    county = selectors.public_county()
    return render(request, "public/home.html", {"county": county})


# 民意直通车 --------------------------------------------------------------------------------------


def _refuse(request, form, county, message: str, status: int = 400):
    """Show the form again with the refusal on top and a new CAPTCHA question."""
    form.add_error(None, message)
    return _render_form(request, form, county, status=status)


def _render_form(request, form, county, status: int = 200):
    captcha.new_challenge(request.session)
    deputy = None
    deputy_id = query_int(form["deputy"].value())
    if deputy_id is not None:
        deputy = form.fields["deputy"].queryset.filter(pk=deputy_id).first()
    response = render(
        request,
        "public/opinion_form.html",
        {"form": form, "county": county, "deputy": deputy, "nonce": timezone.now().timestamp()},
        status=status,
    )
    return response


@never_cache
def opinion_new(request):
    county = selectors.public_county()
    if request.method != "POST":
        initial = {key: request.GET[key] for key in ("station", "deputy") if key in request.GET}
        return _render_form(request, PublicOpinionForm(initial=initial, county=county), county)

    form = PublicOpinionForm(request.POST, request.FILES, county=county)
    if not ratelimit.hit(
        request,
        "opinion",
        limit=settings.PUBLIC_OPINION_LIMIT,
        window=settings.PUBLIC_OPINION_WINDOW,
    ):
        return _refuse(
            request,
            form,
            county,
            _("提交过于频繁,请%(minutes)d分钟后再试。")
            % {"minutes": max(settings.PUBLIC_OPINION_WINDOW // 60, 1)},
            status=429,
        )
    if request.POST.get("website"):
        return _refuse(request, form, county, _("提交未被受理:请不要填写标注“请勿填写”的栏目。"))
    wrong = captcha.check_answer(request.session, request.POST.get("captcha", ""))
    if wrong:
        return _refuse(request, form, county, wrong)
    if not form.is_valid():
        return _render_form(request, form, county, status=400)
    data = form.cleaned_data
    try:
        opinion = online_opinion_submit(
            county=county,
            township=data["township"],
            station=data["station"],
            deputy=data["deputy"],
            category=data["category"],
            content=data["content"],
            contact=data["contact"],
            photo=data["photo"],
        )
    except (DomainError, UploadRejected) as error:
        if isinstance(error, DomainError):
            error.add_to(form)
        else:
            form.add_error("photo", str(error))
        return _render_form(request, form, county, status=400)
    return redirect("public:track", code=opinion.tracking_code)


@never_cache
@require_GET
def captcha_image(request):
    return HttpResponse(captcha.render_png(request.session), content_type="image/png")


# Tracking ---------------------------------------------------------------------------------------


def _not_found(request):
    return render(request, "public/track_not_found.html", status=404)


@never_cache
@require_GET
def track_lookup(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        return redirect("public:track", code=canonical(form.cleaned_data["code"]))
    return render(request, "public/track_lookup.html", {"form": form})


@never_cache
@require_GET
@ratelimit.limit_code_lookups("track", template="public/track_not_found.html")
def track(request, code: str):
    """The sender's page: status, timeline (without names of staff) and the answer. A wrong or
    malformed code gets the same 404 page as any unknown code."""
    opinion = selectors.opinion_by_code(code)
    if opinion is None:
        return _not_found(request)
    statuses = dict(opinion.Status.choices)
    events = [(event.at, statuses.get(event.to_status, "")) for event in opinion.events.all()]
    return render(request, "public/track.html", {"opinion": opinion, "events": events})


# Station directory and showcase wall -----------------------------------------------------------


@public_cache
def station_directory(request):
    county = selectors.public_county()
    query = request.GET.get("q", "")[:40]
    township = request.GET.get("township", "")
    page = paginate(
        request,
        selectors.station_directory(county=county, query=query, township=township),
        DIRECTORY_PAGE_SIZE,
    )
    selectors.decorate_stations(list(page), timezone.localdate())
    return render(
        request,
        "public/station_directory.html",
        {
            "county": county,
            "page": page,
            "query": query,
            "township": township,
            "filter_query": urlencode(
                {k: v for k, v in (("q", query), ("township", township)) if v}
            ),
            "townships": selectors.station_townships(county).order_by("code"),
        },
    )


@require_GET
def station_search(request):
    """The source of the opinion form's station picker (JSON)."""
    county = selectors.public_county()
    query = request.GET.get("q", "")[:40]
    return JsonResponse({"results": selectors.station_picks(county=county, query=query)})


@public_cache
def station_wall(request, pk: int):
    county = selectors.public_county()
    station = selectors.public_station(county=county, pk=pk)
    selectors.decorate_stations([station], timezone.localdate())
    return render(
        request,
        "public/station_wall.html",
        {
            "county": county,
            "station": station,
            "liaison_point": liaison_point_of(station),
            **selectors.station_wall(station),
        },
    )


@public_cache
def showcase(request):
    """履职风采: the county's published duty stories, newest first."""
    county = selectors.public_county()
    page = paginate(request, selectors.published_stories(county), 20)
    return render(request, "public/showcase.html", {"county": county, "page": page})


# Disclosure and figures ------------------------------------------------------------------------


@public_cache
def disclosure(request):
    """三公开: suggestion results, the latest campaign's published duty reports, evaluation
    results, rectifications and 优秀人大代表, and published oversight results — only what staff
    approved, a fixed number of queries."""
    county = selectors.public_county()
    page = paginate(request, selectors.published_suggestions(county), 20)
    selectors.suggestion_results_of(page)
    context = {
        "county": county,
        "suggestions": page,
        "topics": selectors.published_topics(county),
        "review_opinions": selectors.published_review_opinions(county),
        "inquiries": selectors.published_inquiries(county),
    }
    campaign = selectors.disclosed_campaign(county)
    if campaign is not None:
        reports = Paginator(selectors.published_duty_reports(campaign), 20)
        rectifications = Paginator(selectors.published_rectifications(campaign), 20)
        context.update(
            campaign=campaign,
            reports=reports.get_page(request.GET.get("reports")),
            rectifications=rectifications.get_page(request.GET.get("rectifications")),
            excellent=selectors.published_excellent(campaign),
        )
    return render(request, "public/disclosure.html", context)


@public_cache
def figures(request):
    county = selectors.public_county()
    today = timezone.localdate()
    try:
        period = period_from(
            {"year": request.GET.get("year", "")},
            today=today,
            term_start=term_start(county_id=county.pk),
            first_year=today.year - 4,
            default=TERM,
        )
    except DomainError:
        period = Period.year(today.year)
    data = selectors.public_figures(county, period=period, today=today)
    statistics = data["statistics"]
    chart = selectors.bar_chart(
        [(label, row.supervised, row.solved) for label, row in statistics.by_category]
    )
    return render(
        request,
        "public/figures.html",
        {
            "county": county,
            "period": period,
            "years": range(today.year, today.year - 5, -1),
            "figures": data,
            "totals": statistics.totals,
            "chart": chart,
        },
    )
