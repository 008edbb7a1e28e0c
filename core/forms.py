"""Form pieces shared by every app."""

from django import forms

from .uploads import UploadRejected, validate_image
from .widgets import SearchPicker


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input (a phone's camera roll); each must really be an image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "class": "form-control"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultiplePhotoField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            try:
                validate_image(upload)
            except UploadRejected as exc:
                raise forms.ValidationError(f"{upload.name}:{exc.message}", code=exc.code) from None
        return cleaned


class BootstrapFormMixin:
    """Bootstrap classes on every widget, so templates can render fields plainly; a browser's
    date picker gets its value in ISO form."""

    fields: dict[str, forms.Field]  # the form's, for the type checker

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                # <input type="date"> reads only YYYY-MM-DD; the Chinese locale's first input
                # format is YYYY/MM/DD, which left a saved date blank when its form was shown
                # again (and lost it when the form was sent back unchanged).
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def settle_single_choice(form: forms.Form, name: str) -> None:
    """A choice with one possible answer is not a question: a keeper's one station is chosen and
    shown, not asked (the field is disabled, so a posted value cannot change it)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), f"{name} is not a choice of records"
    rows = list(field.queryset[:2]) if field.queryset is not None else []
    if len(rows) != 1:
        return
    if isinstance(field.widget, SearchPicker):
        # Nothing to search for: the one answer is shown as a plain (disabled) select.
        field.widget = forms.Select(attrs={"class": "form-select"})
        field.widget.choices = field.choices
    field.empty_label = None
    field.disabled = True
    field.initial = rows[0].pk
    form.initial[name] = rows[0].pk
