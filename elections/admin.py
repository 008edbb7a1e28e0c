from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Candidate, RegistrationCheck, RegistrationFinding, StructureTarget
from .structure import category_choices

Dimension = StructureTarget.Dimension


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


class StructureTargetForm(forms.ModelForm):
    """The category is chosen by its name under its dimension ("性别 › 女"), not typed as a code;
    the choice sets both the dimension and the category code."""

    category_choice = forms.ChoiceField(label=_("类别"), help_text=_("按维度分组,选择一个类别。"))

    class Meta:
        model = StructureTarget
        fields = ["county", "level", "term", "category_choice", "min_percent", "max_percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_choice"].choices = [
            ("", "---------"),
            *(
                (
                    Dimension(dimension).label,
                    [(f"{dimension}:{code}", label) for code, label in rows],
                )
                for dimension, rows in category_choices().items()
            ),
        ]
        if self.instance.pk:
            self.initial["category_choice"] = f"{self.instance.dimension}:{self.instance.category}"

    def clean(self):
        data = super().clean()
        dimension, _sep, category = (data.get("category_choice") or "").partition(":")
        if dimension:
            self.instance.dimension, self.instance.category = dimension, category
        return data

    def _get_validation_exclusions(self):
        # The model's checks (its unique constraint on county, level, term, dimension and
        # category) cover the two fields the choice sets.
        exclusions = super()._get_validation_exclusions()
        return exclusions - {"dimension", "category"} if self.instance.dimension else exclusions


@admin.register(StructureTarget)
class StructureTargetAdmin(admin.ModelAdmin):
    form = StructureTargetForm
    list_display = [
        "county",
        "level",
        "term",
        "dimension",
        "category_label",
        "min_percent",
        "max_percent",
    ]
    list_filter = ["level", "term", "dimension"]

    @admin.display(description=_("类别"), ordering="category")
    def category_label(self, target: StructureTarget) -> str:
        labels = dict(category_choices().get(target.dimension, []))
        return str(labels.get(target.category, target.category))


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
