"""Request checks that hold for every page and endpoint."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class QueryStringNullMiddleware:
    """Answer 400 to a query string with a NUL character (%00) in a name or value.

    No database column can hold one (PostgreSQL refuses it outright), so a view that passed such
    a value to a query would fail; forms already refuse it (Django's CharField), this covers the
    parameters read by hand and the API's search."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("请求无效:查询参数包含非法字符。")
            if request.path.startswith("/api/"):
                return JsonResponse({"non_field_errors": [message]}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
