from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.uploads import TABLE_FORMATS
from directory.widgets import station_picker

from .models import ManualDutyRecord


class ManualRecordForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ManualDutyRecord
        fields = ["kind", "occurred_on", "title", "description", "evidence"]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ManualRecordDecideForm(BootstrapFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结果"),
        choices=[("1", _("通过")), ("0", _("不予通过"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrainingImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("签到表"),
        help_text=_(
            "%(formats)s 均可。列:培训班、姓名、公民身份号码,可选学时;表头可在前几行,列的顺序不限。"
        )
        % {"formats": TABLE_FORMATS},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )


class StationAssignForm(BootstrapFormMixin, forms.Form):
    """Station the ticked unstationed deputies at one station."""

    deputies = forms.ModelMultipleChoiceField(
        label=_("代表"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    station = forms.ModelChoiceField(label=_("进驻家站"), queryset=None, widget=station_picker())

    def __init__(self, *args, deputies, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies
        self.fields["station"].queryset = stations
        self.fields["station"].label_from_instance = lambda s: f"{s.township.name} · {s.name}"


class SmallProblemForm(BootstrapFormMixin, forms.Form):
    solved_on = forms.DateField(label=_("解决日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=120)
    description = forms.CharField(
        label=_("问题及解决情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("群众反映了什么问题,您怎样帮助解决的。"),
    )


class AidHouseholdForm(BootstrapFormMixin, forms.Form):
    head_name = forms.CharField(label=_("户主姓名"), max_length=40)
    address = forms.CharField(label=_("住址"), max_length=120)
    difficulty = forms.CharField(label=_("困难情况"), max_length=200)
    help_plan = forms.CharField(label=_("帮扶措施"), widget=forms.Textarea(attrs={"rows": 3}))
    since = forms.DateField(label=_("帮扶开始日期"), widget=forms.DateInput(attrs={"type": "date"}))


class AidVisitForm(BootstrapFormMixin, forms.Form):
    visited_on = forms.DateField(
        label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    help_given = forms.CharField(label=_("帮扶内容"), widget=forms.Textarea(attrs={"rows": 3}))
