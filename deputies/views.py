from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.pagination import paginate

from . import selectors


@login_required
def deputy_list(request):
    filterset = selectors.DeputyFilter(
        request.GET, queryset=selectors.deputy_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    return render(request, "deputies/deputy_list.html", {"filter": filterset, "page": page})


@login_required
def deputy_detail(request, pk: int):
    deputy = selectors.deputy_get(user=request.user, pk=pk)
    return render(request, "deputies/deputy_detail.html", {"deputy": deputy})
