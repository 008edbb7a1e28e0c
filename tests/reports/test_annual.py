"""The annual report (年度工作报告): the workbook's sheets, its overview against the staff pages, the
page, the API and the command; periods and bad input; formula injection; masked personal data;
the export job; access; query counts."""

import datetime
import io
import os
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core import exports
from core.models import ExportJob, PersonalDataAccess
from deputies.models import DutyScore, Training, TrainingAttendance
from directory.models import Deputy, Station
from dutyreports.models import DutyReport
from oversight import services as oversight_services
from reports.exporters import AnnualReportExporter
from stations.models import Reception, ReceptionDay, StationActivity
from suggestions.models import Assignment, Reply, ReplyCategory, Suggestion
from tests import factories as f
from tests.oversight.builders import make_inspection
from tests.querycount import count_queries, grow

TODAY = timezone.localdate()
YEAR = TODAY.year
START = reverse("export_start", args=["annual_report"])
ANNUAL = reverse("reports:annual")
API = reverse("annual-overview-list")
SHEETS = ["概况", "代表", "家站", "代表建议", "执法检查", "改进建议", "监督议题", "履职培训"]
IN_YEAR = datetime.date(YEAR, 3, 15)
LAST_YEAR = datetime.date(YEAR - 1, 12, 15)


# --- data -----------------------------------------------------------------------------------


def reception_day(station, date, receptions=(), status=ReceptionDay.Status.PLANNED):
    """A reception day with ``(deputy, voters)`` receptions."""
    keeper = f.make_user(Role.STATION_KEEPER, station=station)
    day = ReceptionDay.objects.create(station=station, date=date, status=status)
    for deputy, voters in receptions:
        Reception.objects.create(
            reception_day=day, deputy=deputy, voters_received=voters, logged_by=keeper
        )
    return day


def activity(station, date, user, theme="主题活动"):
    return StationActivity.objects.create(
        station=station, kind=StationActivity.Kind.THEMED, date=date, theme=theme, created_by=user
    )


def training(county, name, start, hours, deputies):
    course = Training.objects.create(
        county=county,
        name=name,
        kind=Training.Kind.FOUNDATION,
        mode=Training.Mode.CLASSROOM,
        start_date=start,
        end_date=start,
        hours=hours,
    )
    for deputy in deputies:
        TrainingAttendance.objects.create(training=course, deputy=deputy, hours=hours)
    return course


def suggestion(users, world, deputy, title="关于硬化村道的建议"):
    sug = Suggestion.objects.create(
        number=f"{YEAR}-{Suggestion.objects.count() + 1:03d}",
        title=title,
        content="内容",
        category="roads",
        county_id=deputy.station.county_id,
        lead_deputy=deputy,
        created_by=users["admin"],
        status=Suggestion.Status.REPLIED,
        submitted_at=timezone.now(),
        deadline=TODAY + datetime.timedelta(days=30),
    )
    unit = world.unit_a if deputy.station.county_id == world.county_a.pk else world.unit_b
    Assignment.objects.create(
        suggestion=sug,
        unit=unit,
        role=Assignment.Role.LEAD,
        round=1,
        assigned_on=TODAY,
        deadline=sug.deadline,
    )
    Reply.objects.create(
        suggestion=sug,
        unit=unit,
        round=1,
        category=ReplyCategory.objects.get(code="A"),
        text="已解决",
        replied_on=TODAY,
        replied_by=users["unit"],
    )
    return sug


@pytest.fixture
def data(world, users):
    """County A in the year: a score and a duty report for deputy_a1, 3 receptions (8 voters) at
    home_a1 on one day and 1 at liaison_a1, an activity, a course with 2 trainees, a suggestion.
    Outside the year or the county: a reception last year, county B's reception, course and
    suggestion."""
    DutyScore.objects.create(
        deputy=world.deputy_a1,
        year=YEAR,
        total=Decimal("86.50"),
        contact=Decimal("40.00"),
        suggestion=Decimal("30.00"),
        activity=Decimal("16.50"),
        acts=12,
        computed_at=timezone.now(),
    )
    DutyScore.objects.create(  # another year: not this year's score
        deputy=world.deputy_a2,
        year=YEAR - 1,
        total=Decimal("50"),
        contact=Decimal("0"),
        suggestion=Decimal("0"),
        activity=Decimal("0"),
        acts=1,
        computed_at=timezone.now(),
    )
    campaign = f.make_campaign(
        county=world.county_a,
        year=YEAR,
        deadline=datetime.date(YEAR, 12, 31),
        opened_by=users["staff"],
    )
    DutyReport.objects.create(
        campaign=campaign, deputy=world.deputy_a1, written_text="述职", entered_by=users["staff"]
    )
    extra = f.make_deputy(world.home_a1, name="钱甲三")
    reception_day(world.home_a1, IN_YEAR, [(world.deputy_a1, 5), (extra, 3)])
    reception_day(world.home_a1, IN_YEAR.replace(month=5), [(world.deputy_a1, 2)])
    reception_day(world.liaison_a1, IN_YEAR, [(world.deputy_a1_liaison, 4)])
    reception_day(world.home_a1, LAST_YEAR, [(world.deputy_a1, 7)])
    reception_day(world.home_b1, IN_YEAR, [(world.deputy_b1, 9)])
    activity(world.home_a1, IN_YEAR, users["keeper"])
    activity(world.home_a1, LAST_YEAR, users["keeper"])
    training(world.county_a, "新任代表履职培训班", IN_YEAR, 8, [world.deputy_a1, world.deputy_a2])
    training(world.county_b, "乙县培训班", IN_YEAR, 4, [world.deputy_b1])
    suggestion(users, world, world.deputy_a1)
    suggestion(users, world, world.deputy_b1, title="乙县的建议")
    return campaign


# --- helpers --------------------------------------------------------------------------------


def build(user, params) -> openpyxl.Workbook:
    """The workbook as the export writes it (without the job)."""
    output = io.BytesIO()
    exports.write_workbook(output, AnnualReportExporter(user=user, params=params))
    output.seek(0)
    return openpyxl.load_workbook(output)


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=3, values_only=True))


def overview_of(book) -> dict:
    """The overview sheet's values by label."""
    return {row[1]: row[2] for row in rows(book["概况"])}


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def page_figures(client, params=None) -> dict:
    response = client.get(ANNUAL, params or {})
    assert response.status_code == 200
    return {
        figure.label: figure.value
        for figures in response.context["sections"].values()
        for figure in figures
    }


def start(client, django_capture_on_commit_callbacks, data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(START, data)


def downloaded(client, job) -> openpyxl.Workbook:
    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


# --- 1. sheets and headers ------------------------------------------------------------------


def test_the_workbook_has_its_sheets_headers_and_rows(users, world, data):
    book = build(users["staff"], {"year": YEAR})
    assert book.sheetnames == SHEETS
    for name in SHEETS:
        sheet = book[name]
        assert f"{YEAR}-01-01 至 {YEAR}-12-31" in sheet["A1"].value
        assert sheet["A1"].value.endswith(name)
        assert sheet.freeze_panes == "A3"
    assert [c.value for c in book["概况"][2]] == ["类别", "指标", "数值", "单位", "说明"]
    assert [c.value for c in book["代表"][2]][:8] == [
        "姓名",
        "性别",
        "公民身份号码",
        "手机号码",
        "代表层级",
        "乡镇(街道)",
        "进驻家站",
        "履职积分",
    ]
    assert book["家站"]["A2"].value == "家站" and book["家站"]["G2"].value == "接待记录"
    assert book["履职培训"]["A2"].value == "培训班" and book["履职培训"]["G2"].value == "参训人次"
    assert book["代表建议"]["A2"].value == "编号"

    deputies = {row[0]: row for row in rows(book["代表"])}
    assert set(deputies) == {"张甲一", "李联络", "王甲二", "钱甲三"}  # county A only
    zhang = deputies["张甲一"]
    assert zhang[5] == world.a1.name and zhang[6] == world.home_a1.name
    assert zhang[4] == "县人大代表"
    assert [float(v) for v in zhang[7:11]] == [86.5, 40.0, 30.0, 16.5] and zhang[11] == 12
    assert zhang[12] == "已述职"
    assert deputies["王甲二"][7] is None and deputies["王甲二"][12] == "未述职"  # last year's

    stations = {row[0]: row for row in rows(book["家站"])}
    assert set(stations) == {world.home_a1.name, world.liaison_a1.name, world.home_a2.name}
    home = stations[world.home_a1.name]
    # 进驻代表, 接待日, 接待记录, 接待选民, 家站活动, 开展接待的月份, 应开展月份 (the months
    # already over: the month under way is not yet due, as on the compliance page)
    assert home[4:11] == (2, 2, 3, 10, 1, 2, TODAY.month - 1)
    assert home[11] == ("达标" if TODAY.month == 1 else "未达标")  # no reception in January
    assert stations[world.liaison_a1.name][4:10] == (1, 1, 1, 4, 0, 1)
    assert stations[world.home_a2.name][5:10] == (0, 0, 0, 0, 0)

    (course,) = rows(book["履职培训"])
    assert course[0] == "新任代表履职培训班" and course[1] == "初任筑基"
    assert float(course[5]) == 8 and course[6] == 2 and float(course[7]) == 16

    (register,) = rows(book["代表建议"])
    assert "关于硬化村道的建议" in register


def test_a_role_without_suggestions_has_no_suggestion_sheet(users, world, data, monkeypatch):
    monkeypatch.setattr(
        "reports.exporters.can_read", lambda user, resource: resource != "suggestion"
    )
    book = build(users["staff"], {"year": YEAR})
    assert "代表建议" not in book.sheetnames and book.sheetnames[-1] == "履职培训"


# --- 2. the overview equals the staff pages ---------------------------------------------------


def test_every_overview_figure_equals_the_staff_pages(client_for, users, world, data):
    client = client_for("staff")
    book = build(users["staff"], {"year": YEAR})
    sheet = overview_of(book)
    units = {row[1]: row[3] for row in rows(book["概况"])}
    assert units["接待记录"] == "次" and units["满意率"] == "%"

    stats = client.get(reverse("suggestions:statistics"), {"year": YEAR}).context["statistics"]
    totals = stats.totals
    assert sheet["提出建议"] == totals.total == 1
    assert sheet["交办建议"] == totals.supervised
    assert sheet["推动解决"] == totals.solved == 1
    for label, rate in (("满意率", totals.satisfaction_rate), ("按期答复率", totals.on_time_rate)):
        assert (sheet[label] is None and rate is None) or float(sheet[label]) == float(rate)

    trainings = client.get(reverse("deputies:trainings"), {"year": YEAR}).context["totals"]
    assert sheet["培训班次"] == trainings["courses"] == 1
    assert sheet["培训代表"] == trainings["trainees"] == 2
    assert float(sheet["培训学时"]) == float(trainings["hours"]) == 16

    duty = client.get(reverse("dutyreports:campaign"), {"year": YEAR}).context["totals"]
    assert sheet["应述职代表"] == duty["required"]
    assert sheet["已述职代表"] == duty["reported"] == 1

    dashboard = client.get("/").context
    work, area = dashboard["work"], dashboard["figures"]
    assert sheet["接待记录"] == work.receptions == 4
    assert sheet["接待选民"] == work.voters_received == 14
    assert sheet["家站活动"] == work.activities == 1
    assert sheet["代表之家、联络站"] == area.station_total == 3
    assert sheet["其中:代表之家"] == area.stations_by_kind[Station.Kind.HOME.label] == 2
    assert sheet["其中:代表联络站"] == area.stations_by_kind[Station.Kind.LIAISON.label] == 1
    assert sheet["进驻家站的代表"] == area.deputy_total == 4

    page = page_figures(client, {"year": YEAR})
    assert page.keys() == sheet.keys()
    api = client.get(API, {"year": YEAR}).json()
    assert api["start"] == f"{YEAR}-01-01" and api["end"] == f"{YEAR}-12-31"
    by_label = {figure["label"]: figure["value"] for figure in api["figures"]}
    assert by_label.keys() == sheet.keys()
    for label, value in sheet.items():
        if value is None:
            assert page[label] is None and by_label[label] is None, label
        else:
            assert float(page[label]) == float(value) == float(by_label[label]), label


def test_the_page_shows_the_figures_with_their_keys(client_for, data):
    html = client_for("staff").get(ANNUAL).content.decode()
    assert f"{YEAR}年度" in html
    assert 'data-figure="receptions">4<' in html
    assert 'data-figure="voters_received">14<' in html
    assert START in html


# --- 3. periods and bad input ---------------------------------------------------------------


def test_a_date_range_counts_that_range_only(client_for, users, world, data):
    params = {"start": f"{YEAR}-03-01", "end": f"{YEAR}-04-30"}
    book = build(users["staff"], params)
    assert f"{YEAR}-03-01 至 {YEAR}-04-30" in book["概况"]["A1"].value
    sheet = overview_of(book)
    assert sheet["接待记录"] == 3 and sheet["接待选民"] == 12  # May's reception left out
    assert sheet["家站活动"] == 1 and sheet["培训班次"] == 1
    assert sheet["提出建议"] == int(
        datetime.date(YEAR, 3, 1) <= TODAY <= datetime.date(YEAR, 4, 30)
    )
    home = next(row for row in rows(book["家站"]) if row[0] == world.home_a1.name)
    due = 0 if TODAY.month < 3 else min(TODAY.month, 4) - 2
    assert home[5:10] == (1, 2, 8, 1, 1) and home[10] == due
    assert page_figures(client_for("staff"), params)["接待记录"] == 3
    api = client_for("staff").get(API, params).json()
    assert float({x["key"]: x["value"] for x in api["figures"]}["receptions"]) == 3

    crossing = overview_of(
        build(users["staff"], {"start": f"{YEAR - 1}-12-01", "end": IN_YEAR.isoformat()})
    )
    assert crossing["接待记录"] == 4  # last December's and March's


BAD = [
    ({"start": f"{YEAR}-05-01", "end": f"{YEAR}-01-01"}, "开始日期不能晚于结束日期"),
    ({"start": f"{YEAR}-01-01"}, "请同时填写开始日期和结束日期"),
    ({"end": f"{YEAR}-01-01"}, "请同时填写开始日期和结束日期"),
    ({"start": f"{YEAR}-02-30", "end": f"{YEAR}-03-01"}, "开始日期不是有效的日期"),
    ({"start": "1990-01-01", "end": "1990-12-31"}, "日期超出范围"),
    ({"year": "1999"}, "年度"),
    ({"year": str(YEAR + 1)}, "年度"),
    ({"year": "abc"}, "年度"),
    ({"year": "-2020"}, "年度"),
]


@pytest.mark.parametrize(("params", "text"), BAD)
def test_bad_input_is_refused_everywhere(
    client_for, users, data, params, text, django_capture_on_commit_callbacks, tmp_path
):
    client = client_for("staff")
    page = client.get(ANNUAL, params)
    assert page.status_code == 200 and text in message(page)
    assert page.context["period"].start == datetime.date(YEAR, 1, 1)  # falls back to this year

    api = client.get(API, params)
    assert api.status_code == 400 and text in str(api.json())

    response = start(client, django_capture_on_commit_callbacks, {**params, "next": ANNUAL})
    assert response.status_code == 302 and response.url == ANNUAL
    assert text in message(response)
    assert not ExportJob.objects.exists()

    output = tmp_path / "annual.xlsx"
    options = {key: value for key, value in params.items()}
    if "year" in options:
        if not options["year"].lstrip("-").isdigit():
            return  # argparse's type=int refuses it before the command runs
        options["year"] = int(options["year"])
    with pytest.raises(CommandError, match=text):
        call_command("export_annual_report", output=str(output), user="t_staff", **options)
    assert not output.exists()


def test_a_date_range_is_checked_on_29_february(users, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2028, 2, 29))
    params = AnnualReportExporter.clean_params(
        users["staff"], {"start": "2028-01-01", "end": "2028-02-29"}
    )
    assert params == {"start": "2028-01-01", "end": "2028-02-29"}


def test_the_administrator_overview_sums_every_county_campaign(users, world, data):
    campaign_b = f.make_campaign(
        county=world.county_b,
        year=YEAR,
        deadline=datetime.date(YEAR, 12, 31),
        opened_by=users["admin"],
    )
    DutyReport.objects.create(
        campaign=campaign_b, deputy=world.deputy_b1, written_text="述职", entered_by=users["admin"]
    )
    admin = overview_of(build(users["admin"], {"year": YEAR}))
    staff = overview_of(build(users["staff"], {"year": YEAR}))
    assert staff["已述职代表"] == 1 and admin["已述职代表"] == 2
    assert admin["应述职代表"] == staff["应述职代表"] + 1
    assert "评议优秀" not in admin  # grades once every evaluation closed
    data.evaluation_closed_at = campaign_b.evaluation_closed_at = timezone.now()
    data.save()
    campaign_b.save()
    DutyReport.objects.update(grade="competent")
    closed = overview_of(build(users["admin"], {"year": YEAR}))
    assert closed["评议称职"] == 2 and closed["评议优秀"] == 0


# --- 4. formula injection -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+x", "-x", "@x", '=HYPERLINK("http://x","点我")'])
def test_formula_like_values_stay_text(users, world, value):
    station = f.make_station(world.a1, name=value, address=value)
    f.make_deputy(station, name=value)
    training(world.county_a, value, IN_YEAR, 2, [world.deputy_a1])
    output = io.BytesIO()
    exports.write_workbook(output, AnnualReportExporter(user=users["staff"], params={"year": YEAR}))
    output.seek(0)
    book = openpyxl.load_workbook(output)  # formulas would load as "=..." with data_type "f"
    cells = [
        next(c for c in book["代表"]["A"] if c.value == value),
        next(c for c in book["代表"]["G"] if c.value == value),
        next(c for c in book["家站"]["A"] if c.value == value),
        next(c for c in book["家站"]["D"] if c.value == value),
        next(c for c in book["履职培训"]["A"] if c.value == value),
    ]
    for cell in cells:
        assert cell.data_type == "s" and cell.value == value
    assert b"<f>" not in zip_xml(output)


def zip_xml(output) -> bytes:
    import zipfile

    output.seek(0)
    with zipfile.ZipFile(output) as archive:
        return b"".join(
            archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")
        )


# --- 5. personal data -----------------------------------------------------------------------


def personal(book) -> dict:
    return {row[0]: (row[2], row[3]) for row in rows(book["代表"])}


def test_personal_data_is_masked_by_default_even_for_staff(users, world, data):
    for role in ("staff", "member", "township"):
        values = personal(build(users[role], {"year": YEAR}))
        id_number, phone = values["张甲一"]
        assert id_number == world.deputy_a1.id_number_masked and "*" in id_number
        assert id_number[:6] == "510824" and id_number[-4:] == world.deputy_a1.id_number[-4:]
        assert phone == world.deputy_a1.phone_masked and "*" in phone
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("role", ["member", "township"])
def test_reveal_without_the_permission_is_refused(
    client_for, users, data, role, django_capture_on_commit_callbacks, tmp_path
):
    client = client_for(role)
    response = start(client, django_capture_on_commit_callbacks, {"year": YEAR, "reveal": "1"})
    assert "无权导出完整的身份证号码和手机号码" in message(response)
    assert not ExportJob.objects.exists()
    assert "含完整身份证号码" not in client.get(ANNUAL).content.decode()
    with pytest.raises(CommandError, match="无权导出"):
        call_command(
            "export_annual_report", output=str(tmp_path / "x.xlsx"), user=f"t_{role}", reveal=True
        )


def test_staff_reveal_full_values_and_each_deputy_is_logged(
    client_for, users, world, data, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    assert "含完整身份证号码" in client.get(ANNUAL).content.decode()
    start(client, django_capture_on_commit_callbacks, {"year": YEAR, "reveal": "1"})
    job = ExportJob.objects.get()
    assert job.params == {"year": YEAR, "reveal": True}
    values = personal(downloaded(client, job))
    assert values["张甲一"] == (world.deputy_a1.id_number, world.deputy_a1.phone)
    deputies = Deputy.objects.filter(station__county=world.county_a)
    logged = PersonalDataAccess.objects.filter(user=users["staff"])
    assert logged.count() == deputies.count() == 4
    assert set(logged.values_list("action", flat=True)) == {PersonalDataAccess.Action.EXPORT}
    assert {int(pk) for pk in logged.values_list("record_id", flat=True)} == set(
        deputies.values_list("pk", flat=True)
    )


# --- 6. the export job ----------------------------------------------------------------------


def test_the_export_job_runs_to_the_end_and_expires(
    client_for, users, data, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    before = timezone.now()
    response = start(client, django_capture_on_commit_callbacks, {"year": str(YEAR)})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export_detail", args=[job.pk])
    assert job.exporter == "annual_report" and job.user == users["staff"]
    assert job.status == ExportJob.Status.DONE
    assert job.rows_done == job.rows_total > 0
    assert job.filename == f"代表工作年度报告-{YEAR}.xlsx"
    retention = datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    assert before + retention <= job.expires_at <= timezone.now() + retention
    status = client.get(reverse("export_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100
    book = downloaded(client, job)
    assert book.sheetnames == SHEETS
    assert job.rows_done == sum(len(rows(book[name])) for name in SHEETS)

    other = client_for("member")
    for name in ("export_detail", "export_status", "export_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404

    path = job.file.path
    assert os.path.exists(path)
    assert exports.purge_expired() == 0
    assert exports.purge_expired(now=job.expires_at + datetime.timedelta(seconds=1)) == 1
    assert not ExportJob.objects.exists() and not os.path.exists(path)


def test_a_date_range_job_is_named_after_it(users, data):
    job = exports.start_export(
        user=users["staff"],
        identifier="annual_report",
        data={"start": f"{YEAR}-03-01", "end": f"{YEAR}-04-30"},
    )
    assert exports.run_export(str(job.pk)) == "done"
    job.refresh_from_db()
    assert job.filename == f"代表工作报告-{YEAR}0301-{YEAR}0430.xlsx"
    with job.file.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert overview_of(book)["接待记录"] == 3


# --- 7. access ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["keeper", "deputy", "unit"])
def test_other_roles_are_refused(client_for, role, django_capture_on_commit_callbacks):
    client = client_for(role)
    assert client.get(ANNUAL).status_code == 403
    assert client.get(API).status_code == 403
    response = start(client, django_capture_on_commit_callbacks, {"year": YEAR})
    assert response.status_code == 302 and "无权导出" in message(response)
    assert not ExportJob.objects.exists()
    assert ANNUAL not in client.get("/").content.decode()


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(ANNUAL)
    assert response.status_code == 302 and settings.LOGIN_URL in response.url
    assert client.get(API).status_code in (401, 403)
    assert client.post(START, {"year": YEAR}).status_code == 302
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("role", ["admin", "staff", "member", "township"])
def test_allowed_roles_see_the_page_and_api(client_for, role):
    client = client_for(role)
    assert client.get(ANNUAL).status_code == 200
    assert client.get(API).status_code == 200


def test_township_staff_see_their_township_only(users, world, data):
    book = build(users["township"], {"year": YEAR})
    assert {row[0] for row in rows(book["家站"])} == {world.home_a1.name, world.liaison_a1.name}
    assert world.deputy_a2.name not in {row[0] for row in rows(book["代表"])}
    assert overview_of(book)["接待记录"] == 4
    assert overview_of(build(users["outsider"], {"year": YEAR}))["接待记录"] == 0


# --- 8. the command -------------------------------------------------------------------------


def test_the_command_writes_the_same_workbook(users, world, data, tmp_path):
    output = tmp_path / "annual.xlsx"
    call_command("export_annual_report", year=YEAR, output=str(output), user="t_staff")
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == SHEETS
    assert overview_of(book) == overview_of(build(users["staff"], {"year": YEAR}))
    assert personal(book)["张甲一"][0] == world.deputy_a1.id_number_masked

    default = tmp_path / "default.xlsx"  # the first administrator: every county
    call_command("export_annual_report", output=str(default))
    assert overview_of(openpyxl.load_workbook(default))["接待记录"] == 5


@pytest.mark.parametrize("user", ["t_deputy", "t_keeper", "t_unit", "nobody"])
def test_the_command_refuses_other_users(users, user, tmp_path):
    output = tmp_path / "annual.xlsx"
    with pytest.raises(CommandError):
        call_command("export_annual_report", year=YEAR, output=str(output), user=user)
    assert not output.exists()


# --- 9. query counts ------------------------------------------------------------------------


def more(world, users, n: int) -> None:
    grow(world, n)
    for i in range(n):
        station = f.make_station(world.a2, name=f"新家站{i}")
        deputy = f.make_deputy(station)
        reception_day(station, IN_YEAR, [(deputy, i + 1)])
        activity(station, IN_YEAR, users["keeper"])


def test_the_page_and_api_query_counts_do_not_grow(client_for, users, world, data):
    client = client_for("staff")
    page, api = count_queries(client, ANNUAL), count_queries(client, API)
    more(world, users, 8)
    assert count_queries(client, ANNUAL) == page
    assert count_queries(client, API) == api


@pytest.mark.parametrize("reveal", [False, True])
def test_the_export_query_count_does_not_grow(users, world, data, reveal):
    params = {"year": YEAR, "reveal": reveal}

    def queries() -> int:
        user = type(users["staff"]).objects.get(pk=users["staff"].pk)  # no permission cache
        exporter = AnnualReportExporter(user=user, params=params)
        with CaptureQueriesContext(connection) as ctx:
            exports.write_workbook(io.BytesIO(), exporter, progress=lambda *a: None)
        return len(ctx.captured_queries)

    before = queries()
    more(world, users, 8)
    training(world.county_a, "第二期培训班", IN_YEAR, 4, [world.deputy_a2])
    assert queries() == before


def test_the_oversight_figures_and_sheets_match_the_oversight_pages(client_for, users, world):
    staff = users["staff"]
    inspection = make_inspection(world, staff, deputies=[world.deputy_a1])
    adopted = oversight_services.recommendation_add(
        user=staff, inspection=inspection, unit=world.unit_a, content="加强重点行业巡查"
    )
    oversight_services.recommendation_add(
        user=staff, inspection=inspection, unit=world.unit_a, content="=1+1"
    )
    oversight_services.recommendation_decide(
        user=users["unit"],
        recommendation=adopted,
        status="adopted",
        evidence="已建立巡查台账",
        decided_on=TODAY,
    )
    # Everything in the inspection's year (it began 30 days ago: last year in early January).
    year = inspection.start_date.year
    topic = oversight_services.topic_create(
        user=staff, county=world.county_a, year=year, title="农村饮水安全", unit=world.unit_a
    )
    oversight_services.research_add(
        user=staff,
        topic=topic,
        date=inspection.start_date,
        place="白驿镇",
        deputies=[],
        public_participants="村民代表张某、李某",
        public_count=12,
    )
    oversight_services.research_report_file(
        user=staff,
        topic=topic,
        title="关于农村饮水安全的调研报告",
        filed_on=inspection.start_date,
        summary="调研发现……",
    )

    book = build(staff, {"year": year})
    sheet = overview_of(book)
    client = client_for("staff")
    page = client.get(reverse("oversight:inspections"), {"year": year}).context["figures"]
    assert sheet["执法检查"] == page["inspections"] == 1
    assert sheet["提出改进建议"] == page["recommendations"] == 2
    assert sheet["建议被采纳"] == page["adopted"] == 1
    assert sheet["调研报告"] == 1

    (law_row,) = rows(book["执法检查"])
    assert law_row[0] == inspection.law and law_row[7:9] == (2, 1)
    contents = {row[2]: row for row in rows(book["改进建议"])}
    assert contents["加强重点行业巡查"][3] == "已采纳"
    formula_like = next(c for c in book["改进建议"]["C"] if c.value == "=1+1")
    assert formula_like.data_type == "s"
    (topic_row,) = rows(book["监督议题"])
    assert topic_row[1] == topic.title and topic_row[5] == "关于农村饮水安全的调研报告"

    # A period before the inspection holds none of it.
    early = overview_of(build(staff, {"year": year - 1}))
    assert early["执法检查"] == 0 and early["提出改进建议"] == 0
