"""结构关: the mix of a term's deputies (or its candidate list) by gender, age band, ethnicity, party, education and
occupation category, against the targets staff set (StructureTarget).

The whole mix is one aggregate query — a filtered COUNT per category of every dimension over the
term's deputies — and the targets one more, however many deputies the term has."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from directory.models import Deputy, Education, Gender, Mandate, Occupation, Party

from .models import Candidate, StructureTarget

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

Dimension = StructureTarget.Dimension

AGE_BANDS = (  # code, label, (youngest age, oldest age) inclusive on the reference day
    ("under35", _("35岁以下"), (0, 34)),
    ("35to50", _("35至50岁"), (35, 50)),
    ("51to60", _("51至60岁"), (51, 60)),
    ("over60", _("60岁以上"), (61, 200)),
)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def categories(reference: datetime.date) -> dict[str, list[tuple[str, StrOrPromise, Q]]]:
    """For each dimension: (code, label, condition on Deputy) per category."""
    ages: list[tuple[str, StrOrPromise, Q]] = []
    for code, label, (youngest, oldest) in AGE_BANDS:
        # Aged ``youngest`` or more: born on or before the day ``youngest`` years back; aged at
        # most ``oldest``: born after the day ``oldest + 1`` years back.
        ages.append(
            (
                code,
                label,
                Q(birth_date__lte=_years_before(reference, youngest))
                & Q(birth_date__gt=_years_before(reference, oldest + 1)),
            )
        )

    def choices(field: str, enum) -> list[tuple[str, StrOrPromise, Q]]:
        return [(value, label, Q(**{field: value})) for value, label in enum.choices]

    return {
        Dimension.GENDER: choices("gender", Gender),
        Dimension.AGE: ages,
        Dimension.ETHNICITY: [
            ("han", _("汉族"), Q(ethnicity="汉族")),
            ("minority", _("少数民族"), ~Q(ethnicity="汉族")),
        ],
        Dimension.PARTY: choices("party", Party),
        Dimension.EDUCATION: choices("education", Education),
        Dimension.OCCUPATION: choices("occupation", Occupation),
    }


@dataclass
class Share:
    code: str
    label: StrOrPromise
    count: int
    percent: Decimal
    target: StructureTarget | None = None

    @property
    def below(self) -> bool:
        return (
            self.target is not None
            and self.target.min_percent is not None
            and self.percent < self.target.min_percent
        )

    @property
    def above(self) -> bool:
        return (
            self.target is not None
            and self.target.max_percent is not None
            and self.percent > self.target.max_percent
        )

    @property
    def gap(self) -> Decimal | None:
        """Percentage points short of the minimum (negative) or over the maximum (positive)."""
        # below and above have checked the target and its bound.
        if self.below:
            return self.percent - self.target.min_percent  # type: ignore[union-attr,operator]
        if self.above:
            return self.percent - self.target.max_percent  # type: ignore[union-attr,operator]
        return None


def term_deputies(*, user: User, county_id: int, level: str, term: int) -> QuerySet[Deputy]:
    term_mandates = Mandate.objects.filter(deputy=OuterRef("pk"), level=level, term=term)
    return scoped(Deputy.objects.all(), user, "deputy").filter(
        Exists(term_mandates), county_id=county_id
    )


def term_candidates(*, user: User, county_id: int, level: str, term: int) -> QuerySet[Candidate]:
    return scoped(Candidate.objects.select_related("deputy"), user, "structure_target").filter(
        county_id=county_id, level=level, term=term
    )


def structure_mix(
    *,
    user: User,
    county_id: int,
    level: str,
    term: int,
    reference: datetime.date,
    candidates: bool = False,
) -> tuple[int, dict[str, list[Share]]]:
    """(number of deputies — or candidates —, {dimension: [Share per category]}): two queries.
    Candidates carry the same fields as deputies, so the same conditions count both."""
    table = categories(reference)
    aggregates = {"total": Count("pk")}
    for dimension, rows in table.items():
        for code, _label, condition in rows:
            aggregates[f"{dimension}__{code}"] = Count("pk", filter=condition)
    people = term_candidates if candidates else term_deputies
    counts = people(user=user, county_id=county_id, level=level, term=term).aggregate(**aggregates)
    targets = {
        (target.dimension, target.category): target
        for target in StructureTarget.objects.filter(county_id=county_id, level=level, term=term)
    }
    total = counts["total"]
    mix = {}
    for dimension, rows in table.items():
        shares = []
        for code, label, _condition in rows:
            count = counts[f"{dimension}__{code}"]
            percent = (
                (Decimal(count * 100) / total).quantize(Decimal("0.1")) if total else Decimal(0)
            )
            shares.append(Share(code, label, count, percent, targets.get((dimension, code))))
        mix[dimension] = shares
    return total, mix


def category_choices() -> dict[str, list[tuple[str, StrOrPromise]]]:
    """For each dimension, its categories as (code, label): what a target may be set on."""
    return {
        dimension: [(code, label) for code, label, _condition in rows]
        for dimension, rows in categories(datetime.date.today()).items()
    }
