"""What the OpenAPI schema (drf-spectacular) says about the API, kept true in one place:

* :class:`PortalAutoSchema` (DEFAULT_SCHEMA_CLASS): an endpoint that builds one object for a
  period (a plain ViewSet's ``list``, e.g. the annual overview) is an object, not an array; a
  field read through a relation that may be missing (``handling_unit.name``) is nullable;
* :class:`BoundedFilterExtension`: each filter parameter states the bounds core.filters enforces
  (a year 1–9999, an id within its column);
* :func:`document_error_responses` (a postprocessing hook): every operation documents the error
  answers it can give — 403 (not signed in, the role may not read it, a reveal without the
  permission, a password to change), 404 (a record outside the scope, a page past the end) and
  400 (a refused query parameter, named) wherever it takes query parameters.

The API has no 429: the per-address limits (core.ratelimit) guard the public pages only, and the
login lockout answers on the login page.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.generics import GenericAPIView

from core.filters import BoundedKeyMixin, integer_range, number_target

ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrors": {
        "type": "object",
        "description": str(_("每个无效参数的名称及其错误说明。")),
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}
ERROR_RESPONSES = {
    "400": (str(_("查询参数无效(响应中列出参数名及原因)")), "ValidationErrors"),
    "403": (str(_("未登录、角色无权访问、无权查看个人信息,或须先修改密码")), "ErrorDetail"),
    "404": (str(_("记录不存在或不在工作范围内,或页码超出范围")), "ErrorDetail"),
}
# Query parameters that are never refused with 400: an unknown ordering or page size is ignored,
# a page past the end is a 404, a reveal without the permission a 403.
LENIENT_PARAMETERS = {"ordering", "search", "page_size", "page", "format", "reveal"}


class PortalAutoSchema(AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and _source_may_be_null(field):
            meta["nullable"] = True
        return meta

    def _is_list_view(self, serializer=None) -> bool:
        # Only a generic view lists rows of its queryset; a plain ViewSet's ``list`` answers with
        # the one object it builds (annual overview, suggestion statistics).
        if not isinstance(self.view, GenericAPIView):
            return False
        return super()._is_list_view(serializer)


def _source_may_be_null(field) -> bool:
    """Whether a field read through relations (``source="handling_unit.name"``) meets a missing
    record on the way: a nullable foreign key or a reverse one-to-one. DRF then answers null."""
    attrs = getattr(field, "source_attrs", None) or []
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    for attr in attrs[:-1]:
        if model is None:
            return False
        try:
            relation = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if getattr(relation, "null", False) or (relation.one_to_one and not relation.concrete):
            return True
        model = relation.related_model
    return False


class BoundedFilterExtension(DjangoFilterExtension):
    """The filters of core.filters with their bounds in the schema."""

    target_class = "core.api.filters.PortalFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        bounds = _filter_bounds(model, filter_field)
        for parameter in parameters:
            schema = parameter["schema"]
            if bounds is not None:
                schema["type"] = "integer"
                schema.pop("format", None)
                schema["minimum"], schema["maximum"] = bounds
        return parameters


def _filter_bounds(model, filter_field) -> tuple[int, int] | None:
    extra = filter_field.extra
    if "min_value" in extra and "max_value" in extra:
        return extra["min_value"], extra["max_value"]
    if not issubclass(filter_field.field_class, BoundedKeyMixin):
        return None
    target = number_target(model, filter_field.field_name) if model else None
    if isinstance(target, models.Field):
        return integer_range(target)
    chosen = getattr(filter_field.queryset, "model", None)  # a queryset, not a callable
    return integer_range(chosen._meta.pk) if chosen is not None else None


def document_error_responses(result, generator, request, public):
    """Postprocessing hook: add the error answers to every operation (see the module's doc)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(ERROR_SCHEMAS)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["403", "404"]
            if any(
                parameter.get("in") == "query" and parameter["name"] not in LENIENT_PARAMETERS
                for parameter in operation.get("parameters", [])
            ):
                codes.append("400")
            for code in codes:
                description, schema_name = ERROR_RESPONSES[code]
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema_name}"}
                            }
                        },
                    },
                )
    return result
