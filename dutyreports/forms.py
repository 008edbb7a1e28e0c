from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directory.models import Region, Station
from directory.selectors import station_list, township_choices

from .evaluation import MAX_CODES
from .models import BatchRule, DutyReport, ExcellentCandidate, Grade, Rectification, ReportCampaign


class CampaignForm(BootstrapFormMixin, forms.Form):
    deadline = forms.DateField(
        label=_("述职截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class BatchRuleForm(BootstrapFormMixin, forms.Form):
    """How the year's batch is chosen: a rule, with the stations or townships it names."""

    rule = forms.ChoiceField(label=_("述职名单产生方式"), choices=BatchRule.choices)
    stations = forms.ModelMultipleChoiceField(
        label=_("家站"), queryset=Station.objects.none(), required=False
    )
    townships = forms.ModelMultipleChoiceField(
        label=_("乡镇(街道)"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = station_list(user=user).filter(county_id=campaign.county_id)
        townships = township_choices(user=user).filter(county_id=campaign.county_id)
        if campaign.township_id:
            stations = stations.filter(township_id=campaign.township_id)
            townships = townships.filter(pk=campaign.township_id)
        self.fields["stations"].queryset = stations.order_by("township__code", "name")
        self.fields["townships"].queryset = townships


class DutyReportForm(BootstrapFormMixin, forms.ModelForm):
    # A live-stream link typed without a scheme is an https one.
    live_link = forms.URLField(label=_("直播链接"), required=False, assume_scheme="https")

    class Meta:
        model = DutyReport
        fields = [
            "onsite_date",
            "onsite_place",
            "voters_present",
            "onsite_photo",
            "written_text",
            "live_link",
            "live_viewers",
        ]
        widgets = {
            "onsite_date": forms.DateInput(attrs={"type": "date"}),
            "written_text": forms.Textarea(attrs={"rows": 6}),
        }


class EvaluationSettingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ReportCampaign
        fields = [
            "voter_weight",
            "peer_weight",
            "organisation_weight",
            "excellent_min",
            "competent_min",
            "basic_min",
        ]


class CodesForm(BootstrapFormMixin, forms.Form):
    count = forms.IntegerField(label=_("发放份数"), min_value=1, max_value=MAX_CODES, initial=30)


class PaperBallotsForm(BootstrapFormMixin, forms.Form):
    """The number of paper forms for each grade."""

    excellent = forms.IntegerField(label=Grade.EXCELLENT.label, min_value=0, initial=0)
    competent = forms.IntegerField(label=Grade.COMPETENT.label, min_value=0, initial=0)
    basic = forms.IntegerField(label=Grade.BASIC.label, min_value=0, initial=0)
    incompetent = forms.IntegerField(label=Grade.INCOMPETENT.label, min_value=0, initial=0)


class GradeForm(BootstrapFormMixin, forms.Form):
    grade = forms.ChoiceField(label=_("评议等次"), choices=Grade.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见建议"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RectificationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["problem", "measure", "deadline"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}


class RectificationProgressForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["status", "evidence", "done_on", "evidence_photo"]
        widgets = {
            "done_on": forms.DateInput(attrs={"type": "date"}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
        }


class ProposeForm(BootstrapFormMixin, forms.Form):
    count = forms.IntegerField(label=_("提名人数"), min_value=1, max_value=200)


class DecideForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("评定结果"),
        choices=[
            (ExcellentCandidate.Decision.SELECTED, ExcellentCandidate.Decision.SELECTED.label),
            (ExcellentCandidate.Decision.DECLINED, ExcellentCandidate.Decision.DECLINED.label),
        ],
    )
    note = forms.CharField(label=_("评定意见"), required=False, max_length=200)
