from django.contrib import admin

from .models import PersonalDataAccess


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
