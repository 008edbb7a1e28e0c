from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """One page of ``queryset`` for ``?page=``; a bad page number shows the nearest valid page."""
    paginator = Paginator(queryset, per_page or settings.PORTAL_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
