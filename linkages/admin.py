from django import forms
from django.contrib import admin

from core.errors import DomainError

from .models import (
    GroupActivity,
    GroupTask,
    KeyProject,
    MemberContact,
    MemberLink,
    ProjectProblem,
    Voter,
)
from .services import check_link_limit


class MemberContactInline(admin.TabularInline):
    model = MemberContact
    extra = 0
    fields = ["date", "mode", "summary", "logged_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MemberLinkForm(forms.ModelForm):
    class Meta:
        model = MemberLink
        fields = ["member", "deputy", "started_on", "ended_on"]

    def clean(self):
        data = super().clean()
        member = data.get("member")
        if member is not None and data.get("ended_on") is None:
            try:
                check_link_limit(member, exclude_pk=self.instance.pk)
            except DomainError as error:
                self.add_error("member", error.message)
        return data


@admin.register(MemberLink)
class MemberLinkAdmin(admin.ModelAdmin):
    """Committee staff pair members with deputies here (autocomplete); contacts are logged on the
    portal. A member pairs with at most MEMBER_LINK_LIMIT deputies at a time."""

    form = MemberLinkForm
    list_display = ["member", "deputy", "started_on", "ended_on"]
    list_filter = ["ended_on"]
    list_select_related = ["member", "deputy"]
    search_fields = ["member__full_name", "member__username", "deputy__name"]
    autocomplete_fields = ["member", "deputy"]
    inlines = [MemberContactInline]


@admin.register(Voter)
class VoterAdmin(admin.ModelAdmin):
    """Linked voters, masked: names and phones are entered on the portal by the deputy or the
    station's keeper."""

    list_display = ["name_masked", "phone_masked", "deputy", "village", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["deputy", "village"]
    search_fields = ["deputy__name"]
    fields = ["deputy", "name_masked", "phone_masked", "village", "is_active"]
    readonly_fields = ["deputy", "name_masked", "phone_masked"]

    def has_add_permission(self, request):
        return False


class ProjectProblemInline(admin.TabularInline):
    model = ProjectProblem
    extra = 0
    fields = ["description", "raised_on", "status", "solved_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin):
    """Committee staff register the key projects and their leaders here; problems are followed on
    the portal by the leader."""

    list_display = ["name", "leader", "county", "started_on", "status"]
    list_filter = ["status", "county"]
    list_select_related = ["leader", "county"]
    search_fields = ["name", "leader__full_name"]
    autocomplete_fields = ["leader"]
    inlines = [ProjectProblemInline]


@admin.register(GroupTask)
class GroupTaskAdmin(admin.ModelAdmin):
    """代表小组的年度专题任务 (also entered on the group's page by staff or the leader)."""

    list_display = ["title", "group", "year", "created_by"]
    list_filter = ["year", "group"]
    list_select_related = ["group", "created_by"]
    search_fields = ["title", "group__name"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(GroupActivity)
class GroupActivityAdmin(admin.ModelAdmin):
    """Activities are logged on the group's page, where each participant's duty record is
    written: the admin corrects descriptions, it does not add activities or change who took
    part."""

    list_display = ["title", "group", "date", "task"]
    list_filter = ["group", "date"]
    list_select_related = ["group", "task"]
    search_fields = ["title", "place", "group__name"]
    readonly_fields = ["group", "date", "participants", "created_by"]
    fields = ["group", "task", "date", "title", "place", "summary", "participants", "created_by"]

    def has_add_permission(self, request):
        return False
