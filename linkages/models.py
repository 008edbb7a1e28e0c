"""三联: committee members each pair with three grassroots deputies (组成人员结对联系代表), and
county and township deputies keep in touch with the voters they are linked to (代表联系选民).
Every contact is logged, and every contact is a duty act of the deputy."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField, keyed_hash
from core.masking import mask_name, mask_phone
from directory.models import DEPUTY_SCOPE_LOOKUPS


class ContactMode(models.TextChoices):
    FACE_TO_FACE = "face", _("面对面")
    PHONE = "phone", _("电话")
    MEETING = "meeting", _("座谈")
    ONLINE = "online", _("网络")


class MemberLink(models.Model):
    """A committee member paired with a grassroots deputy (结对)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="deputy_links",
        limit_choices_to={"role": "committee_member"},
        verbose_name=_("常委会组成人员"),
    )
    deputy = models.ForeignKey(
        "directory.Deputy", models.CASCADE, related_name="member_links", verbose_name=_("代表")
    )
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("结对联系代表")
        verbose_name_plural = _("结对联系代表")
        ordering = ["member", "deputy"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "deputy"],
                condition=Q(ended_on__isnull=True),
                name="memberlink_once_while_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.deputy}"


class MemberContact(models.Model):
    """One contact between a committee member and a paired deputy."""

    link = models.ForeignKey(
        MemberLink, models.CASCADE, related_name="contacts", verbose_name=_("结对")
    )
    date = models.DateField(_("日期"))
    mode = models.CharField(_("方式"), max_length=10, choices=ContactMode.choices)
    summary = models.TextField(_("联系情况"))
    issues = models.TextField(_("反映的问题"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结对联系记录")
        verbose_name_plural = _("结对联系记录")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.link} {self.date}"


class Voter(models.Model):
    """A voter a deputy keeps in touch with (固定联系选民). Name and phone are personal data:
    stored encrypted, shown masked."""

    deputy = models.ForeignKey(
        "directory.Deputy", models.CASCADE, related_name="voters", verbose_name=_("联系代表")
    )
    name = EncryptedTextField(_("姓名"))
    name_masked = models.CharField(_("姓名(脱敏)"), max_length=20, editable=False, default="")
    phone = EncryptedTextField(_("联系电话"), blank=True, input_kind="tel")
    phone_masked = models.CharField(_("电话(脱敏)"), max_length=20, editable=False, default="")
    phone_hash = models.CharField(max_length=43, blank=True, editable=False, db_index=True)
    village = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "village"},
        verbose_name=_("村(社区)"),
    )
    is_active = models.BooleanField(_("在联系"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("联系选民")
        verbose_name_plural = _("联系选民")
        ordering = ["deputy", "pk"]

    def __str__(self) -> str:
        return self.name_masked

    def save(self, *args, **kwargs) -> None:
        self.name = (self.name or "").strip()
        self.phone = (self.phone or "").strip()
        self.name_masked = mask_name(self.name)
        self.phone_masked = mask_phone(self.phone)
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""
        super().save(*args, **kwargs)


class VoterContact(models.Model):
    """One contact of a deputy with a linked voter (走访、电话…)."""

    voter = models.ForeignKey(
        Voter, models.CASCADE, related_name="contacts", verbose_name=_("选民")
    )
    date = models.DateField(_("日期"))
    mode = models.CharField(_("方式"), max_length=10, choices=ContactMode.choices)
    summary = models.TextField(_("联系情况"))
    opinion = models.TextField(_("收集的意见建议"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系选民记录")
        verbose_name_plural = _("联系选民记录")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.voter} {self.date}"


auditlog.register(MemberLink)
auditlog.register(Voter, exclude_fields=["name", "phone", "phone_hash"])


class KeyProject(models.Model):
    """常委会领导联系重点项目: a standing-committee leader follows a key project and helps solve
    the problems it meets."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("推进中")
        DONE = "done", _("已完成")

    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    name = models.CharField(_("项目名称"), max_length=120)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="key_projects",
        limit_choices_to={"role": "committee_member"},
        verbose_name=_("联系领导"),
    )
    description = models.TextField(_("项目概况"), blank=True)
    started_on = models.DateField(_("联系起始日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    class Meta:
        verbose_name = _("联系重点项目")
        verbose_name_plural = _("联系重点项目")
        ordering = ["status", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="keyproject_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ProjectProblem(models.Model):
    """A problem a key project met, coordinated to its solution (协调解决问题)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待协调")
        COORDINATING = "coordinating", _("协调中")
        SOLVED = "solved", _("已解决")

    project = models.ForeignKey(
        KeyProject, models.CASCADE, related_name="problems", verbose_name=_("项目")
    )
    description = models.TextField(_("问题"))
    raised_on = models.DateField(_("提出日期"))
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default="open")
    resolution = models.TextField(_("协调解决情况"), blank=True)
    solved_on = models.DateField(_("解决日期"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("更新人")
    )

    class Meta:
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")
        ordering = ["status", "-raised_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="solved", solved_on__isnull=False) | ~Q(status="solved"),
                name="projectproblem_solved_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.description[:30]


auditlog.register(KeyProject)
auditlog.register(ProjectProblem)


# 代表小组+: each group's yearly themed tasks and the activities its members take part in -------

GROUP_SCOPE_LOOKUPS = {
    "county": lambda county_id: Q(group__county_id=county_id),
    # A deputy reads the work of the groups they belong to.
    "self": lambda deputy_id: Q(group__members=deputy_id),
}


class GroupTask(models.Model):
    """A themed task a deputy group takes on for a year (年度专题任务), e.g. 调研“医养结合服务”."""

    group = models.ForeignKey(
        "directory.DeputyGroup", models.CASCADE, related_name="tasks", verbose_name=_("代表小组")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("专题任务"), max_length=120)
    description = models.TextField(_("任务内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = GROUP_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("代表小组专题任务")
        verbose_name_plural = _("代表小组专题任务")
        ordering = ["group", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "title"],
                name="grouptask_once_a_year",
                violation_error_message=_("本小组这一年已有同名的专题任务。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class GroupActivity(models.Model):
    """An activity of a deputy group (调研、视察、座谈、旁听庭审…): each member who took part
    has it in their duty archive."""

    group = models.ForeignKey(
        "directory.DeputyGroup",
        models.CASCADE,
        related_name="activities",
        verbose_name=_("代表小组"),
    )
    task = models.ForeignKey(
        GroupTask,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("专题任务"),
    )
    date = models.DateField(_("日期"))
    title = models.CharField(_("活动"), max_length=120)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    summary = models.TextField(_("活动情况"), blank=True)
    participants = models.ManyToManyField(
        "directory.Deputy", related_name="group_activities", verbose_name=_("参加代表")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = GROUP_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("代表小组活动")
        verbose_name_plural = _("代表小组活动")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["group", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


auditlog.register(GroupTask)
auditlog.register(GroupActivity, m2m_fields={"participants"})
