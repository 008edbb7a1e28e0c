from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, settle_single_choice
from directory.models import Station
from directory.widgets import station_picker, unit_picker

from ..models import Opinion, OpinionCategory

# Typed in by the station: letters from the mailbox and notes from voter visits. Reception opinions
# come with the reception log, online ones from the public form.
ENTRY_CHANNELS = [
    (Opinion.Channel.MAILBOX.value, Opinion.Channel.MAILBOX.label),
    (Opinion.Channel.VISIT.value, Opinion.Channel.VISIT.label),
]


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, station: Station) -> str:
        return f"{station.township.name} · {station.name}"


class OpinionEntryForm(BootstrapFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=ENTRY_CHANNELS)
    station = StationChoiceField(
        label=_("家站"),
        queryset=Station.objects.none(),
        empty_label=_("请选择家站"),
        widget=station_picker(),
        error_messages={
            "required": _("请选择家站。"),
            "invalid_choice": _("请选择您管理的家站。"),
        },
    )
    category = forms.ChoiceField(
        label=_("类别"),
        choices=[("", _("请选择类别")), *OpinionCategory.choices],
        error_messages={"required": _("请选择意见类别。")},
    )
    content = forms.CharField(
        label=_("意见内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("请填写意见内容。")},
    )
    voter_name = forms.CharField(label=_("反映人(可不填)"), required=False, max_length=40)
    voter_phone = forms.RegexField(
        label=_("联系电话(可不填)"),
        required=False,
        regex=r"^[0-9\- ]{7,20}$",
        error_messages={"invalid": _("电话号码格式不正确。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        settle_single_choice(self, "station")


class OpinionForwardForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=None,
        empty_label=_("请选择承办单位"),
        widget=unit_picker(),
        error_messages={
            "required": _("请选择承办单位。"),
            "invalid_choice": _("只能转给本县的承办单位。"),
        },
    )
    note = forms.CharField(
        label=_("转办说明(可不填)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class OpinionAnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("答复内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写答复内容。")},
    )


class OpinionCloseForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("办结说明(可不填)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
