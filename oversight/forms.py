from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import BootstrapFormMixin
from directory.models import HandlingUnit
from directory.widgets import deputy_picker, unit_picker
from stations.models import Opinion

from .models import (
    CommitteeMeeting,
    Inquiry,
    InquiryQuestion,
    Inspection,
    InspectionMethod,
    InspectionRecommendation,
    MajorStep,
    MeetingMember,
    PlanItem,
    ReviewOpinion,
    SiteInspection,
    WorkPlan,
)
from .selectors import eligible_attendees, plan_link_choices

DATE = forms.DateInput(attrs={"type": "date"})
# The county deputies who attend (282 of them) and the units, found by typing a name.
ATTENDEES = deputy_picker(county_level=True)
ONE_DEPUTY = deputy_picker(multiple=False, county_level=True)
UNIT = unit_picker()


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
            "deputies": ATTENDEES,
        }
        help_texts = {"deputies": _("本县县级人大代表;参加执法检查计入履职档案。")}

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = eligible_attendees(county_id).order_by("name", "pk")
        self.fields["members"].queryset = _members(county_id)


class RecommendationForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=HandlingUnit.objects.none(), widget=UNIT
    )
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
    unit = forms.ModelChoiceField(
        label=_("被监督单位"), queryset=HandlingUnit.objects.none(), widget=UNIT
    )
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
    deputies = forms.ModelMultipleChoiceField(
        label=_("参加的代表"), queryset=None, required=False, widget=ATTENDEES
    )
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
    unit = forms.ModelChoiceField(
        label=_("研究处理单位"), queryset=HandlingUnit.objects.none(), widget=UNIT
    )
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


class SiteInspectionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SiteInspection
        fields = [
            "subject",
            "start_date",
            "end_date",
            "places",
            "deputies",
            "members",
            "findings",
            "report",
            "reported_on",
            "recommendations",
            "recommendation_bodies",
            "recommendation_deadline",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "reported_on": DATE,
            "recommendation_deadline": DATE,
            "places": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "report": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "deputies": ATTENDEES,
        }
        help_texts = {"deputies": _("本县县级人大代表;参加专题视察计入履职档案。")}

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = eligible_attendees(county_id).order_by("name", "pk")
        self.fields["members"].queryset = _members(county_id)


class InquiryForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = ["subject", "meeting", "date", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.filter(county_id=county_id)


class InquiryQuestionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InquiryQuestion
        fields = [
            "asker_kind",
            "asker_name",
            "asker_deputy",
            "question",
            "unit",
            "respondent_name",
            "respondent_title",
            "answer",
            "promise",
            "promise_deadline",
        ]
        widgets = {
            "asker_deputy": ONE_DEPUTY,
            "unit": UNIT,
            "promise_deadline": DATE,
            "question": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 2}),
            "promise": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asker_deputy"].queryset = eligible_attendees(county_id).order_by("name")
        self.fields["unit"].queryset = _units(county_id)


class PromiseForm(BootstrapFormMixin, forms.Form):
    promise_status = forms.ChoiceField(
        label=_("落实情况"), choices=InquiryQuestion.PromiseStatus.choices
    )
    promise_result = forms.CharField(
        label=_("落实结果"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WorkPlanForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("计划类别"), choices=WorkPlan.Kind.choices)
    title = forms.CharField(label=_("计划名称"), max_length=160)
    document_number = forms.CharField(label=_("文号"), max_length=80, required=False)
    adopted_on = _date(_("通过日期"))


class PlanItemForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=PlanItem.Kind.choices)
    title = forms.CharField(label=_("计划事项"), max_length=200)
    responsible = forms.CharField(label=_("责任委室"), max_length=80, required=False)
    planned_month = forms.IntegerField(
        label=_("计划月份"), min_value=1, max_value=12, required=False
    )
    planned_quarter = forms.IntegerField(
        label=_("计划季度"), min_value=1, max_value=4, required=False
    )


LINK_LABELS = {
    "inspections": _("执法检查"),
    "topics": _("监督议题"),
    "site_inspections": _("专题视察"),
    "meetings": _("常委会会议"),
    "inquiries": _("专题询问"),
    "trainings": _("代表培训"),
    "campaigns": _("代表述职"),
}


class PlanLinkForm(BootstrapFormMixin, forms.Form):
    """One select per kind of record, each holding the records of the plan's county and year
    only (a few dozen at most); the records chosen are linked."""

    def __init__(self, *args, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        for relation, queryset in plan_link_choices(plan).items():
            self.fields[relation] = forms.ModelChoiceField(
                label=LINK_LABELS[relation], queryset=queryset, required=False
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(_("请选择要关联的记录。"))
        return data
