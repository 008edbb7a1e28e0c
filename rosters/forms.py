from django import forms
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from core.forms import BootstrapFormMixin
from core.numerals import term_label
from core.uploads import TABLE_FORMATS, TableFileValidator

from .services import ROSTERS


class UploadForm(BootstrapFormMixin, forms.Form):
    roster = forms.ChoiceField(label=_("名册"))
    file = forms.FileField(
        label=_("名册文件"),
        validators=[TableFileValidator()],
        help_text=_(
            "可以用下载的模板,也可以直接上传现有名册(%(formats)s 均可):"
            "表头可在前几行,列的顺序不限。"
        )
        % {"formats": TABLE_FORMATS},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )
    sheet = forms.CharField(
        label=_("工作表"),
        max_length=100,
        required=False,
        help_text=_("文件有多个工作表时填写要导入的工作表名称;不填则读取第一个有数据的工作表。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roster"].choices = [(key, module.title) for key, module in ROSTERS.items()]


class MappingForm(BootstrapFormMixin, forms.Form):
    """The header row and, for each roster column, the sheet column it is read from; for a
    column the file lacks, optionally one value for the whole file (整列取值, e.g. 届次 18)."""

    header_row = forms.IntegerField(label=_("表头在第几行"), min_value=1)

    def __init__(self, *args, job, default_term: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = ROSTERS[job.roster].columns
        self.fields["header_row"].max_value = max(len(job.head), 1)
        header = job.head[job.header_row - 1] if job.header_row and job.head else []
        width = max((len(row) for row in job.head), default=0)
        choices = [("", _("(不导入)"))] + [
            (
                str(col),
                f"{get_column_letter(col + 1)}列"
                + (f" “{header[col]}”" if col < len(header) and header[col] else ""),
            )
            for col in range(width)
        ]
        for column in self.columns:
            self.fields[f"col_{column.key}"] = forms.TypedChoiceField(
                label=column.label + (" *" if column.required else ""),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=job.mapping.get(column.key),
            )
            if column.key in job.mapping and column.key not in job.fixed_values:
                continue
            help_text = ""
            if column.key == "term" and default_term:
                help_text = _("留空则取本县当前届次(%(term)s)") % {"term": term_label(default_term)}
            self.fields[f"fix_{column.key}"] = forms.CharField(
                label=_("%(c)s:整列取值") % {"c": column.label},
                required=False,
                max_length=100,
                initial=job.fixed_values.get(column.key, ""),
                help_text=help_text or _("文件没有这一列时,可填一个值用于所有行"),
            )

    def clean(self):
        data = super().clean()
        missing = [
            c.label
            for c in self.columns
            if c.required
            and data.get(f"col_{c.key}") is None
            and not (data.get(f"fix_{c.key}") or "").strip()
        ]
        both = [
            c.label
            for c in self.columns
            if data.get(f"col_{c.key}") is not None and (data.get(f"fix_{c.key}") or "").strip()
        ]
        if both:
            raise forms.ValidationError(
                _("%(c)s已对应到文件中的列,不能再填整列取值") % {"c": "、".join(both)}
            )
        if missing:
            raise forms.ValidationError(
                _("请为必填列选择对应的列或填写整列取值:%(c)s") % {"c": "、".join(missing)}
            )
        used = [v for k, v in data.items() if k.startswith("col_") and v is not None]
        if len(used) != len(set(used)):
            raise forms.ValidationError(_("同一列不能对应两项。"))
        return data

    def mapping(self) -> dict[str, int]:
        return {
            c.key: self.cleaned_data[f"col_{c.key}"]
            for c in self.columns
            if self.cleaned_data.get(f"col_{c.key}") is not None
        }

    def fixed_values(self) -> dict[str, str]:
        return {
            c.key: self.cleaned_data[f"fix_{c.key}"].strip()
            for c in self.columns
            if (self.cleaned_data.get(f"fix_{c.key}") or "").strip()
        }


class ValuesForm(BootstrapFormMixin, forms.Form):
    """One choice per unknown value: what it stands for in its column's list."""

    def __init__(self, *args, unknown: dict[str, dict[str, int]], lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.items: list[tuple[str, str, int, str]] = []  # column, raw value, rows, field name
        for column, counts in unknown.items():
            vocabulary = lists.get(column)
            if vocabulary is None:
                continue
            for raw, rows in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
                name = f"v{len(self.items)}"
                self.items.append((column, raw, rows, name))
                self.fields[name] = forms.ChoiceField(
                    label=_("%(c)s“%(v)s”(%(n)d行)") % {"c": vocabulary.label, "v": raw, "n": rows},
                    choices=[("", _("请选择"))] + list(vocabulary.choices),
                )

    def choices(self) -> list[tuple[str, str, str]]:
        return [(column, raw, self.cleaned_data[name]) for column, raw, _rows, name in self.items]
