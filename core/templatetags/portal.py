from django import template

from accounts.access import can_view_personal_data
from core.masking import mask_id_number, mask_phone

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_id(context, value):
    """An ID number in full for users allowed to see it, masked for everyone else."""
    return value if _may_see(context) else mask_id_number(value)


@register.simple_tag(takes_context=True)
def personal_phone(context, value):
    return value if _may_see(context) else mask_phone(value)


def _may_see(context) -> bool:
    # Cached on the context so a list of 50 rows asks once.
    if "_may_see_personal" not in context.dicts[0]:
        request = context.get("request")
        context.dicts[0]["_may_see_personal"] = bool(
            request and can_view_personal_data(request.user)
        )
    return context.dicts[0]["_may_see_personal"]


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()
