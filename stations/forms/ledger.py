from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, MultiplePhotoField, settle_single_choice
from directory.models import Deputy, Station
from directory.widgets import station_picker

from ..models import StationActivity

MAX_PHOTOS = 12


class DeputyCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that carry each deputy's station, so static/js/ledger.js can show only the
    deputies of the station chosen above (without JS all are shown, labelled with the station)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-station"] = instance.station_id
        return option


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, deputy):
        return f"{deputy.name}({deputy.station.name if deputy.station else _('未进驻')})"


class ActivityForm(BootstrapFormMixin, forms.Form):
    station = forms.ModelChoiceField(
        label=_("家站"),
        queryset=Station.objects.none(),
        widget=station_picker(),
    )
    kind = forms.ChoiceField(label=_("类型"), choices=StationActivity.Kind.choices)
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    theme = forms.CharField(label=_("主题"), max_length=120)
    deputies = DeputyChoiceField(
        label=_("参加代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=DeputyCheckboxes(attrs={"class": "form-check-input"}),
    )
    people_reached = forms.IntegerField(
        label=_("参与群众人数"),
        initial=0,
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": _("参与人数不能为负数。")},
    )
    summary = forms.CharField(
        label=_("活动情况"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultiplePhotoField(label=_("活动照片"))

    def __init__(self, *args, stations, deputies, activity: StationActivity | None = None, **kw):
        if activity is not None:
            kw.setdefault(
                "initial",
                {
                    "station": activity.station_id,
                    "kind": activity.kind,
                    "date": activity.date,
                    "theme": activity.theme,
                    "deputies": [d.pk for d in activity.deputies.all()],
                    "people_reached": activity.people_reached,
                    "summary": activity.summary,
                },
            )
        super().__init__(*args, **kw)
        self.fields["station"].queryset = stations
        self.fields["deputies"].queryset = deputies
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if activity is not None:
            # An entry stays in the ledger it was written in.
            self.fields["station"].disabled = True
        else:
            settle_single_choice(self, "station")

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("一次最多上传 %(count)d 张照片。") % {"count": MAX_PHOTOS}
            )
        return photos
