from django.contrib import admin

from .models import ExportJob, Notification, OutboxMessage, PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the access log through the portal."""

    list_display = ["at", "user", "action", "record_type", "record_repr", "fields", "ip_address"]
    list_filter = ["action", "record_type"]
    list_select_related = ["user"]
    search_fields = ["record_repr", "user__username", "user__full_name", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
