"""A saved date shows in the browser's date picker when its form is opened again: <input
type="date"> reads only YYYY-MM-DD, whatever the locale's own date format (zh-hans: 2026/01/05)."""

import datetime

from django import forms
from django.utils import translation

from core.forms import BootstrapFormMixin
from dutyreports.forms import DutyReportForm
from dutyreports.models import DutyReport


class _Form(BootstrapFormMixin, forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


def test_a_date_input_shows_its_initial_value_in_iso_form():
    with translation.override("zh-hans"):
        html = str(_Form(initial={"day": datetime.date(2026, 1, 5)})["day"])
    assert 'value="2026-01-05"' in html


def test_a_filed_duty_report_shows_its_onsite_date_again():
    report = DutyReport(onsite_date=datetime.date(2026, 12, 1))
    with translation.override("zh-hans"):
        html = str(DutyReportForm(instance=report)["onsite_date"])
    assert 'value="2026-12-01"' in html
