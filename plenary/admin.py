"""人代会 in the admin: corrections by the administrator and committee staff. Sessions, attendance
and motions are entered on the portal (scope, convened deputies and the joint-signature rule
checked, duty records written), so the admin neither adds nor deletes them."""

from django.contrib import admin

from .models import Attendance, Delegate, Motion, Session, Sitting


class PortalEnteredAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SittingInline(admin.TabularInline):
    model = Sitting
    extra = 0


@admin.register(Session)
class SessionAdmin(PortalEnteredAdmin):
    list_display = ["__str__", "congress_level", "opens_on", "closes_on", "venue"]
    list_filter = ["congress_level", "county"]
    list_select_related = ["congress"]
    readonly_fields = ["county", "congress_level", "congress", "created_by", "created_at"]
    inlines = [SittingInline]


@admin.register(Delegate)
class DelegateAdmin(PortalEnteredAdmin):
    list_display = ["deputy", "session", "delegation"]
    list_select_related = ["deputy", "session__congress", "delegation"]
    list_filter = ["session"]
    search_fields = ["deputy__name"]
    readonly_fields = ["session", "deputy"]
    autocomplete_fields = ["delegation"]


@admin.register(Attendance)
class AttendanceAdmin(PortalEnteredAdmin):
    list_display = ["deputy", "sitting", "status", "leave_approved_by", "leave_approved_on"]
    list_select_related = ["deputy", "sitting"]
    list_filter = ["status", "source", "sitting__session"]
    search_fields = ["deputy__name"]
    readonly_fields = ["sitting", "deputy", "status", "source", "recorded_by", "recorded_at"]


@admin.register(Motion)
class MotionAdmin(PortalEnteredAdmin):
    list_display = ["number", "title", "session", "kind", "decision", "decided_on"]
    list_select_related = ["session__congress"]
    list_filter = ["decision", "kind", "session"]
    search_fields = ["title"]
    readonly_fields = [
        "session",
        "number",
        "kind",
        "lead_deputy",
        "signers",
        "delegation",
        "decision",
        "decided_on",
        "decided_by",
        "created_by",
    ]
