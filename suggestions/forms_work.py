"""Forms of the deputy's and the handling unit's suggestion pages (the services do the checks)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.widgets import SearchPicker
from directory.models import Deputy, HandlingUnit
from directory.widgets import unit_picker
from stations.models import OpinionCategory

from .models import Evaluation, ReplyCategory, Suggestion, UnitContact

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    """The version of the suggestion the user read, so a concurrent change is a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeputyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class DeputyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class SuggestionDraftForm(BootstrapFormMixin, forms.Form):
    lead_deputy = DeputyChoiceField(
        label=_("领衔代表"),
        queryset=Deputy.objects.none(),
        widget=SearchPicker("suggestions:deputy_search", multiple=False),
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(label=_("类别"), choices=OpinionCategory.choices)
    co_signers = DeputyMultipleChoiceField(
        label=_("联名代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=SearchPicker("suggestions:deputy_search"),
    )

    def __init__(self, *args, deputies, choose_lead: bool, level: str, **kwargs):
        super().__init__(*args, **kwargs)
        # The picker asks for the candidates of the draft's congress.
        for name in ("lead_deputy", "co_signers"):
            self.fields[name].widget.params = {"level": level}
        self.fields["co_signers"].queryset = deputies
        self.fields["co_signers"].help_text = _("联名代表须是同一人大的代表。")
        self.fields["co_signers"].error_messages["invalid_choice"] = _(
            "联名代表须是同一人大的代表:所选的代表不是%(congress)s代表,请重新选择。"
        ) % {"congress": Suggestion.Congress(level).label}
        if choose_lead:
            self.fields["lead_deputy"].queryset = deputies
        else:
            del self.fields["lead_deputy"]


class PublicMeetingForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("见面日期"), widget=DATE_INPUT)
    place = forms.CharField(label=_("地点"), max_length=120)
    people_met = forms.IntegerField(label=_("见面群众人数"), min_value=1)
    summary = forms.CharField(label=_("群众意见"), widget=forms.Textarea(attrs={"rows": 4}))


class DeputyEvaluationForm(BootstrapFormMixin, VersionForm):
    result = forms.ChoiceField(
        label=_("测评结果"),
        choices=Evaluation.Result.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublicEvaluationForm(BootstrapFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("测评结果"),
        choices=Evaluation.Result.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CodesForm(BootstrapFormMixin, forms.Form):
    count = forms.IntegerField(label=_("发放数量"), min_value=1, max_value=200, initial=10)


class ProgressReportForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("汇报日期"), widget=DATE_INPUT)
    place = forms.CharField(label=_("地点"), max_length=120)
    attendance = forms.IntegerField(label=_("参加人数"), min_value=1)
    feedback = forms.CharField(label=_("群众反馈"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(BootstrapFormMixin, VersionForm):
    category = forms.ModelChoiceField(
        label=_("答复类别"), queryset=ReplyCategory.objects.filter(is_active=True)
    )
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 8}))
    letter = forms.FileField(
        label=_("答复函(盖章扫描的PDF)"),
        required=False,
        help_text=_("可以答复后再上传。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class LetterForm(BootstrapFormMixin, forms.Form):
    letter = forms.FileField(
        label=_("答复函(盖章扫描的PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )


class ContactForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("沟通方式"), choices=UnitContact.Kind.choices)
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    participants = forms.CharField(
        label=_("参加人员"), max_length=200, help_text=_("如:领衔代表张三,本单位李四副局长")
    )
    summary = forms.CharField(label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 4}))


class ReassignRequestForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("改办理由"), widget=forms.Textarea(attrs={"rows": 4}))
    suggested_unit = forms.ModelChoiceField(
        label=_("建议改由"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=unit_picker(),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = units


class ExtensionForm(BootstrapFormMixin, forms.Form):
    requested_deadline = forms.DateField(label=_("申请延期至"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))
