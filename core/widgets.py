from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


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
