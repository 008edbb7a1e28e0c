from django.urls import reverse

from core.models import PersonalDataAccess
from tests.querycount import count_queries, grow


def names(response) -> set[str]:
    return {deputy.name for deputy in response.context["page"]}


def test_deputy_list_shows_levels_station_and_groups(client_for, world):
    response = client_for("staff").get(reverse("deputies:list"))
    html = response.content.decode()
    assert names(response) == {"张甲一", "李联络", "王甲二"}
    assert "县人大代表" in html and "乡镇人大代表" in html and "教育卫生小组" in html


def test_deputy_list_filters(client_for, world):
    client = client_for("staff")
    assert names(client.get("/deputies/?level=township")) == {"李联络"}
    assert names(client.get(f"/deputies/?township={world.a2.pk}")) == {"王甲二"}
    assert names(client.get(f"/deputies/?station={world.liaison_a1.pk}")) == {"李联络"}
    assert names(client.get(f"/deputies/?group={world.group_a.pk}")) == {"张甲一", "王甲二"}
    assert names(client.get("/deputies/?q=王")) == {"王甲二"}
    assert names(client.get("/deputies/?directly_elected=true")) == {"张甲一", "李联络", "王甲二"}
    assert names(client.get("/deputies/?directly_elected=false")) == set()


def test_staff_may_search_by_id_number_but_township_staff_may_not(client_for, world):
    number = world.deputy_a1.id_number
    assert names(client_for("staff").get(f"/deputies/?q={number}")) == {"张甲一"}
    assert names(client_for("township").get(f"/deputies/?q={number}")) == set()


def test_personal_data_is_masked_by_default_even_for_committee_staff(client_for, world):
    deputy = world.deputy_a1
    for role in ("township", "staff"):
        html = client_for(role).get(reverse("deputies:detail", args=[deputy.pk])).content.decode()
        assert deputy.id_number not in html and deputy.phone not in html
        # The masks written out: region and last four of 18; prefix and last four of 11.
        assert f"{deputy.id_number[:6]}********{deputy.id_number[-4:]}" in html
        assert f"{deputy.phone[:3]}****{deputy.phone[-4:]}" in html


def test_committee_staff_reveals_personal_data_and_the_access_is_logged(client_for, users, world):
    deputy = world.deputy_a1
    url = reverse("deputies:detail", args=[deputy.pk])
    assert "?reveal=1" in client_for("staff").get(url).content.decode()
    html = client_for("staff").get(url + "?reveal=1").content.decode()
    assert deputy.id_number in html and deputy.phone in html
    entry = PersonalDataAccess.objects.get()
    assert entry.user == users["staff"]
    assert (entry.record_type, entry.record_id) == ("directory.Deputy", str(deputy.pk))
    assert entry.action == "view" and entry.ip_address == "127.0.0.1"


def test_township_staff_may_not_reveal(client_for, world):
    url = reverse("deputies:detail", args=[world.deputy_a1.pk])
    assert "?reveal=1" not in client_for("township").get(url).content.decode()
    assert client_for("township").get(url + "?reveal=1").status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_list_page_masks_every_row_for_a_keeper(client_for, world):
    html = client_for("keeper").get(reverse("deputies:list")).content.decode()
    assert world.deputy_a1.id_number not in html
    number = world.deputy_a1.id_number
    assert f"{number[:6]}********{number[-4:]}" in html


def test_deputy_detail_shows_mandates(client_for, world):
    html = (
        client_for("deputy")
        .get(reverse("deputies:detail", args=[world.deputy_a1.pk]))
        .content.decode()
    )
    assert "第十八届" in html and "直接选举" in html and "甲一镇代表之家" in html


def test_deputy_cannot_open_a_deputy_of_another_station(client_for, world):
    client = client_for("deputy")
    assert (
        client.get(reverse("deputies:detail", args=[world.deputy_a1_liaison.pk])).status_code == 404
    )


def test_bad_page_number_shows_a_valid_page(client_for, world):
    response = client_for("staff").get("/deputies/?page=abc")
    assert response.status_code == 200 and response.context["page"].number == 1


def test_deputy_list_query_count_does_not_grow_with_data(client_for, world):
    client = client_for("staff")
    url = "/deputies/?level=county"
    grow(world, 10)
    small = count_queries(client, url)
    grow(world, 30)
    assert count_queries(client, url) == small
    # session, user, permissions (2), 4 filter choices, count, page, mandates, groups
    assert small <= 12


def test_deputy_detail_query_count_is_fixed(client_for, world):
    client = client_for("staff")
    url = reverse("deputies:detail", args=[world.deputy_a1.pk])
    small = count_queries(client, url)
    grow(world, 12)
    assert count_queries(client, url) == small
