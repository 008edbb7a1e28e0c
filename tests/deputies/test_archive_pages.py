"""The scores page (ranking, recomputation with progress) and a deputy's archive page."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from deputies import tasks
from deputies.models import DutyRecord, DutyScore, ScoreRun
from deputies.scoring import compute_scores
from tests import factories as f
from tests.querycount import count_queries

K = DutyRecord.Kind
YEAR = timezone.localdate().year
SCORES = reverse("deputies:scores")


def acts(deputy, kind, n, *, start=0, grade=""):
    source_type = ContentType.objects.get_for_model(deputy)
    DutyRecord.objects.bulk_create(
        [
            DutyRecord(
                deputy=deputy,
                kind=kind,
                occurred_on=datetime.date(YEAR, 1, 1 + i % 28),
                title=f"{kind} 第{i + 1}次",
                source_type=source_type,
                source_id=start + i + 1,
                grade=grade,
            )
            for i in range(n)
        ]
    )


def archive(deputy) -> str:
    return reverse("deputies:archive", args=[deputy.pk])


@pytest.fixture
def scored(world):
    acts(world.deputy_a1, K.RECEPTION, 20)  # 40, capped at 24
    acts(world.deputy_a1, K.SUGGESTION, 1, start=100, grade="solved")  # 10
    acts(world.deputy_a2, K.RECEPTION, 17, start=200)  # 34 → 24
    acts(world.deputy_a2, K.ACTIVITY, 5, start=300)  # 10
    acts(world.deputy_b1, K.RECEPTION, 1, start=400)  # too few records to be ranked
    compute_scores(YEAR)
    return world


def test_staff_see_the_ranking_with_shared_ranks(client_for, scored):
    response = client_for("staff").get(SCORES)
    rows = [(s.deputy.name, s.rank, s.total) for s in response.context["page"]]
    assert rows == [
        (scored.deputy_a1.name, 1, Decimal("34.00")),
        (scored.deputy_a2.name, 1, Decimal("34.00")),
    ] or rows == [
        (scored.deputy_a2.name, 1, Decimal("34.00")),
        (scored.deputy_a1.name, 1, Decimal("34.00")),
    ]


def test_too_few_records_are_listed_apart(client_for, scored, world):
    admin = client_for("admin").get(SCORES)
    assert admin.context["unranked"] == 1  # deputy_b1, one record
    assert "未参加排名" in admin.content.decode()


def test_the_ranking_is_within_the_chosen_township(client_for, scored, world):
    other = f.make_deputy(world.home_a2)
    acts(other, K.RECEPTION, 5, start=500)
    compute_scores(YEAR)
    page = client_for("staff").get(SCORES, {"township": world.a2.pk}).context["page"]
    assert [(s.deputy_id, s.rank) for s in page] == [(world.deputy_a2.pk, 1), (other.pk, 2)]
    page = client_for("staff").get(SCORES, {"township": world.a1.pk}).context["page"]
    assert [(s.deputy_id, s.rank) for s in page] == [(world.deputy_a1.pk, 1)]


def test_a_deputy_is_sent_to_their_own_archive(client_for, scored, world):
    response = client_for("deputy").get(SCORES)
    assert response.status_code == 302 and response.url == archive(world.deputy_a1)
    assert client_for("deputy").get(archive(world.deputy_a2)).status_code == 404


def test_the_archive_shows_each_record_its_points_and_the_cap(client_for, scored, world):
    response = client_for("deputy").get(archive(world.deputy_a1))
    html = response.content.decode()
    assert 'data-figure="total">34.00<' in html
    assert "达上限" in html  # receptions: 40 points, cap 24
    rows = response.context["rows"]
    assert len(rows) == 21
    assert sum(points for _record, points in rows) == Decimal("50.00")  # before the cap
    items = {i.kind: i for i in response.context["items"]}
    assert (items[K.RECEPTION].raw_points, items[K.RECEPTION].points) == (40, 24)


def test_a_handling_unit_has_no_archive(client_for, scored, world):
    assert client_for("unit").get(archive(world.deputy_a1)).status_code == 403
    assert client_for("unit").get(SCORES).status_code == 403


def test_staff_recompute_and_the_page_follows_the_run(
    client_for, world, django_capture_on_commit_callbacks
):
    acts(world.deputy_a1, K.RECEPTION, 3)
    client = client_for("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deputies:score_compute"), {"year": YEAR})
    assert response.status_code == 302
    run = ScoreRun.objects.get()
    assert run.status == ScoreRun.Status.DONE and run.deputies == 1
    assert DutyScore.objects.get(deputy=world.deputy_a1, year=YEAR).total == Decimal("6.00")
    status = client.get(reverse("deputies:score_run_status", args=[run.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100


@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy"])
def test_only_staff_may_recompute(client_for, role):
    response = client_for(role).post(reverse("deputies:score_compute"), {"year": YEAR})
    assert response.status_code == 403 and not ScoreRun.objects.exists()


def test_a_bad_year_is_refused_with_a_message(client_for):
    response = client_for("staff").post(reverse("deputies:score_compute"), {"year": YEAR + 1})
    assert "只能计算" in str(list(get_messages(response.wsgi_request))[0])
    assert not ScoreRun.objects.exists()


def test_the_command_and_the_nightly_task(world):
    acts(world.deputy_a1, K.RECEPTION, 2)
    out = StringIO()
    call_command("compute_scores", "--year", str(YEAR), stdout=out)
    assert f"{YEAR}: scored 1 deputies" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("compute_scores", "--year", "1999")
    assert tasks.compute_scores_nightly.delay().get()[YEAR] == 1


def test_page_query_counts_do_not_grow_with_data(client_for, scored, world):
    client = client_for("staff")
    scores_before = count_queries(client, SCORES)
    archive_before = count_queries(client, archive(world.deputy_a1))
    for i in range(8):
        deputy = f.make_deputy(world.home_a1)
        acts(deputy, K.RECEPTION, 4, start=1000 * (i + 1))
    acts(world.deputy_a1, K.ACTIVITY, 6, start=9000)
    compute_scores(YEAR)
    assert count_queries(client, SCORES) == scores_before
    assert count_queries(client, archive(world.deputy_a1)) == archive_before


API = reverse("duty-score-list")


def test_the_api_lists_scores_with_filters(client_for, scored, world):
    data = client_for("staff").get(API, {"year": YEAR}).json()
    assert {row["deputy"] for row in data["results"]} == {
        world.deputy_a1.pk,
        world.deputy_a2.pk,
    }
    township = client_for("staff").get(API, {"year": YEAR, "township": world.a1.pk}).json()
    assert [row["deputy"] for row in township["results"]] == [world.deputy_a1.pk]
    assert client_for("staff").get(API, {"year": YEAR - 1}).json()["results"] == []


def test_a_deputy_reads_only_their_own_score_over_the_api(client_for, scored, world):
    data = client_for("deputy").get(API).json()
    assert [row["deputy"] for row in data["results"]] == [world.deputy_a1.pk]
    other = DutyScore.objects.get(deputy=world.deputy_a2)
    assert (
        client_for("deputy").get(reverse("duty-score-detail", args=[other.pk])).status_code == 404
    )
    assert client_for("unit").get(API).status_code == 403


def test_a_bad_filter_is_refused_with_400(client_for, scored):
    assert client_for("staff").get(API, {"year": "abc"}).status_code == 400


def _download(client, job):
    import io

    import openpyxl

    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_scores_export_ranks_like_the_page(
    client_for, scored, django_capture_on_commit_callbacks
):
    from core.models import ExportJob

    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_start", args=["duty_scores"]), {"year": YEAR})
    book = _download(client, ExportJob.objects.get())
    rows = list(book["考核得分"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[4], r[8]) for r in rows] == [(1, 34, 21), (1, 34, 22), ("未排名", 2, 1)]
    items = list(book["得分明细"].iter_rows(min_row=3, values_only=True))
    assert len(items) == 5


def test_a_deputy_exports_their_own_archive_only(
    client_for, scored, world, django_capture_on_commit_callbacks
):
    from core.models import ExportJob

    client = client_for("deputy")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("export_start", args=["deputy_archive"]),
            {"year": YEAR, "deputy": world.deputy_a1.pk},
        )
        refused = client.post(
            reverse("export_start", args=["deputy_archive"]),
            {"year": YEAR, "deputy": world.deputy_a2.pk},
        )
    assert "无权查看" in str(list(get_messages(refused.wsgi_request))[-1])
    book = _download(client, ExportJob.objects.get())
    records = list(book["履职记录"].iter_rows(min_row=3, values_only=True))
    assert len(records) == 21 and sum(r[3] for r in records) == 50
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_start", args=["duty_scores"]), {"year": YEAR})
    assert ExportJob.objects.count() == 1  # deputies do not export the county's scores
