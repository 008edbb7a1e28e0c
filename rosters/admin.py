from django.contrib import admin

from .models import ValueMapping


@admin.register(ValueMapping)
class ValueMappingAdmin(admin.ModelAdmin):
    list_display = ["county", "column", "raw_value", "value", "updated_at"]
    list_filter = ["column", ("county", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["raw_value"]
    autocomplete_fields = ["county"]
