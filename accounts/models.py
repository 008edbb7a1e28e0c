from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .access import UserScope
from .roles import ROLE_REQUIRED_LINKS, Role

# Role lives in accounts.roles (below both this module and accounts.access); re-exported.
__all__ = ["ROLE_REQUIRED_LINKS", "PasswordHistory", "Role", "User"]


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
        help_text=_("根据乡镇、家站、代表或承办单位自动填写。"),
    )
    township = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "township"},
        verbose_name=_("乡镇(街道)"),
    )
    station = models.ForeignKey(
        "directory.Station",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="keepers",
        verbose_name=_("管理的家站"),
    )
    deputy = models.OneToOneField(
        "directory.Deputy",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("对应代表"),
    )
    handling_unit = models.ForeignKey(
        "directory.HandlingUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("承办单位"),
    )

    password_changed_at = models.DateTimeField(
        _("密码修改时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("超过密码有效期后,下次登录时必须修改密码。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.ADMINISTRATOR and not self.is_superuser:
            return
        missing = [
            field
            for field in ROLE_REQUIRED_LINKS.get(self.role, ())
            if getattr(self, f"{field}_id") is None
        ]
        if missing:
            raise ValidationError(
                {
                    field: _("角色“%(role)s”必须填写此项。") % {"role": self.get_role_display()}
                    for field in missing
                }
            )
        self.county_id = self._derived_county_id()

    def _derived_county_id(self) -> int | None:
        if self.township_id:
            return self.township.county_id
        if self.station_id:
            return self.station.county_id
        if self.deputy_id:
            return self.deputy.county_id
        if self.handling_unit_id:
            return self.handling_unit.county_id
        return self.county_id

    def set_password(self, raw_password) -> None:
        # The hash being replaced joins the history on save (accounts.validators refuses it).
        if self.password and is_password_usable(self.password):
            self._replaced_password = self.password
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password) -> bool:
        def rehash(raw_password) -> None:
            # A hasher upgrade at login keeps the same password: neither its age nor the history
            # change (so it cannot reset the expiry clock).
            AbstractUser.set_password(self, raw_password)
            self._password = None
            super(User, self).save(update_fields=["password"])

        return check_password(raw_password, self.password, rehash)

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "password" in update_fields:
            kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        if self.is_superuser and not self.role:
            self.role = Role.ADMINISTRATOR
        self.county_id = self._derived_county_id()
        super().save(*args, **kwargs)
        replaced = self.__dict__.pop("_replaced_password", None)
        if replaced and replaced != self.password:
            PasswordHistory.remember(self, replaced)

    @cached_property
    def scope(self) -> UserScope:
        return UserScope.for_user(self)


class PasswordHistory(models.Model):
    """The hashes of a user's previous passwords (as Django stored them, salted), newest last,
    so a password change can refuse them (等保: no reuse of recent passwords). At most
    PASSWORD_HISTORY_COUNT per user are kept."""

    user = models.ForeignKey(User, models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码散列"), max_length=128)
    replaced_at = models.DateTimeField(_("停用时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.replaced_at:%Y-%m-%d}"

    @classmethod
    def remember(cls, user: User, password_hash: str) -> None:
        cls.objects.create(user=user, password=password_hash)
        keep = cls.objects.filter(user=user).values_list("pk", flat=True)[
            : settings.PASSWORD_HISTORY_COUNT
        ]
        cls.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    @classmethod
    def recent(cls, user: User) -> list[str]:
        return list(
            cls.objects.filter(user=user).values_list("password", flat=True)[
                : settings.PASSWORD_HISTORY_COUNT
            ]
        )


auditlog.register(
    User,
    exclude_fields=["password", "last_login", "password_changed_at", "county"],
    m2m_fields={"groups", "user_permissions"},
)
