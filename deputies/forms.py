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
