"""A citizen's name and number on an opinion: masked for everyone, shown in full to committee
staff (the personal-data permission) who ask, so they can call back, and every reveal logged."""

from django.urls import reverse

from core.models import PersonalDataAccess

from .test_opinions import VOTER_NAME, VOTER_PHONE, make_opinion


def test_staff_reveal_the_citizens_contact_and_the_reveal_is_logged(world, client_for):
    opinion = make_opinion(world.home_a1, voter_name=VOTER_NAME, voter_phone=VOTER_PHONE)
    url = reverse("stations:opinion_detail", args=[opinion.pk])
    staff = client_for("staff")
    masked = staff.get(url).content.decode()
    assert VOTER_PHONE not in masked and "138****5678" in masked
    assert "显示完整姓名和电话" in masked
    assert not PersonalDataAccess.objects.exists()
    shown = staff.get(url, {"reveal": "1"}).content.decode()
    assert f'href="tel:{VOTER_PHONE}"' in shown and VOTER_NAME in shown
    entry = PersonalDataAccess.objects.get()
    assert (entry.record_type, entry.record_id) == ("stations.Opinion", str(opinion.pk))
    assert entry.fields == "voter_name,voter_phone"


def test_roles_without_the_permission_are_refused_the_reveal_and_see_it_masked(world, client_for):
    opinion = make_opinion(world.home_a1, voter_name=VOTER_NAME, voter_phone=VOTER_PHONE)
    url = reverse("stations:opinion_detail", args=[opinion.pk])
    for role in ("keeper", "township", "deputy"):
        client = client_for(role)
        page = client.get(url).content.decode()
        assert VOTER_PHONE not in page and "显示完整姓名和电话" not in page, role
        assert client.get(url, {"reveal": "1"}).status_code == 403, role
    assert not PersonalDataAccess.objects.exists()
