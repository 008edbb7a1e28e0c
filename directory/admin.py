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
    HandlingUnit,
    Level,
    Mandate,
    MandateEvent,
    Region,
    Station,
)
from .selectors import deputy_count_subquery


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["county"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "township",
        "village",
        "reception_day",
        "deputy_count",
        "is_active",
    ]
    # Only the counties that have stations (a plain filter would list every region).
    list_filter = ["kind", "is_active", ("county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["township", "village"]
    search_fields = [
        "name",
        "name_pinyin",
        "name_initials",
        "address",
        "township__name",
        "village__name",
    ]
    autocomplete_fields = ["township", "village"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deputy_count=deputy_count_subquery())

    @admin.display(description=_("进驻代表"), ordering="deputy_count")
    def deputy_count(self, station):
        return station.deputy_count


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
        "certificate_number",
    ]
    show_change_link = True


class MandateEventInline(admin.TabularInline):
    """The mandate's events, read only: an event is recorded through the portal's page
    (directory.services), which keeps the mandate's state in step with it."""

    model = MandateEvent
    fk_name = "mandate"
    extra = 0
    can_delete = False
    fields = ["occurred_on", "kind", "ground", "decided_by", "document_number", "vacancy", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = [
        "deputy",
        "level",
        "term",
        "constituency",
        "certificate_number",
        "is_active",
        "started_on",
        "ended_on",
    ]
    list_filter = ["level", "term", "is_active", "directly_elected"]
    list_select_related = ["deputy"]
    search_fields = ["certificate_number", "deputy__name", "deputy__name_pinyin", "constituency"]
    autocomplete_fields = ["deputy"]
    readonly_fields = ["suspended_since"]
    inlines = [MandateEventInline]


class ActiveLevelFilter(admin.SimpleListFilter):
    title = _("在任层级")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        return queryset.with_active_level(self.value()) if self.value() else queryset


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "masked_id_number", "masked_phone", "levels", "station"]
    list_filter = [ActiveLevelFilter, "gender", "party", "occupation", "education"]
    list_select_related = ["station"]
    search_fields = [
        "name",
        "name_pinyin",
        "name_initials",
        "workplace",
        "station__name",
        "=mandates__certificate_number",
    ]
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


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "county", "township", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "is_active", "county", "township"]
    list_select_related = ["county", "township"]
    search_fields = ["name", "contact_person"]
