from django.urls import reverse


def test_detail_url_is_the_list_url_plus_the_id():
    # The list template builds detail links this way (one reverse() per page, not per row).
    assert reverse("deputies:detail", args=[42]) == reverse("deputies:list") + "42/"
    assert reverse("stations:detail", args=[42]) == reverse("stations:list") + "42/"
