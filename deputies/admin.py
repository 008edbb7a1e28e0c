from django.contrib import admin
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.access import can_view_personal_data
from core.crypto import keyed_hash
from core.idnumbers import normalize_id_number
from core.masking import mask_id_number, mask_phone
from core.personal import log_personal_access

from .models import (
    Deputy,
    DeputyGroup,
    DutyRecord,
    DutyScore,
    Mandate,
    ManualDutyRecord,
    ScoringMultiplier,
    ScoringRule,
    ScoringScheme,
    Training,
    TrainingAttendance,
)


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    fields = [
        "level",
        "term",
        "constituency",
        "directly_elected",
        "is_active",
        "started_on",
        "ended_on",
    ]


class ActiveLevelFilter(admin.SimpleListFilter):
    title = _("在任层级")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        from .models import Level

        return Level.choices

    def queryset(self, request, queryset):
        return queryset.with_active_level(self.value()) if self.value() else queryset


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "masked_id_number", "masked_phone", "levels", "station"]
    list_filter = [ActiveLevelFilter, "gender", "party", "occupation", "education"]
    list_select_related = ["station"]
    search_fields = ["name", "name_pinyin", "name_initials", "workplace", "station__name"]
    autocomplete_fields = ["station"]
    inlines = [MandateInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "mandates",
                    queryset=Mandate.objects.filter(is_active=True),
                    to_attr="active_mandates",
                )
            )
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Only people allowed to see ID numbers may look a deputy up by one (exact, via its hash).
        term = normalize_id_number(search_term)
        if len(term) == 18 and can_view_personal_data(request.user):
            queryset |= self.model.objects.filter(id_number_hash=keyed_hash(term))
        return queryset, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The change form shows ID number and phone in full to those allowed: log it.
        if request.method == "GET" and can_view_personal_data(request.user):
            deputy = self.get_object(request, object_id)
            if deputy is not None:
                log_personal_access(request, [deputy], ["id_number", "phone"])
        return response

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not can_view_personal_data(request.user):
            swap = {"id_number": "masked_id_number", "phone": "masked_phone"}
            fields = [swap.get(field, field) for field in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not can_view_personal_data(request.user):
            return ["masked_id_number", "masked_phone"]
        return []

    @admin.display(description=_("公民身份号码"))
    def masked_id_number(self, deputy):
        return mask_id_number(deputy.id_number)

    @admin.display(description=_("手机号码"))
    def masked_phone(self, deputy):
        return mask_phone(deputy.phone)

    @admin.display(description=_("在任层级"))
    def levels(self, deputy):
        return "、".join(m.get_level_display() for m in deputy.active_mandates)


@admin.register(DeputyGroup)
class DeputyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "leader", "member_count", "theme"]
    list_filter = ["county"]
    list_select_related = ["county", "leader"]
    search_fields = ["name", "theme"]
    autocomplete_fields = ["leader", "members", "county"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("成员数"), ordering="member_count")
    def member_count(self, group):
        return group.member_count


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
