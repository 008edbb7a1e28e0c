"""Forms of the life of a mandate: one event form shaped by the event's kind, and the 补选 form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import Deputy, MandateEvent
from .services import DECIDERS, NEEDS_DOCUMENT
from .widgets import deputy_picker

Kind = MandateEvent.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _body_choices(kind: str) -> list[tuple[str, str]]:
    return [("", "")] + [
        (body.value, body.label) for body in MandateEvent.Body if body in DECIDERS[kind]
    ]


class MandateEventForm(BootstrapFormMixin, forms.Form):
    """The fields an event of ``kind`` needs: the deciding body when one decides, the 文号 (required
    for a decision with a document), the legal ground for 终止 and 暂停."""

    occurred_on = forms.DateField(label=_("日期"), widget=DATE)
    decided_by = forms.ChoiceField(label=_("决定机关"), choices=())
    document_number = forms.CharField(label=_("文号"), max_length=80, required=False)
    ground = forms.ChoiceField(label=_("法定事由"), choices=())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if DECIDERS[kind]:
            self.fields["decided_by"].choices = _body_choices(kind)
        else:
            del self.fields["decided_by"]
        self.fields["document_number"].required = kind in NEEDS_DOCUMENT
        grounds = {
            Kind.TERMINATED: MandateEvent.TERMINATION_GROUNDS,
            Kind.SUSPENDED: MandateEvent.SUSPENSION_GROUNDS,
        }.get(kind)  # type: ignore[call-overload]
        if grounds:
            self.fields["ground"].choices = [("", "")] + [(g.value, g.label) for g in grounds]
            self.fields["ground"].label = (
                _("终止事由(代表法第四十九条)")
                if kind == Kind.TERMINATED
                else _("暂停事由(代表法第四十八条)")
            )
        else:
            del self.fields["ground"]
        if kind == Kind.QUALIFIED:
            self.fields["document_number"].help_text = _(
                "代表资格审查委员会关于代表资格的审查报告经确认的文号。"
            )


class ByElectionForm(BootstrapFormMixin, forms.Form):
    deputy = forms.ModelChoiceField(
        label=_("补选当选的代表"),
        queryset=Deputy.objects.none(),
        widget=deputy_picker(multiple=False),
        help_text=_("名册中还没有这名代表时,请先在管理后台新增代表。"),
    )
    elected_on = forms.DateField(label=_("补选日期"), widget=DATE)
    decided_by = forms.ChoiceField(label=_("补选机关"), choices=_body_choices(Kind.BY_ELECTED))
    qualified_on = forms.DateField(label=_("代表资格审查确认日期"), widget=DATE)
    qualified_by = forms.ChoiceField(label=_("确认机关"), choices=_body_choices(Kind.QUALIFIED))
    document_number = forms.CharField(label=_("资格审查报告文号"), max_length=80)
    certificate_number = forms.CharField(label=_("代表证号"), max_length=30, required=False)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
