"""The value-mapping step: staff say once what a value the portal did not know stands for
(职业 “网格员” → 村(社区)干部); it is remembered for their county and applied to every later file."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import DomainError
from directory.models import Level, Mandate

from .models import ValueMapping
from .services import require_importer
from .simple import CountyResolver
from .values import vocabularies


def importer_county(user):
    """The county whose mappings the user keeps: their own, or the only one there is."""
    return CountyResolver(user).default


def current_term(user, level: str = Level.COUNTY) -> int | None:
    """The county's current term at ``level``: the latest of its deputies' active mandates."""
    county = importer_county(user)
    if county is None:
        return None
    return Mandate.objects.filter(
        is_active=True, level=level, deputy__county_id=county.pk
    ).aggregate(term=Max("term"))["term"]


def value_mappings_save(*, user, choices: list[tuple[str, str, str]]) -> int:
    """Remember (column, value as written, stored value) for the user's county, replacing what
    was chosen before for the same value. All or nothing."""
    require_importer(user)
    county = importer_county(user)
    if county is None:
        raise DomainError(_("无法确定所属县,不能保存取值对应。"))
    lists = vocabularies()
    for column, raw, value in choices:
        vocabulary = lists.get(column)
        if vocabulary is None or value not in dict(vocabulary.choices):
            raise DomainError(_("“%(v)s”不是可选的取值。") % {"v": value})
        if not raw or len(raw) > 100:
            raise DomainError(_("原值为空或过长。"))
    with transaction.atomic():
        for column, raw, value in choices:
            ValueMapping.objects.update_or_create(
                county=county, column=column, raw_value=raw, defaults={"value": value}
            )
    return len(choices)
