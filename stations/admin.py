from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Region, Station
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
    list_filter = ["kind", "is_active", "county"]
    list_select_related = ["township", "village"]
    search_fields = ["name", "address", "township__name", "village__name"]
    autocomplete_fields = ["township", "village"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deputy_count=deputy_count_subquery())

    @admin.display(description=_("进驻代表"), ordering="deputy_count")
    def deputy_count(self, station):
        return station.deputy_count
