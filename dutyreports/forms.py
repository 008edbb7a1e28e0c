from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import DutyReport


class CampaignForm(BootstrapFormMixin, forms.Form):
    deadline = forms.DateField(
        label=_("述职截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


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
