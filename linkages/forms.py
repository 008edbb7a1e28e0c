from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directory.models import Deputy

from .models import GroupTask, MemberContact, ProjectProblem, Voter, VoterContact


class MemberContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MemberContact
        fields = ["date", "mode", "summary", "issues"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "issues": forms.Textarea(attrs={"rows": 2}),
        }


class VoterForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Voter
        fields = ["name", "phone", "village"]
        widgets = {"name": forms.TextInput(), "phone": forms.TextInput(attrs={"type": "tel"})}

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class VoterContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = VoterContact
        fields = ["date", "mode", "summary", "opinion"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "opinion": forms.Textarea(attrs={"rows": 2}),
        }


class ProblemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectProblem
        fields = ["description", "raised_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "raised_on": forms.DateInput(attrs={"type": "date"}),
        }


class ProblemUpdateForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectProblem
        fields = ["status", "resolution", "solved_on"]
        widgets = {
            "resolution": forms.Textarea(attrs={"rows": 2}),
            "solved_on": forms.DateInput(attrs={"type": "date"}),
        }


class GroupTaskForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("专题任务"), max_length=120)
    description = forms.CharField(
        label=_("任务内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GroupActivityForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("活动"), max_length=120)
    task = forms.ModelChoiceField(
        label=_("专题任务"), queryset=GroupTask.objects.none(), required=False
    )
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    summary = forms.CharField(
        label=_("活动情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("参加代表"),
        queryset=Deputy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择参加活动的代表。")},
    )

    def __init__(self, *args, tasks, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["participants"].queryset = members
