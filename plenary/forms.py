from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directory.models import Deputy, Region
from directory.widgets import deputy_picker

from .models import Attendance, Motion, Sitting

DATE = forms.DateInput(attrs={"type": "date"})


class SessionForm(BootstrapFormMixin, forms.Form):
    congress = forms.ModelChoiceField(label=_("所属人大"), queryset=Region.objects.none())
    term = forms.IntegerField(label=_("届次"), min_value=1, max_value=99, help_text=_("例如 18。"))
    number = forms.IntegerField(
        label=_("会次"), min_value=1, max_value=99, help_text=_("第几次会议,例如 3。")
    )
    opens_on = forms.DateField(label=_("开幕日期"), widget=DATE)
    closes_on = forms.DateField(label=_("闭幕日期"), widget=DATE)
    venue = forms.CharField(label=_("会议地点"), max_length=100, required=False)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, congresses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        if congresses is not None and not self.is_bound:
            first = list(congresses[:2])
            if len(first) == 1:
                self.fields["congress"].initial = first[0].pk


class SittingForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("会议形式"), choices=Sitting.Kind.choices)
    title = forms.CharField(label=_("议题"), max_length=120, required=False)


class LeaveApprovalForm(BootstrapFormMixin, forms.Form):
    """The approval applied to each deputy marked 请假 on the page (or in the sheet) without one."""

    leave_approved_by = forms.CharField(
        label=_("请假批准人"),
        max_length=40,
        required=False,
        help_text=_("新登记请假的代表须填写,例如“大会秘书处”。"),
    )
    leave_approved_on = forms.DateField(label=_("批准日期"), required=False, widget=DATE)


class SignInForm(LeaveApprovalForm):
    file = forms.FileField(
        label=_("签到表(Excel、WPS或CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
        help_text=_(
            "需有“姓名”列;同名代表请加“身份证后四位”列;可有“出席情况”“请假事由”“批准人”列。"
        ),
    )
    mark_missing_absent = forms.BooleanField(
        label=_("表中没有的代表记为缺席"), required=False, initial=False
    )
    field_order = ["file", "leave_approved_by", "leave_approved_on", "mark_missing_absent"]


ROLL_PREFIX = "d"


def roll_statuses(data) -> dict[int, str]:
    """The statuses ticked on the roll-call page: radio ``d<deputy id>`` → status."""
    statuses = {}
    for key, value in data.items():
        number = key[len(ROLL_PREFIX) :]
        if key.startswith(ROLL_PREFIX) and number.isdigit() and value in Attendance.Status.values:
            statuses[int(number)] = value
    return statuses


class MotionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("案由"), max_length=200)
    content = forms.CharField(label=_("案据和方案"), widget=forms.Textarea(attrs={"rows": 6}))
    kind = forms.ChoiceField(label=_("提出方式"), choices=Motion.Kind.choices)
    lead_deputy = forms.ModelChoiceField(
        label=_("领衔代表"),
        queryset=Deputy.objects.none(),
        help_text=_("代表团提出的,为代表团团长。"),
    )
    signers = forms.ModelMultipleChoiceField(
        label=_("联名代表"), queryset=Deputy.objects.none(), required=False
    )
    delegation = forms.ModelChoiceField(
        label=_("代表团"), queryset=Region.objects.none(), required=False
    )
    submitted_on = forms.DateField(label=_("提出日期"), widget=DATE)

    def __init__(self, *args, deputies=None, delegations=None, county_level=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_deputy"].queryset = deputies
        self.fields["signers"].queryset = deputies
        self.fields["lead_deputy"].widget = deputy_picker(multiple=False, county_level=county_level)
        self.fields["signers"].widget = deputy_picker(county_level=county_level)
        self.fields["delegation"].queryset = delegations
        if not county_level:
            del self.fields["delegation"]
            self.fields["kind"].choices = [(Motion.Kind.JOINT, Motion.Kind.JOINT.label)]


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("主席团决定"),
        choices=[
            (Motion.Decision.AGENDA, Motion.Decision.AGENDA.label),
            (Motion.Decision.REJECTED, Motion.Decision.REJECTED.label),
        ],
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不予列入的须填写理由。"),
    )
