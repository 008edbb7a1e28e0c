"""Structured logs: one JSON line per request and per task (stdlib logging only).

The request id comes from the proxy's ``X-Request-ID`` (nginx sets ``$request_id``) or is made
here; it is returned in the response, carried to every task the request enqueues as a message
header and logged with the task, so one id follows a click to the worker that did the work."""

import contextlib
import contextvars
import json
import logging
import re
import time
import uuid

from django.db import connections
from django.utils.functional import SimpleLazyObject, empty

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
request_log = logging.getLogger("portal.request")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Attributes every LogRecord has; anything else was passed in ``extra`` and goes into the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def incoming_request_id(value: str | None) -> str:
    """The proxy's id when it looks like one (never a log-injection vector), else a new one."""
    if value and _REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _loaded_user(request):
    """The user if something in the request already loaded it; never a query of our own (a page
    that did not need the user keeps its query count)."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    return user


class RequestLogMiddleware:
    """First in MIDDLEWARE, so it times and counts everything, refusals included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        counter = _QueryCounter()
        started = time.perf_counter()
        try:
            with contextlib.ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(counter))
                response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            user = _loaded_user(request)
            authenticated = bool(user is not None and user.is_authenticated)
            request_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "user_id": user.pk if authenticated else None,
                    "role": getattr(user, "role", "") if authenticated else "",
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "queries": counter.count,
                },
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_id_var.reset(token)
