from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Candidate, RegistrationCheck, RegistrationFinding, StructureTarget


class ReadOnlyAdmin(admin.ModelAdmin):
    """Checks are run and findings produced on the portal; the admin reads them (and may delete
    an old check with its findings)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RegistrationCheck)
class RegistrationCheckAdmin(ReadOnlyAdmin):
    list_display = [
        "election_day",
        "county",
        "status",
        "voter_rows",
        "missing",
        "wrong",
        "duplicate",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "county"]
    date_hierarchy = "created_at"
    exclude = ["voter_file", "population_file"]


@admin.register(RegistrationFinding)
class RegistrationFindingAdmin(ReadOnlyAdmin):
    list_display = [
        "check_run",
        "kind",
        "reason",
        "township_name",
        "village_name",
        "name",
        "id_number_masked",
    ]
    list_filter = ["kind", "reason"]
    search_fields = ["name", "township_name", "village_name"]
    list_select_related = ["check_run"]
    exclude = ["id_number_hash"]
    raw_id_fields = ["check_run", "township"]


@admin.register(StructureTarget)
class StructureTargetAdmin(admin.ModelAdmin):
    list_display = [
        "county",
        "level",
        "term",
        "dimension",
        "category",
        "min_percent",
        "max_percent",
    ]
    list_filter = ["level", "term", "dimension"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "county",
        "level",
        "term",
        "constituency",
        "political_review",
        "quality_review",
        "deputy",
    ]
    list_filter = ["level", "term", "political_review", "quality_review", "occupation"]
    list_select_related = ["county", "deputy"]
    autocomplete_fields = ["deputy"]
    search_fields = ["name", "constituency", "workplace"]
    fieldsets = [
        (None, {"fields": ["county", "level", "term", "constituency", "name", "workplace"]}),
        (
            _("结构"),
            {"fields": ["gender", "birth_date", "ethnicity", "party", "education", "occupation"]},
        ),
        (
            _("政治关、质量关"),
            {
                "fields": [
                    ("political_review", "political_reviewer", "political_reviewed_on"),
                    ("quality_review", "quality_reviewer", "quality_reviewed_on"),
                    "review_notes",
                ]
            },
        ),
        (_("当选"), {"fields": ["deputy"]}),
    ]
