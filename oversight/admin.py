"""Oversight records are entered on the portal (where the participation of deputies becomes duty
records and the rules are checked); the admin reads them and corrects descriptive fields."""

from django.contrib import admin

from .models import (
    CitizenObserver,
    CommitteeMeeting,
    CommitteeVote,
    Inspection,
    InspectionRecommendation,
    MajorMatter,
    MajorMatterReport,
    MeetingAttendance,
    PublicScore,
    ResearchReport,
    SatisfactionRating,
    SupervisionTopic,
    TopicResearch,
)


class PortalEnteredAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecommendationInline(ReadOnlyInline):
    model = InspectionRecommendation
    fields = ["unit", "content", "status", "decided_on"]


@admin.register(Inspection)
class InspectionAdmin(PortalEnteredAdmin):
    list_display = ["law", "county", "joint", "start_date", "end_date", "reported_on"]
    list_filter = ["joint", "county"]
    search_fields = ["law"]
    readonly_fields = ["county", "deputies", "members", "start_date", "created_by", "created_at"]
    inlines = [RecommendationInline]


@admin.register(InspectionRecommendation)
class InspectionRecommendationAdmin(PortalEnteredAdmin):
    list_display = ["inspection", "unit", "status", "decided_on"]
    list_filter = ["status"]
    list_select_related = ["inspection", "unit"]
    search_fields = ["content", "unit__name"]
    readonly_fields = ["inspection", "unit", "decided_by", "created_at"]


class ResearchInline(ReadOnlyInline):
    model = TopicResearch
    fields = ["date", "place", "public_count"]


@admin.register(SupervisionTopic)
class SupervisionTopicAdmin(PortalEnteredAdmin):
    list_display = ["title", "year", "unit", "rectification_deadline", "published_on"]
    list_filter = ["year", "county"]
    list_select_related = ["unit"]
    search_fields = ["title"]
    readonly_fields = ["county", "unit", "opinions", "created_by", "created_at"]
    inlines = [ResearchInline]


@admin.register(ResearchReport)
class ResearchReportAdmin(PortalEnteredAdmin):
    list_display = ["title", "topic", "filed_on"]
    readonly_fields = ["topic", "filed_by"]


class VoteInline(ReadOnlyInline):
    model = CommitteeVote
    fields = ["member", "choice", "recorded_at"]
    readonly_fields = ["recorded_at"]


class ScoreInline(ReadOnlyInline):
    model = PublicScore
    fields = ["representative", "score", "recorded_at"]
    readonly_fields = ["recorded_at"]


@admin.register(SatisfactionRating)
class SatisfactionRatingAdmin(PortalEnteredAdmin):
    """Votes and scores are kept as cast: read-only here."""

    list_display = ["topic", "meeting", "result", "concluded_at"]
    readonly_fields = ["topic", "meeting", "result", "concluded_at", "opened_by"]
    inlines = [VoteInline, ScoreInline]

    def has_change_permission(self, request, obj=None):
        return False


class MajorMatterReportInline(ReadOnlyInline):
    model = MajorMatterReport
    fields = ["step", "date", "document", "note"]


@admin.register(MajorMatter)
class MajorMatterAdmin(PortalEnteredAdmin):
    list_display = ["title", "county", "created_at"]
    search_fields = ["title"]
    readonly_fields = ["county", "created_by", "created_at"]
    inlines = [MajorMatterReportInline]


class AttendanceInline(ReadOnlyInline):
    model = MeetingAttendance
    fields = ["deputy", "status", "invited_at"]
    readonly_fields = ["invited_at"]


class ObserverInline(ReadOnlyInline):
    model = CitizenObserver
    fields = ["name", "affiliation", "status", "attended"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(PortalEnteredAdmin):
    list_display = ["__str__", "county", "date", "attendee_quota"]
    list_filter = ["county", "term"]
    readonly_fields = ["county", "date", "created_by", "created_at"]
    inlines = [AttendanceInline, ObserverInline]
