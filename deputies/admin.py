from django.contrib import admin

from .models import (
    AidHousehold,
    AidVisit,
    DutyRecord,
    DutyScore,
    ManualDutyRecord,
    ScoringMultiplier,
    ScoringRule,
    ScoringScheme,
    SmallProblem,
    Training,
    TrainingAttendance,
)


@admin.register(DutyRecord)
class DutyRecordAdmin(admin.ModelAdmin):
    """Duty records are written by the features that produce them; read-only here."""

    list_display = ["occurred_on", "deputy", "kind", "title"]
    list_filter = ["kind"]
    list_select_related = ["deputy"]
    search_fields = ["deputy__name", "title"]
    date_hierarchy = "occurred_on"
    readonly_fields = [
        "deputy",
        "kind",
        "occurred_on",
        "title",
        "source_type",
        "source_id",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScoringRuleInline(admin.TabularInline):
    model = ScoringRule
    extra = 0


class ScoringMultiplierInline(admin.TabularInline):
    model = ScoringMultiplier
    extra = 0


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    """考核指标 of a year: the administrator edits them; committee staff read them. Scores are
    recomputed from the rules (the scores page, nightly, or `manage.py compute_scores`)."""

    list_display = ["year", "min_records", "updated_at"]
    inlines = [ScoringRuleInline, ScoringMultiplierInline]


@admin.register(DutyScore)
class DutyScoreAdmin(admin.ModelAdmin):
    """Computed by deputies.scoring; read-only here."""

    list_display = ["year", "deputy", "total", "contact", "suggestion", "activity", "acts"]
    list_filter = ["year"]
    list_select_related = ["deputy"]
    search_fields = ["deputy__name"]
    readonly_fields = [field.name for field in DutyScore._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ManualDutyRecord)
class ManualDutyRecordAdmin(admin.ModelAdmin):
    """Entered and approved on the portal (two staff members); read-only here."""

    list_display = ["proposed_at", "deputy", "kind", "title", "status", "proposed_by", "decided_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["deputy", "proposed_by", "decided_by"]
    search_fields = ["deputy__name", "title"]
    readonly_fields = [field.name for field in ManualDutyRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    fields = ["deputy", "hours"]
    readonly_fields = ["deputy"]

    def has_add_permission(self, request, obj=None):
        return False  # attendance comes from the sign-in sheet (a duty record each)


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    """Courses are registered here; who attended comes from the sign-in sheet import."""

    list_display = ["name", "kind", "mode", "start_date", "hours", "county"]
    list_filter = ["kind", "mode", "county"]
    search_fields = ["name"]
    date_hierarchy = "start_date"
    inlines = [TrainingAttendanceInline]


class _RecordedOnThePortal(admin.ModelAdmin):
    """Recorded by deputies on the portal (a duty record each): corrected here, not added or
    deleted (the duty record would be left behind)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SmallProblem)
class SmallProblemAdmin(_RecordedOnThePortal):
    list_display = ["deputy", "solved_on", "place", "recorded_by", "created_at"]
    list_filter = ["solved_on"]
    list_select_related = ["deputy", "recorded_by"]
    search_fields = ["deputy__name", "place", "description"]
    readonly_fields = ["deputy", "recorded_by", "created_at"]


class AidVisitInline(admin.TabularInline):
    model = AidVisit
    extra = 0
    fields = ["visited_on", "help_given", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AidHousehold)
class AidHouseholdAdmin(_RecordedOnThePortal):
    # The head's name is personal data: not in the list (masked on the portal's pages).
    list_display = ["deputy", "address", "difficulty", "since", "ended_on"]
    list_filter = ["since"]
    list_select_related = ["deputy"]
    search_fields = ["deputy__name", "address"]
    readonly_fields = ["deputy", "created_by", "created_at"]
    inlines = [AidVisitInline]
