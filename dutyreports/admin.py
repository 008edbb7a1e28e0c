from django.contrib import admin

from .models import DutyReport, ReportCampaign


@admin.register(ReportCampaign)
class ReportCampaignAdmin(admin.ModelAdmin):
    """Campaigns are opened on the portal (述职活动 page); the deadline can be corrected here."""

    list_display = ["year", "county", "deadline", "opened_by", "opened_at"]
    list_filter = ["year", "county"]
    readonly_fields = ["county", "year", "opened_by", "opened_at"]

    def has_add_permission(self, request):
        return False


@admin.register(DutyReport)
class DutyReportAdmin(admin.ModelAdmin):
    """Reports are filed on the portal (a duty record each); read-only here."""

    list_display = ["deputy", "campaign", "onsite_date", "live_link", "filed_at"]
    list_filter = ["campaign__year"]
    list_select_related = ["deputy", "campaign"]
    search_fields = ["deputy__name"]
    readonly_fields = [field.name for field in DutyReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
