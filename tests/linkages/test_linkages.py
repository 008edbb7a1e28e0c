"""三联: committee members paired with deputies and deputies linked with voters, each contact a
duty act; the limit of three; personal data of voters stays masked."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import PersonalDataAccess
from deputies.models import DutyRecord
from linkages import services
from linkages.models import MemberContact, MemberLink, Voter, VoterContact
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
LINKS = reverse("linkages:member_links")
VOTERS = reverse("linkages:voters")


def pair(users, deputy, member=None):
    return services.member_link_create(
        user=users["staff"], member=member or users["member"], deputy=deputy, started_on=TODAY
    )


def contact_url(link) -> str:
    return reverse("linkages:member_contact_new", args=[link.pk])


def contact_data(**overrides) -> dict:
    return {"date": TODAY.isoformat(), "mode": "face", "summary": "面对面听取意见", **overrides}


def test_a_member_pairs_with_at_most_three_deputies(users, world):
    first, *_rest = [pair(users, f.make_deputy(world.home_a1)) for _ in range(3)]
    with pytest.raises(DomainError, match="不超过3名"):
        pair(users, world.deputy_a1)
    MemberLink.objects.filter(pk=first.pk).update(ended_on=TODAY)  # one pairing ends
    assert pair(users, world.deputy_a1).deputy == world.deputy_a1


def test_only_county_members_and_staff_pair(users, world):
    with pytest.raises(DomainError, match="本县常委会组成人员"):
        pair(users, world.deputy_a1, member=users["township"])
    with pytest.raises(DomainError, match="工作人员"):
        services.member_link_create(
            user=users["member"], member=users["member"], deputy=world.deputy_a1, started_on=TODAY
        )


def test_the_admin_form_enforces_the_limit(client_for, users, world):
    for _ in range(3):
        pair(users, f.make_deputy(world.home_a1))
    response = client_for("staff").post(
        reverse("admin:linkages_memberlink_add"),
        {
            "member": users["member"].pk,
            "deputy": world.deputy_a1.pk,
            "started_on": TODAY.isoformat(),
            "contacts-TOTAL_FORMS": 0,
            "contacts-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and "不超过3名" in response.content.decode()
    assert MemberLink.objects.count() == 3


def test_the_member_logs_a_contact_which_is_a_duty_act(client_for, users, world):
    link = pair(users, world.deputy_a1)
    response = client_for("member").post(contact_url(link), contact_data())
    assert response.status_code == 302
    contact = MemberContact.objects.get()
    record = DutyRecord.objects.get(kind=DutyRecord.Kind.MEMBER_CONTACT)
    assert record.deputy == world.deputy_a1 and record.source_id == contact.pk
    html = client_for("member").get(LINKS).content.decode()
    assert world.deputy_a1.name in html and TODAY.strftime("%Y-%m-%d") in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "不能晚于今天"),
        ({"summary": ""}, "该字段是必填项"),
        ({"mode": "carrier-pigeon"}, "选择一个有效的选项"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_saved(client_for, users, world, overrides, message):
    link = pair(users, world.deputy_a1)
    response = client_for("member").post(contact_url(link), contact_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not MemberContact.objects.exists() and not DutyRecord.objects.exists()


def test_an_ended_pairing_takes_no_contacts(client_for, users, world):
    link = pair(users, world.deputy_a1)
    MemberLink.objects.filter(pk=link.pk).update(ended_on=TODAY)
    response = client_for("member").post(contact_url(link), contact_data())
    assert "已经结束" in response.content.decode() and not MemberContact.objects.exists()


def test_another_member_may_not_log_for_a_pairing(client_for, users, world):
    link = pair(users, world.deputy_a1)
    other = f.make_user("committee_member", "t_member2", county=world.county_a)
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.post(contact_url(link), contact_data()).status_code == 403


def test_a_deputy_calls_their_own_voters_and_every_view_is_logged(client_for, users, world):
    client = client_for("deputy")
    response = client.post(VOTERS, {"name": "王德明", "phone": "13812345678", "village": ""})
    assert response.status_code == 302
    voter = Voter.objects.get()
    assert voter.deputy == world.deputy_a1 and voter.name == "王德明"
    html = client.get(VOTERS).content.decode()
    # Issue 19: the deputy is the one who calls them, so their numbers are shown in full.
    assert "王德明" in html and 'href="tel:13812345678"' in html
    entry = PersonalDataAccess.objects.get(user=users["deputy"])
    assert (entry.record_type, entry.record_id, entry.fields) == (
        "linkages.Voter",
        str(voter.pk),
        "name,phone",
    )
    # Others see them masked and nothing is logged for them.
    staff_html = client_for("staff").get(VOTERS).content.decode()
    assert "13812345678" not in staff_html and voter.name_masked in staff_html
    assert PersonalDataAccess.objects.count() == 1
    # The API stays masked for everyone.
    api = client.get(reverse("voter-list")).json()["results"][0]
    assert "name" not in api and "phone" not in api and api["phone_masked"] == "138****5678"


def test_a_voter_contact_is_a_visit_in_the_archive(client_for, users, world):
    voter = services.voter_add(user=users["deputy"], deputy=world.deputy_a1, name="李桂花")
    url = reverse("linkages:voter_contact_new", args=[voter.pk])
    response = client_for("deputy").post(url, contact_data(opinion="希望修通组路"))
    assert response.status_code == 302
    contact = VoterContact.objects.get()
    record = DutyRecord.objects.get(kind=DutyRecord.Kind.VOTER_VISIT)
    assert record.source_type == ContentType.objects.get_for_model(VoterContact)
    assert record.source_id == contact.pk
    assert record.title == f"联系选民{voter.name_masked}" and "李桂花" not in record.title


def test_voters_of_another_deputy_are_out_of_reach(client_for, users, world):
    voter = services.voter_add(user=users["staff"], deputy=world.deputy_a2, name="张三")
    url = reverse("linkages:voter_contact_new", args=[voter.pk])
    assert client_for("deputy").get(url).status_code == 404
    assert client_for("unit").get(VOTERS).status_code == 403


def test_a_village_outside_the_township_is_refused(users, world):
    far = f.make_village(world.a2)
    with pytest.raises(DomainError, match="所在的乡镇"):
        services.voter_add(user=users["deputy"], deputy=world.deputy_a1, name="赵四", village=far)
    assert not Voter.objects.exists()


def test_a_member_reads_voters_but_does_not_keep_them(client_for, users, world):
    url = f"{VOTERS}?deputy={world.deputy_a1.pk}"
    assert client_for("member").get(url).status_code == 200
    assert client_for("member").post(url, {"name": "x"}).status_code == 403
    assert not Voter.objects.exists()


def test_page_query_counts_do_not_grow(client_for, users, world):
    staff = client_for("staff")
    pair(users, world.deputy_a1)
    services.voter_add(user=users["staff"], deputy=world.deputy_a1, name="甲")
    links_before = count_queries(staff, LINKS)
    voters_before = count_queries(staff, VOTERS)
    for i in range(4):
        member = f.make_user("committee_member", f"t_m{i}", county=world.county_a)
        link = pair(users, f.make_deputy(world.home_a1), member=member)
        services.member_contact_log(user=member, link=link, date=TODAY, mode="phone", summary="x")
        voter = services.voter_add(user=users["staff"], deputy=world.deputy_a1, name=f"乙{i}")
        services.voter_contact_log(
            user=users["staff"], voter=voter, date=TODAY, mode="face", summary="y"
        )
    assert count_queries(staff, LINKS) == links_before
    assert count_queries(staff, VOTERS) == voters_before
