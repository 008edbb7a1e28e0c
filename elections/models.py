from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob
from directory.models import Education, Gender, Level, Occupation, Party, Region


def _upload_path(check: "RegistrationCheck", filename: str) -> str:
    # Kept only until the run ends (services.registration_check_execute deletes both files).
    return f"elections/checks/{check.county_id}/{filename}"


class RegistrationCheck(BackgroundJob):
    """One "三零" comparison of a voter list with the population database export: the two
    uploaded files live only until the run ends; what stays is the counts and the findings."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在比对")
        DONE = "done", _("已完成")
        FAILED = "failed", _("比对失败")

    county = models.ForeignKey(
        Region,
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.COUNTY},
        verbose_name=_("所属县"),
    )
    election_day = models.DateField(_("选举日"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    voter_file = models.FileField(_("选民名册"), upload_to=_upload_path, blank=True)
    population_file = models.FileField(_("人口信息"), upload_to=_upload_path, blank=True)
    voter_rows = models.PositiveIntegerField(_("选民名册行数"), default=0)
    population_rows = models.PositiveIntegerField(_("人口信息行数"), default=0)
    missing = models.PositiveIntegerField(_("漏登"), default=0)
    wrong = models.PositiveIntegerField(_("错登"), default=0)
    duplicate = models.PositiveIntegerField(_("重登"), default=0)

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    DONE_STATUSES = (Status.DONE,)
    FINISHED_STATUSES = (Status.DONE, Status.FAILED)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("选民登记比对")
        verbose_name_plural = _("选民登记比对")

    def __str__(self) -> str:
        return f"{self.election_day} {self.get_status_display()}"


class RegistrationFinding(models.Model):
    """One row of the "三零" report: a person missing from the voter list, a registration that
    should not be there, or a second registration of the same person. The ID number is kept
    masked, with its keyed hash to match runs; the population list itself is never stored."""

    class Kind(models.TextChoices):
        MISSING = "missing", _("漏登")
        WRONG = "wrong", _("错登")
        DUPLICATE = "duplicate", _("重登")

    class Reason(models.TextChoices):
        NOT_REGISTERED = "not_registered", _("达到选举年龄未登记")
        UNDER_AGE = "under_age", _("选举日未满18周岁")
        DECEASED = "deceased", _("人口信息中已死亡")
        WRONG_RESIDENCE = "wrong_residence", _("登记地与户籍(居住)地不符")
        NOT_IN_POPULATION = "not_in_population", _("人口信息中无此人")
        BAD_ID = "bad_id", _("公民身份号码有误")
        SAME_ID = "same_id", _("同一身份号码重复登记")
        SAME_NAME_BIRTH = "same_name_birth", _("姓名、出生日期相同(疑似重登)")

    check_run = models.ForeignKey(
        RegistrationCheck, models.CASCADE, related_name="findings", verbose_name=_("比对")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("原因"), max_length=20, choices=Reason.choices)
    township = models.ForeignKey(
        Region,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("乡镇(街道)"),
    )
    township_name = models.CharField(_("乡镇(街道)名称"), max_length=60, blank=True)
    village_name = models.CharField(_("村(社区)"), max_length=60, blank=True)
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=40, blank=True)
    id_number_hash = models.CharField(_("身份号码索引"), max_length=64, blank=True, db_index=True)
    row = models.PositiveIntegerField(_("Excel行号"), default=0)
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(check_run__county_id=county_id),
        "township": lambda township_id: Q(township_id=township_id),
    }

    class Meta:
        verbose_name = _("比对结果")
        verbose_name_plural = _("比对结果")
        ordering = ["check_run", "township_name", "village_name", "kind", "pk"]
        indexes = [models.Index(fields=["check_run", "kind", "township"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class StructureTarget(models.Model):
    """A target share of one category in a term's deputies (结构关), e.g. women ≥ 30 %,
    workers and farmers ≥ 20 %, cadres ≤ 25 %."""

    class Dimension(models.TextChoices):
        GENDER = "gender", _("性别")
        AGE = "age", _("年龄段")
        ETHNICITY = "ethnicity", _("民族")
        PARTY = "party", _("政治面貌")
        EDUCATION = "education", _("学历")
        OCCUPATION = "occupation", _("职业类别")

    county = models.ForeignKey(
        Region,
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.COUNTY},
        verbose_name=_("所属县"),
    )
    level = models.CharField(_("代表层级"), max_length=10, choices=Level.choices)
    term = models.PositiveSmallIntegerField(_("届次"))
    dimension = models.CharField(_("维度"), max_length=12, choices=Dimension.choices)
    category = models.CharField(
        _("类别"),
        max_length=20,
        help_text=_(
            "与维度对应的类别代码:性别 M/F;年龄段 under35/35to50/51to60/over60;民族 han/minority;"
            "政治面貌、学历、职业类别用代表信息中的选项代码(如 cpc、worker、farmer)。"
        ),
    )
    min_percent = models.DecimalField(
        _("下限(%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    max_percent = models.DecimalField(
        _("上限(%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    class Meta:
        verbose_name = _("结构比例目标")
        verbose_name_plural = _("结构比例目标")
        ordering = ["county", "level", "-term", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "level", "term", "dimension", "category"],
                name="structure_target_unique",
                violation_error_message=_("这一类别已设置过目标。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.category}"


class Candidate(models.Model):
    """A deputy candidate (代表候选人) of a county's election, with the political and quality
    review (政治关、质量关): each passed or not, by whom and when. The structure page reads the
    candidate list with the same dimensions as the deputies (结构关)."""

    class Review(models.TextChoices):
        PENDING = "pending", _("待审查")
        PASSED = "passed", _("通过")
        FAILED = "failed", _("未通过")

    county = models.ForeignKey(
        Region,
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.COUNTY},
        verbose_name=_("所属县"),
    )
    level = models.CharField(_("代表层级"), max_length=10, choices=Level.choices)
    term = models.PositiveSmallIntegerField(_("届次"))
    constituency = models.CharField(_("选区"), max_length=80, blank=True)
    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    party = models.CharField(
        _("政治面貌"), max_length=20, choices=Party.choices, default=Party.NONE
    )
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField(
        _("职业类别"), max_length=20, choices=Occupation.choices, default=Occupation.OTHER
    )
    workplace = models.CharField(_("工作单位及职务"), max_length=120, blank=True)
    political_review = models.CharField(
        _("政治关"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    political_reviewer = models.CharField(_("政治关审查人"), max_length=40, blank=True)
    political_reviewed_on = models.DateField(_("政治关审查日期"), null=True, blank=True)
    quality_review = models.CharField(
        _("质量关"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    quality_reviewer = models.CharField(_("质量关审查人"), max_length=40, blank=True)
    quality_reviewed_on = models.DateField(_("质量关审查日期"), null=True, blank=True)
    review_notes = models.TextField(_("审查意见"), blank=True)
    # The deputy the candidate became when elected: the structure of the elected follows the
    # candidates', and a deputy's page can show how they were reviewed.
    deputy = models.ForeignKey(
        "directory.Deputy",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("当选代表"),
        help_text=_("当选后关联到代表名册中的这名代表;未当选的留空。"),
    )

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    class Meta:
        verbose_name = _("代表候选人")
        verbose_name_plural = _("代表候选人")
        ordering = ["county", "level", "-term", "constituency", "name"]
        indexes = [models.Index(fields=["county", "level", "term"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for review in ("political", "quality"):
            if getattr(self, f"{review}_review") != self.Review.PENDING and not (
                getattr(self, f"{review}_reviewer") and getattr(self, f"{review}_reviewed_on")
            ):
                raise ValidationError(
                    {f"{review}_reviewer": _("审查有结论时须填写审查人和审查日期。")}
                )
        if self.deputy_id is not None:
            self._check_elected()

    def _check_elected(self) -> None:
        deputy = self.deputy
        if deputy is None:
            return
        if self.county_id and deputy.county_id not in (None, self.county_id):
            raise ValidationError({"deputy": _("当选代表须是本县的代表。")})
        if self.political_review != self.Review.PASSED or self.quality_review != self.Review.PASSED:
            raise ValidationError({"deputy": _("政治关、质量关都通过的候选人才能关联当选代表。")})
        if not deputy.mandates.filter(level=self.level, term=self.term).exists():
            raise ValidationError(
                {"deputy": _("这名代表没有与候选人相同层级、届次的任职,不能关联。")}
            )
