from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, settle_single_choice
from core.uploads import UploadRejected, validate_image
from directory.models import Deputy, Station
from directory.widgets import station_picker


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, station):
        return f"{station.name}({station.township.name})"


class WishForm(BootstrapFormMixin, forms.Form):
    station = StationChoiceField(
        label=_("家站"),
        queryset=Station.objects.none(),
        widget=station_picker(),
    )
    person_name = forms.CharField(label=_("心愿人"), max_length=40)
    content = forms.CharField(
        label=_("心愿内容"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        settle_single_choice(self, "station")


class ClaimForm(forms.Form):
    """A manager claims a wish on behalf of a deputy stationed at the wish's station."""

    deputy = forms.ModelChoiceField(
        label=_("认领代表"),
        queryset=Deputy.objects.none(),
        error_messages={
            "required": _("请选择认领的代表。"),
            "invalid_choice": _("所选代表不在本站进驻,不能认领本站的心愿。"),
        },
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class FulfilForm(BootstrapFormMixin, forms.Form):
    fulfilled_on = forms.DateField(
        label=_("实现日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("实现情况"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(
        label=_("照片(可不传)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"fulfilled_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        try:
            validate_image(photo)
        except UploadRejected as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return photo  # stored re-encoded under a name of the portal's (core.photos.PhotoField)
