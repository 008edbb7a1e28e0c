from django import template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.access import can as _can
from core.masking import mask_id_number, mask_phone
from core.masking import mask_name as _mask_name
from core.numerals import chinese_number as _chinese_number
from core.numerals import term_label as _term_label

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_id(context, value):
    """An ID number, masked unless the view revealed it (after checking and logging the access:
    core.personal)."""
    return value if context.get("reveal_personal") else mask_id_number(value)


@register.simple_tag(takes_context=True)
def personal_phone(context, value):
    return value if context.get("reveal_personal") else mask_phone(value)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_inputs(context, exclude: str = ""):
    """Hidden inputs that carry the current query string into another form (every value of every
    key but those in ``exclude``, space-separated). Not ``request.GET.items`` in a template: the
    template engine looks up ``GET["items"]`` first, so ``?items=x`` would break the page."""
    skip = set(exclude.split())
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        (
            (key, value)
            for key, values in context["request"].GET.lists()
            if key not in skip
            for value in values
        ),
    )


@register.filter
def term_label(value):
    """18 → 第十八届."""
    return _term_label(int(value)) if value not in (None, "") else ""


@register.filter
def chinese_number(value):
    """21 → 二十一 (sessions: 第{{ n|chinese_number }}次会议)."""
    return _chinese_number(int(value)) if value not in (None, "") else ""


@register.filter
def mask_name(value):
    """Voters' and wish persons' names: surname only (张**)."""
    return _mask_name(value)


_LABELS: dict[tuple[type, str], dict] = {}


@register.filter
def display(obj, field_name: str):
    """The label of a choices field, like get_FOO_display() but with the choices dict built once
    per process instead of on every call (lists show it for every row)."""
    if obj is None or obj == "":  # a missing related record, as ``x.y.get_z_display`` renders
        return ""
    key = (type(obj), field_name)
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = dict(obj._meta.get_field(field_name).flatchoices)
    value = getattr(obj, field_name)
    return labels.get(value, value)


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None, **related) -> bool:
    """``{% can "suggestion.manage" suggestion as may_manage %}``: the write-permission table
    (accounts.access.ACTIONS) asked from a template, so a link or button appears only when the
    view behind it would allow the action."""
    return _can(context["request"].user, action, obj, **related)


_MARK_CELL = {
    "done": '<td class="mark mark-done" title="{0}">✓<span class="visually-hidden">{0}</span></td>',
    "missed": '<td class="mark mark-missed" title="{0}">✗<span class="visually-hidden">{0}</span></td>',
    "pending": '<td class="mark mark-pending" title="{0}">·<span class="visually-hidden">{0}</span></td>',
}
_MARK_CELLS: dict[tuple[str | None, str], dict[str, str]] = {}


@register.simple_tag
def mark_cells(marks, done_label: str):
    """A row of compliance marks (done / missed / pending) as table cells, one tag for the row:
    the compliance grid has 16 cells for each of a county's 121 stations, and an ``include`` per
    cell cost the page most of its time under load (bench/load). The three cells are drawn once
    per label and language."""
    key = (translation.get_language(), str(done_label))
    cells = _MARK_CELLS.get(key)
    if cells is None:
        labels = {"done": done_label, "missed": _("缺项"), "pending": _("未到期")}
        cells = _MARK_CELLS[key] = {
            kind: format_html(html, labels[kind]) for kind, html in _MARK_CELL.items()
        }
    return mark_safe("".join([cells[mark] for mark in marks]))  # noqa: S308 (cells escaped above)
