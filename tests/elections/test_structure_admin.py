"""Django admin: a 结构关 target's category is chosen by its name under its dimension, not typed
as a code; a category of another dimension cannot be set, and a second target on the same
category is refused with a message."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from elections.models import StructureTarget

ADD = reverse("admin:elections_structuretarget_add")


def _post(client, world, choice: str, **fields):
    return client.post(
        ADD,
        {
            "county": world.county_a.pk,
            "level": "county",
            "term": 18,
            "category_choice": choice,
            "min_percent": "30",
            **fields,
        },
    )


def _admin(users) -> Client:
    client = Client()
    client.force_login(users["admin"])
    return client


def test_the_category_is_offered_by_name_grouped_by_dimension(users):
    page = _admin(users).get(ADD).content.decode()
    assert '<optgroup label="性别">' in page and '<option value="gender:F">女</option>' in page
    assert '<option value="age:under35">35岁以下</option>' in page
    assert 'name="category"' not in page  # no code to type


def test_choosing_a_category_sets_the_dimension_and_the_code(users, world):
    client = _admin(users)
    response = _post(client, world, "gender:F")
    assert response.status_code == 302
    target = StructureTarget.objects.get()
    assert (target.dimension, target.category, target.min_percent) == ("gender", "F", Decimal(30))
    changelist = client.get(reverse("admin:elections_structuretarget_changelist")).content
    assert "女" in changelist.decode()
    change = client.get(reverse("admin:elections_structuretarget_change", args=[target.pk]))
    assert '<option value="gender:F" selected>女</option>' in change.content.decode()


def test_an_unknown_category_or_a_second_target_on_it_is_refused(users, world):
    client = _admin(users)
    assert _post(client, world, "gender:X").status_code == 200
    assert not StructureTarget.objects.exists()
    assert _post(client, world, "gender:F").status_code == 302
    again = _post(client, world, "gender:F")
    assert again.status_code == 200 and "这一类别已设置过目标。" in again.content.decode()
    assert StructureTarget.objects.count() == 1
