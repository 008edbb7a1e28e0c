from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# Django names the default permissions in English ("Can add ...") and stores the names in the
# database; the pickers show them from the codename instead.
DEFAULT_PERMISSION_ACTIONS = {
    "add": _("新增"),
    "change": _("修改"),
    "delete": _("删除"),
    "view": _("查看"),
}


def permission_label(permission: Permission) -> str:
    """ "应用 | 模型 | 可修改模型" for a default permission, its own name for a custom one."""
    content_type = permission.content_type
    model = content_type.model_class()
    name = permission.name
    if model is not None:
        action, _sep, model_name = permission.codename.partition("_")
        if action in DEFAULT_PERMISSION_ACTIONS and model_name == model._meta.model_name:
            name = gettext("可%(action)s%(model)s") % {
                "action": DEFAULT_PERMISSION_ACTIONS[action],
                "model": model._meta.verbose_name,
            }
    return f"{content_type} | {name}"


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if formfield is not None and db_field.related_model is Permission:
            formfield.label_from_instance = permission_label
        return formfield


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabelsMixin, BaseGroupAdmin):
    pass


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(BaseTOTPDeviceAdmin):
    """django-otp's admin with its fieldset titles, columns and search help in Chinese."""

    search_help_text = _("按用户名或电子邮件地址搜索")

    def get_fieldsets(self, request, obj=None):
        return [
            (gettext(title) if title else title, options)
            for title, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("二维码"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, gettext("查看二维码"))


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, BaseUserAdmin):
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
