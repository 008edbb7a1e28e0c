from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import BootstrapFormMixin
from directory.models import HandlingUnit
from stations.models import Opinion

from .models import (
    CommitteeMeeting,
    Inspection,
    InspectionMethod,
    InspectionRecommendation,
    MajorStep,
    MeetingMember,
    ReviewOpinion,
)
from .selectors import eligible_attendees

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DATE)


def _units(county_id):
    return HandlingUnit.objects.filter(county_id=county_id, is_active=True).order_by("kind", "name")


def _members(county_id):
    return User.objects.filter(
        role=Role.COMMITTEE_MEMBER, county_id=county_id, is_active=True
    ).order_by("full_name", "pk")


class InspectionForm(BootstrapFormMixin, forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label=_("检查方式"),
        choices=InspectionMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Inspection
        fields = [
            "law",
            "joint",
            "start_date",
            "end_date",
            "plan",
            "sites",
            "methods",
            "deputies",
            "members",
            "findings",
            "report",
            "reported_on",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "reported_on": DATE,
            "plan": forms.Textarea(attrs={"rows": 3}),
            "sites": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "report": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"deputies": _("本县县级人大代表;参加执法检查计入履职档案。")}

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = eligible_attendees(county_id).order_by("name", "pk")
        self.fields["members"].queryset = _members(county_id)


class RecommendationForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=HandlingUnit.objects.none())
    content = forms.CharField(label=_("改进建议"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(county_id)


class DecisionForm(BootstrapFormMixin, forms.Form):
    S = InspectionRecommendation.Status
    status = forms.ChoiceField(
        label=_("采纳情况"),
        choices=[(S.ADOPTED, S.ADOPTED.label), (S.NOT_ADOPTED, S.NOT_ADOPTED.label)],
    )
    evidence = forms.CharField(
        label=_("采纳情况说明及佐证"), widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_on = _date(_("反馈日期"))


class TopicForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("议题"), max_length=120)
    description = forms.CharField(
        label=_("议题说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ModelChoiceField(label=_("被监督单位"), queryset=HandlingUnit.objects.none())
    opinion_codes = forms.CharField(
        label=_("来源群众意见(查询码,每行一个)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.county_id = county_id
        self.fields["unit"].queryset = _units(county_id)

    def clean_opinion_codes(self):
        codes = {c.strip() for c in self.cleaned_data["opinion_codes"].split() if c.strip()}
        opinions = list(Opinion.objects.filter(tracking_code__in=codes, county_id=self.county_id))
        unknown = codes - {o.tracking_code for o in opinions}
        if unknown:
            raise forms.ValidationError(
                _("没有找到这些查询码的本县群众意见:%(codes)s")
                % {"codes": "、".join(sorted(unknown))}
            )
        return opinions


class ResearchForm(BootstrapFormMixin, forms.Form):
    date = _date(_("调研日期"))
    place = forms.CharField(label=_("调研地点"), max_length=120)
    deputies = forms.ModelMultipleChoiceField(label=_("参加的代表"), queryset=None, required=False)
    public_participants = forms.CharField(
        label=_("参加的群众"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如:村民代表张某、李某,种植大户王某"),
    )
    public_count = forms.IntegerField(label=_("群众人数"), min_value=1)

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = eligible_attendees(county_id).order_by("name", "pk")


class ResearchReportForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("报告标题"), max_length=160)
    filed_on = _date(_("提交日期"))
    summary = forms.CharField(label=_("报告内容"), widget=forms.Textarea(attrs={"rows": 4}))


class RatingOpenForm(BootstrapFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(label=_("测评会议"), queryset=CommitteeMeeting.objects.none())

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.filter(county_id=county_id)


class VoteCountForm(BootstrapFormMixin, forms.Form):
    """The count of an anonymous vote: who voted (members present) and the ballots' totals."""

    voters = forms.ModelMultipleChoiceField(
        label=_("参加投票的组成人员"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只记录谁投了票,不记录每人投了什么。"),
    )
    satisfied = forms.IntegerField(label=_("满意票"), min_value=0, initial=0)
    basic = forms.IntegerField(label=_("基本满意票"), min_value=0, initial=0)
    unsatisfied = forms.IntegerField(label=_("不满意票"), min_value=0, initial=0)

    def __init__(self, *args, meeting_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voters"].queryset = User.objects.filter(
            pk__in=MeetingMember.objects.filter(meeting_id=meeting_id).values("member_id")
        ).order_by("full_name", "pk")


class MeetingMembersForm(BootstrapFormMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("出席会议的组成人员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _members(county_id)


class ScoreForm(BootstrapFormMixin, forms.Form):
    representative = forms.CharField(label=_("群众代表"), max_length=40)
    score = forms.IntegerField(label=_("评分(0-100)"), min_value=0, max_value=100)


class ConcludeForm(BootstrapFormMixin, forms.Form):
    rectification_deadline = _date(_("整改期限(不满意时填写)"), required=False)


class RectifyForm(BootstrapFormMixin, forms.Form):
    rectification = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))
    rectified_on = _date(_("整改报告日期"))


class PublishForm(BootstrapFormMixin, forms.Form):
    publication = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 3}))
    published_on = _date(_("公开日期"))


class MatterForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("重大事项"), max_length=160)
    description = forms.CharField(
        label=_("事项说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StepForm(BootstrapFormMixin, forms.Form):
    step = forms.ChoiceField(label=_("环节"), choices=MajorStep.choices)
    date = _date(_("报送日期"))
    document = forms.CharField(label=_("文件名称及文号"), max_length=160)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CommitteeMeeting
        fields = ["term", "number", "date", "place", "agenda", "attendee_quota"]
        widgets = {"date": DATE, "agenda": forms.Textarea(attrs={"rows": 4})}


class ObserverForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    affiliation = forms.CharField(label=_("工作单位或住址"), max_length=120, required=False)
    reason = forms.CharField(label=_("旁听理由"), max_length=200, required=False)


class ReviewOpinionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("审议的报告类别"), choices=ReviewOpinion.Kind.choices)
    inspection = forms.ModelChoiceField(
        label=_("执法检查"),
        queryset=Inspection.objects.none(),
        required=False,
        help_text=_("审议执法检查报告时选择。"),
    )
    report_title = forms.CharField(
        label=_("审议的报告"),
        max_length=200,
        required=False,
        help_text=_("专项工作报告必填;执法检查报告可留空。"),
    )
    meeting = forms.ModelChoiceField(label=_("审议会议"), queryset=CommitteeMeeting.objects.none())
    unit = forms.ModelChoiceField(label=_("研究处理单位"), queryset=HandlingUnit.objects.none())
    document_number = forms.CharField(label=_("文号"), max_length=80, required=False)
    content = forms.CharField(label=_("审议意见"), widget=forms.Textarea(attrs={"rows": 5}))
    sent_on = _date(_("交办日期"))
    deadline = _date(_("研究处理情况报告期限"))

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.filter(county_id=county_id)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.filter(county_id=county_id)
        self.fields["unit"].queryset = _units(county_id)


class HandlingReportForm(BootstrapFormMixin, forms.Form):
    handling_report = forms.CharField(
        label=_("研究处理情况报告"), widget=forms.Textarea(attrs={"rows": 5})
    )
    reported_on = _date(_("报告日期"))


class HearingForm(BootstrapFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(label=_("审议会议"), queryset=CommitteeMeeting.objects.none())
    with_vote = forms.BooleanField(label=_("进行满意度测评(无记名)"), required=False)

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.filter(county_id=county_id)


class ConcludeHearingForm(BootstrapFormMixin, forms.Form):
    pass
