from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.masking import mask_name, mask_phone

from .models import (
    ActivityPhoto,
    Mailbox,
    MailboxOpening,
    Opinion,
    OpinionEvent,
    Reception,
    ReceptionDay,
    ReceptionDuty,
    ReceptionPhoto,
    SmallWish,
    StationActivity,
    VisitDay,
)


class ReceptionDutyInline(admin.TabularInline):
    model = ReceptionDuty
    extra = 0
    autocomplete_fields = ["deputy"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "deputy":
            formfield.label = _("值班代表")  # the model field has no verbose name
        return formfield


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["date", "station", "status", "note"]
    list_filter = ["status", ("station__county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["station"]
    search_fields = ["station__name", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["station"]
    inlines = [ReceptionDutyInline]


class ReceptionPhotoInline(admin.TabularInline):
    model = ReceptionPhoto
    extra = 0


@admin.register(Reception)
class ReceptionAdmin(admin.ModelAdmin):
    list_display = [
        "reception_day",
        "deputy",
        "station",
        "voters_received",
        "logged_by",
        "created_at",
    ]
    list_select_related = ["reception_day__station", "deputy", "station", "logged_by"]
    list_filter = [("station__county", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["deputy__name", "station__name", "summary"]
    autocomplete_fields = ["reception_day", "deputy"]
    readonly_fields = ["logged_by", "created_at"]
    inlines = [ReceptionPhotoInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.logged_by = request.user
        super().save_model(request, obj, form, change)


class OpinionEventInline(admin.TabularInline):
    model = OpinionEvent
    extra = 0
    fields = ["at", "actor", "from_status_label", "to_status", "note"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("原状态"))
    def from_status_label(self, event):
        return dict(Opinion.Status.choices).get(event.from_status, event.from_status)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    """Opinions move through the triage pages (services keep the timeline); the admin reads and
    corrects the text. Voters' names and phones are shown masked here."""

    list_display = [
        "created_at",
        "channel",
        "category",
        "township",
        "station",
        "status",
        "handling_unit",
    ]
    list_filter = ["status", "channel", "category", ("county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["township", "station", "handling_unit"]
    search_fields = ["content", "=tracking_code", "station__name"]
    date_hierarchy = "created_at"
    fields = [
        "tracking_code",
        "channel",
        "township",
        "station",
        "reception",
        "category",
        "content",
        "masked_voter_name",
        "masked_voter_phone",
        "status",
        "handling_unit",
        "answer",
        "answered_at",
        "created_by",
        "created_at",
    ]
    readonly_fields = [
        "tracking_code",
        "channel",
        "township",
        "station",
        "reception",
        "masked_voter_name",
        "masked_voter_phone",
        "status",
        "handling_unit",
        "answered_at",
        "created_by",
        "created_at",
    ]
    inlines = [OpinionEventInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("反映人"))
    def masked_voter_name(self, opinion):
        return mask_name(opinion.voter_name)

    @admin.display(description=_("联系电话"))
    def masked_voter_phone(self, opinion):
        return mask_phone(opinion.voter_phone)


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0


@admin.register(StationActivity)
class StationActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "station", "kind", "theme", "people_reached"]
    list_filter = ["kind", ("station__county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["station"]
    search_fields = ["theme", "station__name", "summary"]
    date_hierarchy = "date"
    autocomplete_fields = ["station", "deputies"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [ActivityPhotoInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SmallWish)
class SmallWishAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "station",
        "masked_person",
        "content",
        "status",
        "claimed_by",
        "fulfilled_on",
    ]
    list_filter = ["status", ("station__county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["station", "claimed_by"]
    search_fields = ["content", "station__name", "claimed_by__name"]
    fields = [
        "station",
        "reception",
        "masked_person",
        "content",
        "status",
        "claimed_by",
        "claimed_at",
        "fulfilled_on",
        "fulfillment_note",
        "photo",
        "created_by",
        "created_at",
    ]
    readonly_fields = [
        "station",
        "reception",
        "masked_person",
        "status",
        "claimed_by",
        "claimed_at",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("心愿人"))
    def masked_person(self, wish):
        return mask_name(wish.person_name)


@admin.register(VisitDay)
class VisitDayAdmin(admin.ModelAdmin):
    """选民走访日 plans; held ones are recorded on the portal with their ledger entry."""

    list_display = ["date", "station", "status", "note"]
    list_filter = ["status", ("station__county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["station"]
    search_fields = ["station__name", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["station", "deputies"]
    readonly_fields = ["activity"]


class MailboxOpeningInline(admin.TabularInline):
    model = MailboxOpening
    extra = 0
    fields = ["opened_on", "opener", "letters", "note", "logged_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    """Where the 代表信箱 are, which station keeps each, who opens it and how often; openings
    (and the opinions from their letters) are recorded on the portal."""

    list_display = ["__str__", "location", "station", "open_every_days", "is_active"]
    list_filter = ["is_active", ("township__county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["township", "village", "station"]
    search_fields = ["location", "township__name", "village__name", "station__name"]
    autocomplete_fields = ["township", "village", "station", "openers"]
    inlines = [MailboxOpeningInline]
