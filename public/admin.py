from django.contrib import admin
from django.db import models

from .models import DutyStory


@admin.register(DutyStory)
class DutyStoryAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published_on", "station", "is_published"]
    list_filter = ["is_published", "county"]
    list_select_related = ["station"]
    search_fields = ["title", "outlet"]
    autocomplete_fields = ["deputies"]
    raw_id_fields = ["station"]
    readonly_fields = ["published_at", "created_by", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.is_published and obj.published_at is None:
            from django.utils import timezone

            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)
