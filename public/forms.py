from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.uploads import ImageFileValidator
from core.widgets import SearchPicker
from directory.models import Deputy, Region, Station
from directory.widgets import deputy_picker, station_picker
from stations.models import OpinionCategory

from .models import DutyStory

CONTENT_MAX = 2000
CONTACT_MAX = 50


class StationOptionField(forms.ModelChoiceField):
    def label_from_instance(self, station: Station) -> str:
        return f"{station.township.name} · {station.name}"


class PublicOpinionForm(BootstrapFormMixin, forms.Form):
    """民意直通车. The deputy comes from the link on a station page (a hidden field); otherwise
    the sender picks a station or just a township."""

    township = forms.ModelChoiceField(
        label=_("乡镇(街道)"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("请选择乡镇(街道)"),
        error_messages={"invalid_choice": _("请选择本县的乡镇(街道)。")},
    )
    station = StationOptionField(
        label=_("家站(可不选)"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("不指定家站"),
        error_messages={"invalid_choice": _("请选择本县的家站。")},
        # 121 stations: found by typing part of the name (the page carries the chosen one only).
        widget=SearchPicker(
            "public:station_search",
            multiple=False,
            placeholder=_("输入家站名称、拼音或首字母查找"),
        ),
    )
    deputy = forms.ModelChoiceField(
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("找不到这位代表,请从家站页面选择代表。")},
    )
    category = forms.ChoiceField(
        label=_("类别"),
        choices=[("", _("请选择类别")), *OpinionCategory.choices],
        error_messages={"required": _("请选择意见类别。")},
    )
    content = forms.CharField(
        label=_("意见内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=CONTENT_MAX,
        error_messages={
            "required": _("请填写意见内容。"),
            "max_length": _("意见内容最多%(limit_value)d字(当前%(show_value)d字)。"),
        },
    )
    contact = forms.CharField(
        label=_("联系方式(可不填,仅工作人员可见)"),
        required=False,
        max_length=CONTACT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("联系方式最多%(limit_value)d个字符。")},
    )
    photo = forms.ImageField(
        label=_("照片(可不传,JPEG/PNG/WebP)"),
        required=False,
        error_messages={"invalid_image": _("照片无法识别,请上传 JPEG、PNG 或 WebP 图片。")},
    )
    captcha = forms.CharField(
        label=_("验证码:请填写图中算式的结果"),
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写验证码。")},
    )
    # A field people never see (hidden by CSS) and bots fill in.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.filter(
            county=county, level=Region.Level.TOWNSHIP
        ).order_by("code")
        self.fields["station"].queryset = (
            Station.objects.filter(county=county, is_active=True)
            .select_related("township")
            .order_by("township__code", "kind", "name")
        )
        self.fields["deputy"].queryset = Deputy.objects.filter(
            station__county=county
        ).select_related("station__township")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            ImageFileValidator(max_bytes=settings.PUBLIC_PHOTO_MAX_BYTES)(photo)
        return photo


class LegislativeOpinionForm(BootstrapFormMixin, forms.Form):
    """An opinion on a draft open for comment (立法意见征集), sent from the public page."""

    article = forms.CharField(
        label=_("涉及条款(可不填)"),
        max_length=40,
        required=False,
        help_text=_("例如“第十二条”;对草案的总体意见可不填。"),
    )
    content = forms.CharField(
        label=_("意见内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写意见内容。")},
    )
    name = forms.CharField(label=_("姓名(可不填)"), max_length=40, required=False)
    contact = forms.CharField(
        label=_("联系方式(可不填,不公开)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    captcha = PublicOpinionForm.base_fields["captcha"]
    website = PublicOpinionForm.base_fields["website"]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class DutyStoryForm(BootstrapFormMixin, forms.ModelForm):
    link = forms.URLField(
        label=_("链接"),
        required=False,
        assume_scheme="https",
        help_text=_("链接或正文至少填一项。"),
    )

    class Meta:
        model = DutyStory
        fields = ["title", "outlet", "published_on", "link", "text", "station", "deputies"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 8}),
            # A county has 121 stations and thousands of deputies: found by typing a name.
            "station": station_picker(),
            "deputies": deputy_picker(),
        }

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(county=county).order_by(
            "township__code", "kind", "name"
        )
        self.fields["deputies"].queryset = Deputy.objects.filter(county=county)
        self.fields["deputies"].required = False
