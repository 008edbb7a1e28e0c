import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exports import run_export
from core.idnumbers import id_number_from_cell
from core.models import ExportJob
from elections.models import RegistrationCheck, RegistrationFinding
from elections.sanling import voting_age_cutoff

from .builders import ELECTION_DAY, hand_built, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


@pytest.fixture
def files(world):
    return hand_built(world.a1.name, world.a2.name)


@pytest.fixture
def finished_check(
    world, users, files, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    population, voters, _expected = files
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            reverse("elections:check_new"),
            {
                "county": world.county_a.pk,
                "election_day": ELECTION_DAY.isoformat(),
                "voter_file": _upload(voters, "voters.xlsx"),
                "population_file": _upload(population, "population.xlsx"),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return RegistrationCheck.objects.get()


def test_the_report_finds_every_kind_and_nothing_else(finished_check, files):
    check = finished_check
    assert check.status == RegistrationCheck.Status.DONE, check.error
    found = set(check.findings.values_list("kind", "reason", "name"))
    assert found == files[2]
    assert (check.voter_rows, check.population_rows) == (13, 14)
    assert (check.missing, check.wrong, check.duplicate) == (3, 7, 2)
    assert check.findings.count() == 12


def test_findings_keep_no_full_id_number_and_the_files_are_gone(finished_check, world, tmp_path):
    check = finished_check
    assert not check.voter_file and not check.population_file
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
    missing = check.findings.get(name="丁漏登")
    assert missing.id_number_masked.startswith("510824") and "*" in missing.id_number_masked
    assert missing.township_id == world.a1.pk
    assert check.findings.get(name="丑重登").township_id == world.a2.pk
    assert len(missing.id_number_hash) > 20


def test_voting_age_counts_from_election_day():
    assert voting_age_cutoff(datetime.date(2026, 11, 1)) == datetime.date(2008, 11, 1)
    assert voting_age_cutoff(datetime.date(2028, 2, 29)) == datetime.date(2010, 2, 28)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("510824197005060011 ", "510824197005060011"),
        ("510824197005060011", "510824197005060011"),
        ("51082419700506001x", "51082419700506001X"),
        (510824197005060011, "510824197005060011"),
        ("5.10824E+17", "510824000000000000"),
        (None, ""),
    ],
)
def test_id_numbers_from_spreadsheet_cells(cell, expected):
    assert id_number_from_cell(cell) == expected


def test_township_staff_read_only_their_township(finished_check, client_for, world):
    url = reverse("elections:check_detail", args=[finished_check.pk])
    # Township staff may not see personal data: voters' names show as 丁**.
    page = client_for("township").get(url).content.decode()
    assert "丁**" in page and "丑**" not in page  # 丑's second registration is in A2
    assert "丁漏登" not in page
    outsider = client_for("outsider").get(url).content.decode()
    assert "丑**" in outsider and "丁**" not in outsider
    api = client_for("township").get(reverse("registration-finding-list")).json()
    names = {row["name"] for row in api["results"]}
    assert "丁**" in names and "丑**" not in names
    staff = client_for("staff").get(reverse("registration-finding-list")).json()
    assert "丁漏登" in {row["name"] for row in staff["results"]}


@pytest.mark.parametrize("role", ["member", "keeper", "deputy", "unit", "township"])
def test_only_county_staff_and_the_administrator_run_a_check(role, client_for, world, files):
    population, voters, _ = files
    response = client_for(role).post(
        reverse("elections:check_new"),
        {
            "county": world.county_a.pk,
            "election_day": ELECTION_DAY.isoformat(),
            "voter_file": _upload(voters, "v.xlsx"),
            "population_file": _upload(population, "p.xlsx"),
        },
    )
    assert response.status_code == 403
    assert not RegistrationCheck.objects.exists()


def test_staff_cannot_run_a_check_for_another_county(client_for, world, files):
    population, voters, _ = files
    response = client_for("staff").post(
        reverse("elections:check_new"),
        {
            "county": world.county_b.pk,
            "election_day": ELECTION_DAY.isoformat(),
            "voter_file": _upload(voters, "v.xlsx"),
            "population_file": _upload(population, "p.xlsx"),
        },
    )
    assert response.status_code == 200  # not a choice: the form refuses it
    assert not RegistrationCheck.objects.exists()


def test_a_file_without_the_columns_is_refused_before_queueing(client_for, world, files):
    population, _voters, _ = files
    response = client_for("staff").post(
        reverse("elections:check_new"),
        {
            "county": world.county_a.pk,
            "election_day": ELECTION_DAY.isoformat(),
            "voter_file": _upload(workbook_bytes([["姓名", "电话"], ["张三", "1"]]), "v.xlsx"),
            "population_file": _upload(population, "p.xlsx"),
        },
    )
    assert response.status_code == 200
    assert "找不到表头" in response.content.decode()
    assert not RegistrationCheck.objects.exists()


def test_excel_report_per_township(finished_check, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(
        user=users["staff"],
        exporter="registration_findings",
        params={"check": finished_check.pk},
    )
    assert run_export(str(job.pk)) == "done"
    job.refresh_from_db()
    workbook = openpyxl.load_workbook(io.BytesIO(job.file.read()), read_only=True)
    summary, listing = workbook.worksheets
    summary_rows = [row for row in summary.iter_rows(values_only=True) if row[0]]
    assert summary.title == "分乡镇统计" and listing.title == "问题清单"
    totals = {row[0]: row[1:] for row in summary_rows[2:]}
    assert sum(row[3] for row in totals.values()) == 12
    listed = [row for row in listing.iter_rows(min_row=3, values_only=True) if row[0]]
    assert len(listed) == 12
    assert all("*" in row[5] for row in listed if row[3] != "公民身份号码有误")


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_the_findings(finished_check, client_for, world):
    client = client_for("staff")
    urls = [
        reverse("elections:check_detail", args=[finished_check.pk]),
        reverse("elections:check_list"),
    ]
    before = [_page_queries(client, url) for url in urls]
    RegistrationFinding.objects.bulk_create(
        RegistrationFinding(
            check_run=finished_check,
            kind="missing",
            reason="not_registered",
            township=world.a1,
            township_name=f"镇{i % 7}",
            village_name="村",
            name=f"人{i}",
        )
        for i in range(120)
    )
    RegistrationCheck.objects.bulk_create(
        RegistrationCheck(county=world.county_a, election_day=ELECTION_DAY) for _ in range(5)
    )
    after = [_page_queries(client, url) for url in urls]
    assert before == after


def test_a_failed_run_says_why_keeps_nothing_and_a_repeat_is_a_no_op(world, settings, tmp_path):
    from core.crypto import SealedContent
    from elections.services import registration_check_execute

    settings.MEDIA_ROOT = tmp_path
    check = RegistrationCheck.objects.create(county=world.county_a, election_day=ELECTION_DAY)
    voters = SealedContent(io.BytesIO(workbook_bytes([["姓名"], ["张三"]])))
    check.voter_file.save("v.sealed", voters, save=False)
    check.population_file.save("p.sealed", SealedContent(io.BytesIO(workbook_bytes([["姓名"]]))))
    assert registration_check_execute(check.pk) == "failed"
    check.refresh_from_db()
    assert check.status == RegistrationCheck.Status.FAILED
    assert "找不到表头" in check.error
    assert not check.voter_file and not check.population_file
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
    assert registration_check_execute(check.pk) == "skipped"


def test_a_check_lost_with_its_worker_fails_and_its_files_go(world, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from elections.services import registration_checks_expire
    from elections.tasks import expire_stale_checks

    settings.MEDIA_ROOT = tmp_path
    lost = RegistrationCheck.objects.create(
        county=world.county_a, election_day=ELECTION_DAY, status="running"
    )
    lost.population_file.save("p.sealed", ContentFile(b"x"))
    fresh = RegistrationCheck.objects.create(county=world.county_a, election_day=ELECTION_DAY)
    later = timezone.now() + datetime.timedelta(hours=7)
    RegistrationCheck.objects.filter(pk=fresh.pk).update(created_at=later)
    assert registration_checks_expire(now=later) == 1
    lost.refresh_from_db()
    assert lost.status == "failed" and not lost.population_file
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
    assert RegistrationCheck.objects.get(pk=fresh.pk).status == "pending"
    assert expire_stale_checks() == 0
