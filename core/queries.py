from django.db.models import Count, IntegerField, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce


def related_count(model: type[Model], field: str, **filters):
    """Rows of ``model`` whose ``field`` points at the outer row, as a correlated subquery: the
    database counts only for the rows of the page, not for every row before LIMIT (an annotate
    with Count would group the whole table)."""
    counts = (
        model._default_manager.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)
