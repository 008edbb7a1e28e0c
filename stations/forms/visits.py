from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directory.models import Deputy, Station
from directory.widgets import station_picker

from ..models import OpinionCategory, VisitDay


class _Deputies(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Deputy.objects.none(),
            error_messages={"required": _("请选择参加走访的代表。")},
            **kwargs,
        )


class StationChoiceForm(BootstrapFormMixin, forms.Form):
    """The first step of planning for a user who keeps several stations (county staff: 121): a
    searchable picker, never a select of every station."""

    station = forms.ModelChoiceField(
        label=_("家站"), queryset=Station.objects.none(), widget=station_picker()
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class VisitDayPlanForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("走访安排"),
        max_length=200,
        required=False,
        help_text=_("例如:走访脱贫户和留守老人。"),
    )
    deputies = _Deputies(label=_("走访代表"))

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class VisitDayEditForm(VisitDayPlanForm):
    status = forms.ChoiceField(label=_("状态"), choices=VisitDay.Status.choices)

    def __init__(self, *args, day: VisitDay, **kwargs):
        super().__init__(*args, **kwargs)
        if day.activity_id is None:
            # Held is recorded with the visit's ledger entry (登记走访情况), not by a status.
            self.fields["status"].choices = [
                (value, label)
                for value, label in VisitDay.Status.choices
                if value != VisitDay.Status.HELD
            ]


class VisitDayHoldForm(BootstrapFormMixin, forms.Form):
    deputies = _Deputies(label=_("参加走访的代表"))
    people_reached = forms.IntegerField(label=_("走访群众人数"), min_value=0)
    summary = forms.CharField(
        label=_("走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class MailboxOpeningForm(BootstrapFormMixin, forms.Form):
    opened_on = forms.DateField(label=_("开箱日期"), widget=forms.DateInput(attrs={"type": "date"}))
    opener = forms.ModelChoiceField(
        label=_("开箱代表"), queryset=Deputy.objects.none(), required=False
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, openers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opener"].queryset = openers


class LetterForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=OpinionCategory.choices)
    content = forms.CharField(label=_("信件内容"), widget=forms.Textarea(attrs={"rows": 2}))


LetterFormSet = forms.formset_factory(LetterForm, extra=1, max_num=50, validate_max=True)
