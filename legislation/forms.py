from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.widgets import SearchPicker
from directory.widgets import station_picker

from .models import ArticleSummary, Draft, LiaisonPoint


class DraftForm(BootstrapFormMixin, forms.ModelForm):
    file = forms.FileField(
        label=_("草案文件"),
        required=False,
        help_text=_("PDF或Word文件(.pdf、.docx、.doc,WPS保存的也可以)。"),
    )

    class Meta:
        model = Draft
        fields = [
            "title",
            "level",
            "issuer",
            "document_number",
            "summary",
            "text",
            "deadline",
            "all_stations",
            "stations",
            "for_deputies",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 8}),
            # 121 stations in a county: a searchable picker, not a select.
            "stations": SearchPicker(
                "directory:station_search", placeholder=_("输入家站名称、拼音或首字母查找")
            ),
        }

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stations"].queryset = stations
        self.fields["stations"].required = False


class OpinionForm(BootstrapFormMixin, forms.Form):
    article = forms.CharField(
        label=_("涉及条款"),
        max_length=40,
        required=False,
        help_text=_("例如“第十二条”;总体意见可不填。"),
    )
    content = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 4}))


class StationOpinionForm(OpinionForm):
    station = forms.ModelChoiceField(label=_("家站"), queryset=None, widget=station_picker())
    occasion = forms.CharField(
        label=_("征集形式"), max_length=60, required=False, help_text=_("例如“座谈会”“接待日”。")
    )
    participants = forms.IntegerField(label=_("参加人数"), required=False)

    field_order = ["station", "article", "content", "occasion", "participants"]

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        # A keeper records for one station: it is chosen already.
        choices = list(stations[:2]) if stations is not None and not self.is_bound else []
        if len(choices) == 1:
            self.fields["station"].initial = choices[0].pk


class RouteForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("群众意见查询码"), max_length=40)
    article = forms.CharField(label=_("涉及条款"), max_length=40, required=False)


class ArticleSummaryForm(BootstrapFormMixin, forms.Form):
    article = forms.CharField(label=_("涉及条款"), max_length=40, required=False)
    adoption = forms.ChoiceField(label=_("采纳意见"), choices=ArticleSummary.Adoption.choices)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(BootstrapFormMixin, forms.Form):
    reported_on = forms.DateField(
        label=_("报送日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary_note = forms.CharField(
        label=_("汇总说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LiaisonPointForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = LiaisonPoint
        fields = ["station", "since", "note"]
        widgets = {
            "station": station_picker(),
            "since": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations

    def validate_unique(self) -> None:
        """A station designated twice is refused by the service, naming the station."""
