import re
from urllib.parse import urlencode

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

_PK = re.compile(r"[0-9]{1,18}")


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django renders each <option> through the template engine
    (and escapes each lazy label through several wrappers), about 0.1 ms apiece: on a list page
    with a few filter selects that was a third of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs or {})
        final_attrs["name"] = name
        values = value if isinstance(value, list | tuple) else [value]
        selected = {str(v) for v in values if v is not None}
        options = []
        for option, label in self.choices:
            option = str(option)
            mark = " selected" if option in selected else ""
            options.append(f'<option value="{escape(option)}"{mark}>{escape(str(label))}</option>')
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")


class SearchPicker(forms.SelectMultiple):
    """A searchable picker for a choice among thousands (2,191 deputies as co-signers): the page
    carries only the chosen options; js/picker.js asks ``source`` (a scoped JSON endpoint
    answering ``?q=`` with ``{"results": [{"id", "label", "detail"}]}``) as the user types a
    name, its pinyin or its initials, and shows each match with a detail (station · township)
    that tells namesakes apart. The field still validates against its own queryset."""

    def __init__(
        self, source: str, *, multiple: bool = True, params=None, placeholder="", attrs=None
    ):
        super().__init__(attrs)
        if placeholder:
            # What to type: a unit is not found by a person's name (js/picker.js's default).
            self.attrs["data-placeholder"] = placeholder
        self.source = source
        self.multiple = multiple
        # Fixed query parameters of the source (the draft's congress, "level": "county"), sent
        # with every ``q``.
        self.params: dict[str, str] = dict(params or {})

    def format_value(self, value):
        if value is None or value == "":
            return []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        if self.multiple:
            return values
        return values[0] if values else None

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs or {})
        source = reverse(self.source)
        if self.params:
            source = f"{source}?{urlencode(self.params)}"
        final_attrs.update(name=name, **{"data-picker-source": source})
        if self.multiple:
            final_attrs["multiple"] = True
        # Only what can be a primary key: ASCII digits that fit a 64-bit integer ("²" is a
        # digit to str.isdigit, and a 20-digit number overflows SQLite: a crafted query value).
        chosen = [v for v in self.format_value(value) if _PK.fullmatch(v)]
        queryset = getattr(self.choices, "queryset", None)
        options = []
        if chosen and queryset is not None:
            # A ModelChoiceIterator, which the stubs type as a plain iterable of choices.
            field = self.choices.field  # type: ignore[attr-defined]
            for obj in queryset.filter(pk__in=chosen):
                label = escape(field.label_from_instance(obj))
                options.append(f'<option value="{obj.pk}" selected>{label}</option>')
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")
