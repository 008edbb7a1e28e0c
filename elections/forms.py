from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from core.uploads import TABLE_FORMATS
from directory.models import Region

ACCEPT = ".xlsx,.xls,.ods,.csv"


class RegistrationCheckForm(forms.Form):
    county = forms.ModelChoiceField(label=_("县(市、区)"), queryset=Region.objects.none())
    election_day = forms.DateField(
        label=_("选举日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("按选举日计算是否年满18周岁。"),
    )
    voter_file = forms.FileField(
        label=_("选民名册"),
        help_text=_(
            "%(formats)s 均可。列:乡镇、村(社区)、姓名、公民身份号码;表头可在前10行内,列序不限。"
        )
        % {"formats": TABLE_FORMATS},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    population_file = forms.FileField(
        label=_("人口信息"),
        help_text=_(
            "%(formats)s 均可。人口信息数据库导出:乡镇、村(社区)、姓名、公民身份号码,"
            "可含“死亡标识”列。"
        )
        % {"formats": TABLE_FORMATS},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        counties = scoped(Region.objects.filter(level=Region.Level.COUNTY), user, "region")
        self.fields["county"].queryset = counties
        if user.scope.county:
            self.fields["county"].initial = user.scope.county
