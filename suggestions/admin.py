from django.contrib import admin

from .models import HandlingUnit


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "county", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "is_active", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "contact_person"]
