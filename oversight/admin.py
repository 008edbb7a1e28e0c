"""Oversight records are entered on the portal (where the participation of deputies becomes duty
records and the rules are checked); the admin reads them and corrects descriptive fields."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    CitizenObserver,
    CommitteeMeeting,
    Inquiry,
    InquiryQuestion,
    Inspection,
    InspectionRecommendation,
    MajorMatter,
    MajorMatterReport,
    MeetingAttendance,
    MeetingMember,
    MeetingVote,
    PlanItem,
    PublicScore,
    ResearchReport,
    ReviewOpinion,
    SatisfactionRating,
    SiteInspection,
    SupervisionTopic,
    TopicResearch,
    WorkPlan,
)
from .services import vote_figures


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


class ReviewOpinionInline(ReadOnlyInline):
    model = ReviewOpinion
    fk_name = "inspection"
    fields = ["meeting", "unit", "sent_on", "deadline", "reported_on", "result"]


@admin.register(Inspection)
class InspectionAdmin(PortalEnteredAdmin):
    list_display = ["law", "county", "joint", "start_date", "end_date", "reported_on"]
    list_filter = ["joint", "county"]
    search_fields = ["law"]
    readonly_fields = ["county", "deputies", "members", "start_date", "created_by", "created_at"]
    inlines = [RecommendationInline, ReviewOpinionInline]


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


class ScoreInline(ReadOnlyInline):
    model = PublicScore
    fields = ["representative", "score", "recorded_at"]
    readonly_fields = ["recorded_at"]


@admin.register(SatisfactionRating)
class SatisfactionRatingAdmin(PortalEnteredAdmin):
    """Scores are kept as given and the members' vote is anonymous (its totals are on the
    vote's own page): read-only here."""

    list_display = ["topic", "meeting", "result", "concluded_at"]
    readonly_fields = ["topic", "meeting", "vote", "result", "concluded_at", "opened_by"]
    inlines = [ScoreInline]

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


class MemberPresentInline(ReadOnlyInline):
    model = MeetingMember
    fields = ["member"]


class ObserverInline(ReadOnlyInline):
    model = CitizenObserver
    fields = ["name", "affiliation", "status", "attended"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(PortalEnteredAdmin):
    list_display = ["__str__", "county", "date", "attendee_quota"]
    list_filter = ["county", "term"]
    readonly_fields = ["county", "date", "created_by", "created_at"]
    inlines = [MemberPresentInline, AttendanceInline, ObserverInline]


@admin.register(MeetingVote)
class MeetingVoteAdmin(PortalEnteredAdmin):
    """An anonymous vote shows its totals and how many voted, never who voted what: the
    ballots and the voter list have no admin of their own."""

    list_display = ["subject", "meeting", "present_count", "counted_at"]
    list_select_related = ["meeting"]
    fields = ["subject", "meeting", "present_count", "totals", "counted_at", "counted_by"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("计票结果"))
    def totals(self, vote):
        figures = vote_figures(vote)
        return _("投票 %(voters)d 人:满意 %(s)d,基本满意 %(b)d,不满意 %(u)d") % {
            "voters": figures["voters"],
            "s": figures["satisfied"],
            "b": figures["basic"],
            "u": figures["unsatisfied"],
        }


@admin.register(ReviewOpinion)
class ReviewOpinionAdmin(PortalEnteredAdmin):
    list_display = ["__str__", "unit", "sent_on", "deadline", "reported_on", "result"]
    list_filter = ["kind", "result", "county"]
    list_select_related = ["unit"]
    search_fields = ["report_title", "content", "unit__name"]
    readonly_fields = [
        "county",
        "kind",
        "inspection",
        "meeting",
        "unit",
        "sent_on",
        "reported_by",
        "hearing_meeting",
        "vote",
        "result",
        "concluded_at",
        "created_by",
        "created_at",
    ]


@admin.register(SiteInspection)
class SiteInspectionAdmin(PortalEnteredAdmin):
    list_display = ["subject", "county", "start_date", "end_date", "reported_on"]
    list_filter = ["county"]
    search_fields = ["subject"]
    readonly_fields = ["county", "deputies", "members", "start_date", "created_by", "created_at"]


class InquiryQuestionInline(ReadOnlyInline):
    model = InquiryQuestion
    fields = ["ordinal", "asker_name", "respondent_name", "promise_deadline", "promise_status"]


@admin.register(Inquiry)
class InquiryAdmin(PortalEnteredAdmin):
    list_display = ["subject", "county", "date", "meeting"]
    list_filter = ["county"]
    list_select_related = ["meeting"]
    search_fields = ["subject"]
    readonly_fields = ["county", "meeting", "date", "created_by", "created_at"]
    inlines = [InquiryQuestionInline]


class PlanItemInline(ReadOnlyInline):
    model = PlanItem
    fields = ["ordinal", "kind", "title", "responsible", "planned_month", "planned_quarter"]


@admin.register(WorkPlan)
class WorkPlanAdmin(PortalEnteredAdmin):
    list_display = ["title", "county", "year", "kind", "document_number", "adopted_on"]
    list_filter = ["year", "kind", "county"]
    search_fields = ["title", "document_number"]
    readonly_fields = ["county", "year", "kind", "created_by", "created_at"]
    inlines = [PlanItemInline]
