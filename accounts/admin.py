from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "role",
        "county",
        "is_active",
        "is_staff",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_staff", "is_superuser", "groups"]
    list_select_related = ["county"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["township", "station", "deputy", "handling_unit"]
    readonly_fields = ["county", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email")}),
        (
            _("角色与范围"),
            {
                "fields": ("role", "county", "township", "station", "deputy", "handling_unit"),
                "description": _(
                    "角色决定可见范围:乡镇工作人员填写乡镇,家站管理员填写家站,代表填写对应代表,承办单位填写单位。"
                ),
            },
        ),
        (
            _("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "role",
                    "township",
                    "station",
                    "deputy",
                    "handling_unit",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
