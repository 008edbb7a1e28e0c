"""Forms of the suggestion pages. Every action form carries the version of the suggestion the user
read, so that a second editor gets a conflict message instead of overwriting the first."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.forms import BootstrapFormMixin
from core.periods import TERM_CHOICE, Period, period_from
from directory.models import Region
from directory.widgets import unit_picker
from stations.models import OpinionCategory
from suggestions.models import Evaluation, Suggestion
from suggestions.rules import MADE_CHOICES


class VersionedForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, suggestion=None, **kwargs):
        if suggestion is not None:
            kwargs.setdefault("initial", {})["version"] = suggestion.version
        super().__init__(*args, **kwargs)


class RegisterForm(VersionedForm):
    pass


class NotRegisterForm(VersionedForm):
    """不作为代表建议处理, kept as an opinion for reference (转为参考意见)."""

    reason = forms.CharField(
        label=_("不作为代表建议处理的理由"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ConvertForm(NotRegisterForm):
    """不作为代表建议处理, passed on to the lead deputy's station as the public's opinion."""


class AssignForm(VersionedForm):
    lead_unit = forms.ModelChoiceField(
        label=_("主办单位"),
        queryset=None,
        widget=unit_picker(),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=None,
        required=False,
        widget=unit_picker(multiple=True),
    )
    is_complex = forms.BooleanField(label=_("复杂建议(办理期限6个月)"), required=False)
    key_supervision = forms.BooleanField(label=_("重点督办"), required=False)
    supervising_leader = forms.ModelChoiceField(label=_("督办领导"), queryset=None, required=False)

    def __init__(self, *args, units, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["supervising_leader"].queryset = leaders


class ExtensionDecideForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("审批"), choices=[("approve", _("批准")), ("reject", _("不予批准"))]
    )


class PaperEvaluationForm(VersionedForm):
    result = forms.ChoiceField(label=_("测评结果"), choices=Evaluation.Result.choices)
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(VersionedForm):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatisticsPeriodForm(BootstrapFormMixin, forms.Form):
    """The period of the statistics: a year, 本届以来 (the term to date, when its first day is
    known), or any date range (a session), read by core.periods as every statistics page; and the
    congress (all in the user's scope, a level, or one congress: the county's or a township's)."""

    FIRST_YEAR = 2018

    year = forms.ChoiceField(label=_("年度"), required=False)
    start = forms.DateField(
        label=_("自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    congress_level = forms.ChoiceField(label=_("人大层级"), required=False)
    congress = forms.ModelChoiceField(
        label=_("所属人大"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    made = forms.ChoiceField(
        label=_("提出时间"), required=False, choices=[("", _("全部")), *MADE_CHOICES]
    )

    def __init__(self, *args, today, term_start=None, congresses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress_level"].choices = [("", _("全部")), *Suggestion.Congress.choices]
        if congresses is not None:
            self.fields["congress"].queryset = congresses
        self.today, self.term_start = today, term_start
        term = [(TERM_CHOICE, _("本届以来"))] if term_start else []
        self.fields["year"].choices = [("", _("按日期范围")), *term] + [
            (str(y), _("%(y)d年") % {"y": y}) for y in range(today.year, self.FIRST_YEAR - 1, -1)
        ]

    def clean(self):
        data = super().clean()
        try:
            self._period = self._read(data)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return data

    def filters(self) -> dict:
        """The statistics' arguments from valid data: the period and the congress asked."""
        start, end = self.period()
        congress = self.cleaned_data.get("congress")
        return {
            "start": start,
            "end": end,
            "congress_level": self.cleaned_data.get("congress_level") or None,
            "congress_id": congress.pk if congress else None,
            "made": self.cleaned_data.get("made") or None,
        }

    def _read(self, data) -> Period:
        return period_from(
            data, today=self.today, term_start=self.term_start, first_year=self.FIRST_YEAR
        )

    def period(self) -> Period:
        """The period of valid data (this year when nothing is chosen); unpacks as (start, end)."""
        return self._period


class MeetingForm(BootstrapFormMixin, forms.Form):
    """交办会: the congress, when and where, who chaired."""

    congress = forms.ModelChoiceField(label=_("所属人大"), queryset=Region.objects.none())
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=120)
    chaired_by = forms.CharField(label=_("主持人"), max_length=60)
    notes = forms.CharField(
        label=_("会议情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses


class MeetingAssignForm(BootstrapFormMixin, forms.Form):
    """A batch of registered suggestions handed to one lead unit at the meeting."""

    suggestions = forms.ModelMultipleChoiceField(
        label=_("交办的建议"),
        queryset=Suggestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=None, widget=unit_picker())
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=None, required=False, widget=unit_picker(multiple=True)
    )
    is_complex = forms.BooleanField(label=_("复杂建议(办理期限6个月)"), required=False)

    def __init__(self, *args, candidates, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = candidates
        self.fields["suggestions"].label_from_instance = lambda s: f"{s.number} {s.title}"
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units


class ReassignDecideForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("审核"), choices=[("agree", _("同意改办")), ("refuse", _("不同意改办"))]
    )
    new_unit = forms.ModelChoiceField(
        label=_("改由主办单位"),
        queryset=None,
        required=False,
        widget=unit_picker(),
        help_text=_("不选则按申请单位建议的单位。"),
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意时必填。"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = units


class MotionConvertForm(BootstrapFormMixin, forms.Form):
    """主席团: a 人代会 motion treated as a suggestion (转为代表建议)."""

    category = forms.ChoiceField(label=_("建议类别"), choices=OpinionCategory.choices)
    decided_on = forms.DateField(
        label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
