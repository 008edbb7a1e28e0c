"""Deputies are found by name in characters, full pinyin or initials on the staff list, the API,
the duty scores and the admin; the keys follow the name on save and are filled for old rows."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from directory.models import Deputy
from tests import factories as f
from tests.querycount import count_queries, grow

QUERIES = ["张三", "zhangsan", "zhang san", "ZhangSan", "zs", "ZS"]


@pytest.fixture
def zhang_san(world):
    return f.make_deputy(world.home_a1, name="张三")


def _page_names(response) -> set[str]:
    return {deputy.name for deputy in response.context["page"].object_list}


@pytest.mark.parametrize("query", QUERIES)
def test_staff_deputy_list_finds_by_name_pinyin_and_initials(client_for, zhang_san, query):
    response = client_for("staff").get(reverse("deputies:list"), {"q": query})
    assert _page_names(response) == {"张三"}


def test_pinyin_prefix_finds_every_matching_name(client_for, zhang_san):
    response = client_for("staff").get(reverse("deputies:list"), {"q": "zhang"})
    assert _page_names(response) == {"张三", "张甲一"}


@pytest.mark.parametrize("query", ["zhangsan", "zs", "张三"])
def test_api_deputy_filter_shares_the_search(client_for, zhang_san, query):
    rows = client_for("staff").get("/api/v1/deputies/", {"q": query}).json()["results"]
    assert [row["name"] for row in rows] == ["张三"]


@pytest.mark.parametrize("query", ["zhangsan", "zs", "张三"])
def test_admin_finds_a_deputy_by_pinyin(client_for, zhang_san, query):
    url = reverse("admin:directory_deputy_changelist")
    response = client_for("staff").get(url, {"q": query})
    assert [d.pk for d in response.context["cl"].result_list] == [zhang_san.pk]


def test_the_search_stays_in_scope(client_for, world):
    f.make_deputy(world.home_a2, name="张三")
    response = client_for("township").get(reverse("deputies:list"), {"q": "zs"})
    assert _page_names(response) == set()


def test_the_keys_follow_the_name(zhang_san):
    assert (zhang_san.name_pinyin, zhang_san.name_initials) == ("zhangsan", "zs")
    zhang_san.name = "李四"
    zhang_san.save(update_fields=["name"])
    zhang_san.refresh_from_db()
    assert (zhang_san.name_pinyin, zhang_san.name_initials) == ("lisi", "ls")


def test_bulk_creators_fill_the_keys_with_the_hashes(world):
    deputy = Deputy(name="王五", id_number="", phone="")
    deputy.fill_hashes()  # what seed_demo calls before bulk_create
    assert (deputy.name_pinyin, deputy.name_initials) == ("wangwu", "ww")


def test_the_data_migration_fills_existing_rows(zhang_san):
    Deputy.objects.update(name_pinyin="", name_initials="")
    migration = importlib.import_module("deputies.migrations.0013_deputy_name_pinyin")
    migration.fill_name_keys(apps, None)
    zhang_san.refresh_from_db()
    assert (zhang_san.name_pinyin, zhang_san.name_initials) == ("zhangsan", "zs")


def test_score_filter_searches_pinyin(world, zhang_san):
    from django.utils import timezone

    from deputies.models import DutyScore
    from deputies.selectors import ScoreFilter

    for deputy in (zhang_san, world.deputy_a1):
        DutyScore.objects.create(
            deputy=deputy,
            year=2026,
            total=0,
            contact=0,
            suggestion=0,
            activity=0,
            acts=0,
            computed_at=timezone.now(),
        )
    filterset = ScoreFilter({"q": "zs"}, queryset=DutyScore.objects.all())
    assert [score.deputy_id for score in filterset.qs] == [zhang_san.pk]


def test_pinyin_search_query_count_is_that_of_a_name_search(client_for, world, zhang_san):
    client = client_for("staff")
    url = reverse("deputies:list")
    by_name = count_queries(client, f"{url}?q=张三")
    assert count_queries(client, f"{url}?q=zs") == by_name
    grow(world, 24)
    assert count_queries(client, f"{url}?q=zhang") == by_name


@pytest.mark.parametrize(
    "text",
    ["张三", "王小明", "欧阳·娜娜", "重庆", "长江", "单于", "尉迟恭", "银行行长", "代表12345",
     "李a1", "ABC", "曾参", "朝阳区第3选区", "绿", "嗯"],
)  # fmt: skip
def test_the_name_keys_are_pypinyins_two_styles_in_one_pass(text):
    from pypinyin import Style, lazy_pinyin

    from core.pinyin import keys

    full = "".join(lazy_pinyin(text)).lower()
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
    assert keys(text) == (full, initials)
