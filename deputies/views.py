from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string

from accounts.access import can_view_personal_data
from core import listcache
from core.history import history_for
from core.pagination import paginate
from core.personal import log_personal_access, wants_reveal

from . import selectors


@login_required
def deputy_list(request):
    def content() -> str:
        filterset = selectors.DeputyFilter(
            request.GET, queryset=selectors.deputy_list(user=request.user), request=request
        )
        page = paginate(request, filterset.qs)
        return render_to_string(
            "deputies/_deputy_list_content.html",
            {"filter": filterset, "page": page},
            request=request,
        )

    return render(
        request,
        "deputies/deputy_list.html",
        {"content": listcache.cached(request, "deputies:list", content)},
    )


@login_required
def deputy_detail(request, pk: int):
    deputy = selectors.deputy_get(user=request.user, pk=pk)
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
            "history": history_for(request.user, deputy),
        },
    )
