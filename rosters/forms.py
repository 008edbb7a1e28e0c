from django import forms
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from core.forms import BootstrapFormMixin
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
    """The header row and, for each roster column, the sheet column it is read from."""

    header_row = forms.IntegerField(label=_("表头在第几行"), min_value=1)

    def __init__(self, *args, job, **kwargs):
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

    def clean(self):
        data = super().clean()
        missing = [c.label for c in self.columns if c.required and data.get(f"col_{c.key}") is None]
        if missing:
            raise forms.ValidationError(
                _("请为必填列选择对应的列:%(c)s") % {"c": "、".join(missing)}
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
