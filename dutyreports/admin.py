from django.contrib import admin

from .models import (
    BatchMember,
    DutyReport,
    ExcellentCandidate,
    Rectification,
    ReportCampaign,
    ReportEvaluation,
)


@admin.register(ReportCampaign)
class ReportCampaignAdmin(admin.ModelAdmin):
    """Campaigns are opened on the portal (述职活动 page); the deadline can be corrected here."""

    list_display = [
        "year",
        "county",
        "township",
        "batch_rule",
        "deadline",
        "opened_by",
        "opened_at",
    ]
    list_filter = ["year", "county", "batch_rule"]
    readonly_fields = ["county", "township", "year", "batch_rule", "opened_by", "opened_at"]

    def has_add_permission(self, request):
        return False


@admin.register(DutyReport)
class DutyReportAdmin(admin.ModelAdmin):
    """Reports are filed on the portal (a duty record each); read-only here."""

    list_display = [
        "deputy",
        "campaign",
        "onsite_date",
        "live_link",
        "filed_at",
        "total_score",
        "grade",
        "report_published_at",
        "result_published_at",
    ]
    list_filter = ["campaign__year", "grade"]
    list_select_related = ["deputy", "campaign"]
    search_fields = ["deputy__name"]
    readonly_fields = [field.name for field in DutyReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportEvaluation)
class ReportEvaluationAdmin(ReadOnlyAdmin):
    """Ballots are cast on the portal (a code, a peer, the organisation); votes are not edited."""

    list_display = ["report", "kind", "grade", "evaluator", "entered_by", "created_at"]
    list_filter = ["report__campaign__year", "kind", "grade"]
    list_select_related = ["report__deputy", "report__campaign", "evaluator", "entered_by"]
    search_fields = ["report__deputy__name"]
    readonly_fields = [
        field.name for field in ReportEvaluation._meta.fields if field.name != "code"
    ]
    exclude = ["code"]


@admin.register(BatchMember)
class BatchMemberAdmin(ReadOnlyAdmin):
    """The batch is chosen on the campaign's 述职名单 page (rules, additions, removals); read here."""

    list_display = ["deputy", "campaign", "source", "changed_by", "changed_at"]
    list_filter = ["campaign__year", "source"]
    list_select_related = ["deputy", "campaign__township", "changed_by"]
    search_fields = ["deputy__name"]
    readonly_fields = [field.name for field in BatchMember._meta.fields]


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ["problem", "report", "deadline", "status", "done_on", "published_at"]
    list_filter = ["report__campaign__year", "status"]
    list_select_related = ["report__deputy", "report__campaign"]
    search_fields = ["problem", "report__deputy__name"]
    raw_id_fields = ["report"]
    readonly_fields = ["created_by", "created_at", "published_at", "published_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ExcellentCandidate)
class ExcellentCandidateAdmin(admin.ModelAdmin):
    """Candidates are proposed and decided on the portal (优秀人大代表评选); read here."""

    list_display = ["deputy", "campaign", "duty_points", "total_score", "decision", "published_at"]
    list_filter = ["campaign__year", "decision"]
    list_select_related = ["deputy", "campaign"]
    search_fields = ["deputy__name"]
    readonly_fields = [field.name for field in ExcellentCandidate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
