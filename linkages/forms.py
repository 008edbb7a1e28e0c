from django import forms

from core.forms import BootstrapFormMixin

from .models import MemberContact, ProjectProblem, Voter, VoterContact


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
