from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Assignment,
    AssignmentMeeting,
    Evaluation,
    ReassignRequest,
    Reply,
    ReplyCategory,
    Suggestion,
    SuggestionEvent,
    UnitContact,
)


@admin.register(ReplyCategory)
class ReplyCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "counts_as_solved", "ordering", "is_active"]
    list_editable = ["name", "counts_as_solved", "ordering", "is_active"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["round", "unit", "role", "assigned_on", "deadline", "meeting"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SuggestionEventInline(admin.TabularInline):
    model = SuggestionEvent
    extra = 0
    fields = ["at", "actor", "from_status_label", "to_status", "round", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("原状态"))
    def from_status_label(self, event):
        return dict(Suggestion.Status.choices).get(event.from_status, event.from_status)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Suggestions move through their services (the state machine); the admin reads them and
    corrects the text, never the status."""

    list_display = [
        "number",
        "title",
        "lead_deputy",
        "congress",
        "category",
        "status",
        "round",
        "deadline",
        "key_supervision",
    ]
    list_filter = [
        "status",
        "category",
        "key_supervision",
        "is_complex",
        "congress_level",
        "county",
    ]
    list_select_related = ["lead_deputy", "congress"]
    search_fields = ["number", "title", "lead_deputy__name"]
    autocomplete_fields = ["lead_deputy", "co_signers"]
    readonly_fields = [
        "number",
        "county",
        "congress_level",
        "congress",
        "converted_opinion",
        "status",
        "round",
        "assigned_on",
        "deadline",
        "original_deadline",
        "submitted_at",
        "created_by",
        "created_at",
        "supervising_leader",
        "key_supervision",
        "is_complex",
        "not_registered_reason",
        "from_opinions",
    ]
    inlines = [AssignmentInline, SuggestionEventInline]

    def has_add_permission(self, request):
        return False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = [
        "suggestion",
        "round",
        "unit",
        "category",
        "without_progress_report",
        "replied_on",
    ]
    list_filter = ["category", "without_progress_report"]
    list_select_related = ["suggestion", "unit", "category"]
    search_fields = ["suggestion__title", "text"]
    readonly_fields = [
        "suggestion",
        "unit",
        "round",
        "replied_on",
        "replied_by",
        "without_progress_report",
        "without_contact",
        # The letter is sealed on upload through the portal; never replaced here.
        "letter",
        "letter_name",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "round", "kind", "result", "created_at"]
    list_filter = ["kind", "result"]
    list_select_related = ["suggestion"]
    search_fields = ["suggestion__title"]
    readonly_fields = [field.name for field in Evaluation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _EnteredOnThePortal(admin.ModelAdmin):
    """Entered on the portal (rules checked, the timeline and notices written): the admin reads
    and corrects descriptive fields; it neither adds nor deletes."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssignmentMeeting)
class AssignmentMeetingAdmin(_EnteredOnThePortal):
    list_display = ["date", "congress", "place", "chaired_by"]
    list_select_related = ["congress"]
    readonly_fields = ["county", "congress_level", "congress", "created_by", "created_at"]


@admin.register(ReassignRequest)
class ReassignRequestAdmin(_EnteredOnThePortal):
    list_display = ["suggestion", "unit", "suggested_unit", "status", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["suggestion", "unit", "suggested_unit"]
    readonly_fields = [
        field.name for field in ReassignRequest._meta.fields if field.name != "reason"
    ]


@admin.register(UnitContact)
class UnitContactAdmin(_EnteredOnThePortal):
    list_display = ["suggestion", "unit", "kind", "date", "participants"]
    list_filter = ["kind"]
    list_select_related = ["suggestion", "unit"]
    readonly_fields = ["suggestion", "unit", "round", "recorded_by", "created_at"]
