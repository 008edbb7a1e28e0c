"""立法意见征集 in the admin: committee staff designate 基层立法联系点 here; drafts and opinions
are published and gathered on the portal (scope and deadline checked, duty records written), so
the admin corrects descriptive fields and neither adds nor deletes them."""

from django.contrib import admin

from .models import ArticleSummary, Draft, LegislativeOpinion, LiaisonPoint


class PortalEnteredAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LiaisonPoint)
class LiaisonPointAdmin(admin.ModelAdmin):
    list_display = ["station", "since", "note"]
    list_select_related = ["station"]
    search_fields = ["station__name"]
    autocomplete_fields = ["station"]


class ArticleSummaryInline(admin.TabularInline):
    model = ArticleSummary
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(PortalEnteredAdmin):
    list_display = ["title", "issuer", "level", "deadline", "status", "reported_on"]
    list_filter = ["status", "level", "county"]
    search_fields = ["title", "issuer", "document_number"]
    readonly_fields = [
        "county",
        "file",
        "file_name",
        "status",
        "all_stations",
        "stations",
        "for_deputies",
        "published_on",
        "published_by",
        "reported_on",
    ]
    inlines = [ArticleSummaryInline]


@admin.register(LegislativeOpinion)
class LegislativeOpinionAdmin(PortalEnteredAdmin):
    list_display = ["draft", "article", "channel", "station", "deputy", "created_at"]
    list_filter = ["channel"]
    list_select_related = ["draft", "station", "deputy"]
    search_fields = ["draft__title", "article"]
    readonly_fields = [
        "draft",
        "channel",
        "deputy",
        "station",
        "source_opinion",
        "sender_name",
        "sender_contact",
        "submitted_by",
        "created_at",
    ]
