from auditlog.admin import LogEntryAdmin as BaseLogEntryAdmin
from auditlog.filters import CIDFilter, ResourceTypeFilter
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .history import change_rows, changed_field_labels
from .models import ExportJob, Notification, OutboxMessage, PersonalDataAccess


class RecordTypeFilter(ResourceTypeFilter):
    """The record types by their Chinese names, not the model's class name."""

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).values_list("content_type_id", flat=True)
        types = [ContentType.objects.get_for_id(pk) for pk in set(ids.distinct().order_by())]
        return sorted(((ct.pk, _record_type(ct)) for ct in types), key=lambda item: item[1])


class CorrelationFilter(CIDFilter):
    title = _("关联 ID")


def _record_type(content_type) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(BaseLogEntryAdmin):
    """django-auditlog's admin with its hard-coded English columns in Chinese and the changes shown
    with labels (core.history), as on the portal's history panels."""

    CID_TITLE = _("点击筛选同一关联 ID 的记录")
    list_filter = ["action", RecordTypeFilter, CorrelationFilter]

    @admin.display(description=_("用户"))
    def user_url(self, obj):
        return super().user_url(obj) if obj.actor else gettext("系统")

    @admin.display(description=_("记录"))
    def resource_url(self, obj):
        return super().resource_url(obj)

    @admin.display(description=_("变更内容"))
    def msg_short(self, obj):
        if obj.action in [LogEntry.Action.DELETE, LogEntry.Action.ACCESS]:
            return ""
        labels = changed_field_labels(obj)
        return gettext("%(count)d 项:%(fields)s") % {
            "count": len(labels),
            "fields": "、".join(labels),
        }

    @admin.display(description=_("变更内容"))
    def msg(self, obj):
        rows = change_rows(obj)
        if not rows:
            return ""
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            gettext("字段"),
            gettext("原值"),
            gettext("新值"),
        )
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r.field, r.old, r.new) for r in rows),
        )
        return format_html("<table>{}{}</table>", head, body)

    @admin.display(description=_("关联 ID"))
    def cid_url(self, obj):
        return super().cid_url(obj)


class PersonalRecordTypeFilter(admin.SimpleListFilter):
    title = _("记录类型")
    parameter_name = "record_type"

    def lookups(self, request, model_admin):
        labels = model_admin.get_queryset(request).values_list("record_type", flat=True)
        return [(label, _record_type_label(label)) for label in labels.distinct().order_by()]

    def queryset(self, request, queryset):
        return queryset.filter(record_type=self.value()) if self.value() else queryset


def _record_type_label(label: str) -> str:
    model = _model_for_label(label)
    return str(model._meta.verbose_name) if model else label


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the access log through the portal."""

    list_display = [
        "at",
        "user",
        "action",
        "record_type_label",
        "record_repr",
        "field_labels",
        "ip_address",
    ]
    list_filter = ["action", PersonalRecordTypeFilter]
    list_select_related = ["user"]
    search_fields = ["record_repr", "user__username", "user__full_name", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["record_type_label", "field_labels"]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in PersonalDataAccess._meta.fields if f.name != "id"]
        swap = {"record_type": "record_type_label", "fields": "field_labels"}
        return [swap.get(name, name) for name in fields]

    @admin.display(description=_("记录类型"), ordering="record_type")
    def record_type_label(self, access):
        return _record_type_label(access.record_type)

    @admin.display(description=_("字段"))
    def field_labels(self, access):
        model = _model_for_label(access.record_type)
        names = [name for name in access.fields.split(",") if name]
        return "、".join(_field_label(model, name) for name in names)


def _model_for_label(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except FieldDoesNotExist:
        return name


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "title",
        "read_at",
        "email_sent_at",
        "sms_sent_at",
        "delivery_failed",
    ]
    list_filter = ["kind", "delivery_failed"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "recipient__full_name", "dedupe_key"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "task_name", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["task_name"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Exports run by users: the administrator sees failures and may delete a job (its file goes
    with it at the next purge)."""

    list_display = ["created_at", "user", "exporter", "status", "rows_done", "expires_at"]
    list_filter = ["exporter", "status"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name", "filename"]
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        if obj.file:
            obj.file.delete(save=False)
        super().delete_model(request, obj)
