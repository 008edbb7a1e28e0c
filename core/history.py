"""A record's change history (django-auditlog), shown with labels: field names as their verbose
names, choices as their display values, related records by name, not "4244 → received"."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from accounts.models import User

HISTORY_LIMIT = 20
EMPTY = "—"
M2M_OPERATIONS = {"add": gettext_lazy("添加"), "delete": gettext_lazy("移除")}


@dataclass(frozen=True)
class ChangeRow:
    field: str
    old: str
    new: str


def history_for(user: "User", obj) -> list[LogEntry] | None:
    """The latest entries for ``obj`` with ``change_rows``, or None when the user may not read the
    audit trail."""
    if not user.has_perm("auditlog.view_logentry"):
        return None
    entries = list(
        LogEntry.objects.get_for_object(obj).select_related("actor", "content_type")[:HISTORY_LIMIT]
    )
    attach_change_rows(entries)
    return entries


def attach_change_rows(entries: list[LogEntry]) -> None:
    """Set ``entry.change_rows`` on each entry; related records are read in one query per related
    model, whatever the number of entries."""
    parsed = [_changed_fields(entry) for entry in entries]
    pending: dict[type[models.Model], set] = defaultdict(set)
    for fields in parsed:
        for field, _label, values in fields:
            if _is_relation(field) and isinstance(values, list | tuple):
                pending[field.related_model].update(
                    pk for pk in (_to_pk(field, value) for value in values) if pk is not None
                )
    names = {
        model: {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=pks)}
        for model, pks in pending.items()
    }
    for entry, fields in zip(entries, parsed, strict=True):
        entry.change_rows = [_row(field, label, values, names) for field, label, values in fields]


def change_rows(entry: LogEntry) -> list[ChangeRow]:
    attach_change_rows([entry])
    return entry.change_rows


def changed_field_labels(entry: LogEntry) -> list[str]:
    return [label for _field, label, _values in _changed_fields(entry)]


def _changed_fields(entry: LogEntry) -> list[tuple]:
    """(model field or None, label, recorded values) for each field the entry changed."""
    model = entry.content_type.model_class()
    result = []
    for name, values in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        if field is not None and field.auto_created and not field.concrete:
            continue  # a reverse relation: auditlog records its manager, not a value
        label = str(field.verbose_name) if field is not None else name
        result.append((field, label, values))
    return result


def _is_relation(field) -> bool:
    return field is not None and bool(field.many_to_one or field.one_to_one)


def _to_pk(field, value):
    if value in (None, "None", ""):
        return None
    try:
        return field.related_model._meta.pk.to_python(value)
    except ValidationError:
        return None


def _row(field, label: str, values, names) -> ChangeRow:
    if isinstance(values, dict) and values.get("type") == "m2m":
        operation = values.get("operation", "")
        objects = "、".join(str(o) for o in values.get("objects", []))
        return ChangeRow(label, str(M2M_OPERATIONS.get(operation, operation)), objects)
    old, new = (list(values) + ["", ""])[:2]
    return ChangeRow(label, _display(field, old, names), _display(field, new, names))


def _display(field, value, names) -> str:
    if value is None or value in ("None", ""):
        return EMPTY
    if field is None:
        return str(value)
    if _is_relation(field):
        pk = _to_pk(field, value)
        return names.get(field.related_model, {}).get(pk, str(value))
    if field.choices:
        choices = {str(k): v for k, v in field.flatchoices}
        return str(choices.get(str(value), value))
    if isinstance(field, models.BooleanField):
        return {"True": _("是"), "False": _("否")}.get(str(value), str(value))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return formats.date_format(day, "Y-m-d")
    return str(value)
