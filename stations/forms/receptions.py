from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, MultiplePhotoField
from core.widgets import SearchPicker
from directory.models import Deputy
from directory.widgets import deputy_picker

from ..models import OpinionCategory, ReceptionDay


class ReceptionDayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, day):
        return f"{day.date:%Y-%m-%d} {day.station.name}"


class ReceptionForm(BootstrapFormMixin, forms.Form):
    reception_day = ReceptionDayChoiceField(label=_("接待日"), queryset=ReceptionDay.objects.none())
    deputy = forms.ModelChoiceField(
        label=_("接待代表"),
        queryset=Deputy.objects.none(),
        widget=deputy_picker(multiple=False),
    )
    voters_received = forms.IntegerField(
        label=_("接待选民人数"),
        min_value=0,
        max_value=10000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": _("接待人数不能为负数。")},
    )
    summary = forms.CharField(
        label=_("接待情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultiplePhotoField(label=_("现场照片"))

    def __init__(
        self,
        *args,
        days,
        deputies,
        fixed_deputy: Deputy | None = None,
        searchable_days: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["reception_day"].queryset = days
        if searchable_days:
            # Staff of a county or township: the day is found by its station or date.
            self.fields["reception_day"].widget = SearchPicker(
                "stations:reception_day_search",
                multiple=False,
                placeholder=_("输入家站名称、拼音或日期查找接待日"),
            )
            self.fields["reception_day"].widget.choices = self.fields["reception_day"].choices
        self.fields["deputy"].queryset = deputies
        if fixed_deputy is not None:
            # A deputy logs their own reception: the field is not shown.
            self.fields["deputy"].initial = fixed_deputy.pk
            self.fields["deputy"].widget = forms.HiddenInput()


class OpinionRowForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=OpinionCategory.choices)
    content = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 2}))
    voter_name = forms.CharField(label=_("反映人(可不填)"), required=False, max_length=40)
    voter_phone = forms.RegexField(
        label=_("联系电话(可不填)"),
        required=False,
        regex=r"^[0-9\- ]{7,20}$",
        error_messages={"invalid": _("电话号码格式不正确。")},
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class WishRowForm(BootstrapFormMixin, forms.Form):
    person_name = forms.CharField(label=_("心愿人"), max_length=40)
    content = forms.CharField(label=_("心愿内容"), max_length=200)


OpinionFormSet = forms.formset_factory(OpinionRowForm, extra=1, max_num=30, validate_max=True)
WishFormSet = forms.formset_factory(WishRowForm, extra=0, max_num=30, validate_max=True)


class ReceptionDayForm(BootstrapFormMixin, forms.ModelForm):
    on_duty = forms.ModelMultipleChoiceField(
        label=_("值班代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReceptionDay
        fields = ["date", "status", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_duty"].queryset = Deputy.objects.filter(
            station_id=self.instance.station_id
        ).order_by("name")
        self.fields["on_duty"].initial = list(self.instance.on_duty.values_list("pk", flat=True))
