"""The suite runs in several processes (pytest-xdist), each handed files in any order: what the
migrations wrote (the reply categories) must still be there after a transactional test's flush
(tests/conftest.py puts it back)."""

import pytest

from suggestions.models import ReplyCategory

CODES = ["A", "B", "C", "D"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("turn", [1, 2])
def test_each_transactional_test_finds_the_migrations_rows(turn):
    assert list(ReplyCategory.objects.order_by("code").values_list("code", flat=True)) == CODES


@pytest.mark.django_db
def test_a_test_after_them_finds_them_too():
    assert ReplyCategory.objects.filter(code__in=CODES).count() == len(CODES)
