"""The 三零 check reads its two lists through the one reader: a GBK CSV, an .xls or an .ods gives
the same findings as the .xlsx files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elections.models import RegistrationCheck
from tests.tablefiles import write_table

from .builders import ELECTION_DAY, hand_built_rows


def as_excel_csv_shows(rows: list[list]) -> list[list]:
    """What Excel writes to a CSV for a number cell in the General format: 5.10824E+17."""
    return [
        [f"{value:.5E}" if isinstance(value, int) and value > 10**15 else value for value in row]
        for row in rows
    ]


def run_check(client, world, population: bytes, voters: bytes, callbacks) -> RegistrationCheck:
    with callbacks(execute=True):
        response = client.post(
            reverse("elections:check_new"),
            {
                "county": world.county_a.pk,
                "election_day": ELECTION_DAY.isoformat(),
                "voter_file": SimpleUploadedFile("选民名册", voters),
                "population_file": SimpleUploadedFile("人口信息", population),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return RegistrationCheck.objects.latest("pk")


@pytest.mark.parametrize(
    ("population_format", "voter_format"),
    [("csv", "xls"), ("ods", "csv"), ("xls", "ods"), ("xlsx", "xlsx")],
)
def test_every_format_gives_the_findings_of_the_xlsx_files(
    world,
    client_for,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    population_format,
    voter_format,
):
    settings.MEDIA_ROOT = tmp_path
    population, voters, expected = hand_built_rows(world.a1.name, world.a2.name)
    title = [["苍溪县选民名册"], []]

    def file(rows, fmt):
        if fmt == "csv":
            return write_table(as_excel_csv_shows(rows), "csv", encoding="gbk")
        return write_table(rows, fmt, merge=("A1:D1",) if rows[0] == title[0] else ())

    check = run_check(
        client_for("staff"),
        world,
        file(population, population_format),
        file(title + voters, voter_format),
        django_capture_on_commit_callbacks,
    )
    assert check.status == RegistrationCheck.Status.DONE, check.error
    assert set(check.findings.values_list("kind", "reason", "name")) == expected
    assert (check.voter_rows, check.population_rows) == (13, 14)
    assert (check.missing, check.wrong, check.duplicate) == (3, 7, 2)
    rows = dict(check.findings.filter(reason="bad_id").values_list("name", "row"))
    assert rows == {"乙数字": 5, "辰错号": 11, "巳科学": 12}  # rows as Excel numbers them


def test_a_file_that_is_no_table_is_refused_before_queueing(world, client_for):
    population, _voters, _expected = hand_built_rows(world.a1.name, world.a2.name)
    response = client_for("staff").post(
        reverse("elections:check_new"),
        {
            "county": world.county_a.pk,
            "election_day": ELECTION_DAY.isoformat(),
            "voter_file": SimpleUploadedFile("选民名册.xls", b"%PDF-1.4 a scan of the list"),
            "population_file": SimpleUploadedFile(
                "人口信息.csv", write_table(population, "csv", encoding="gbk")
            ),
        },
    )
    assert response.status_code == 200
    assert (
        "选民名册:这是PDF文件,不是表格。请上传 .xlsx、.xls、.ods、.csv 格式的表格文件。"
        in response.content.decode()
    )
    assert not RegistrationCheck.objects.exists()
