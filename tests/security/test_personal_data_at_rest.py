"""After every kind of upload the portal takes, a raw dump shows no ID number and no phone.

Each upload form is used the way a user would, with files that carry personal data where a
phone puts it (the EXIF description and artist, and text appended after the image data), and
with the form's own personal fields filled in (a voter's phone on a reception, the sender's
phone on the 民意直通车 form). Then every column of every table is read with raw SQL, and every
file under MEDIA_ROOT byte by byte: neither may show an ID-number or a phone pattern. Personal
fields are encrypted (core.crypto), photos are re-encoded without metadata (core.photos).

One helper per kind of upload, registered with ``@upload``; a new upload form adds its helper
here and is scanned with the rest.

Spreadsheets are scanned at every step they stop at (core.crypto seals what is kept): each of the
four rosters after the upload (the mapping page shown), after the check and after the commit, and
a 三零 pair while it waits for its run and after it. A zip (an .xlsx) found under MEDIA_ROOT is
scanned inside too, since its compressed bytes would hide the numbers from a byte scan."""

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.idnumbers import make_id_number
from dutyreports.models import DutyReport, Rectification
from elections.models import RegistrationCheck
from linkages.models import Voter
from public.models import OnlineOpinion
from rosters.models import ImportJob
from stations.models import ActivityPhoto, Opinion, ReceptionPhoto, StationActivity
from stations.services.wishes import wish_claim, wish_create
from tests import factories as f
from tests.elections.builders import ELECTION_DAY, hand_built
from tests.public.conftest import captcha_answer
from tests.rosters.helpers import DEPUTY_HEADER, workbook_bytes

from .images import ID_NUMBER, PHONE, exif_jpeg, exif_jpeg_bytes, exif_webp, polyglot

TODAY = timezone.localdate()
# Bounded by anything but a letter or digit, so that random tokens (hashes, ciphertexts, codes)
# do not count, while a number in JSON, in Chinese text or on its own does.
ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
VOTER_PHONE = "13987654321"


@dataclass
class Uploads:
    world: object
    users: dict
    client_for: Callable[[str], Client]


UPLOADS: dict[str, Callable[[Uploads], None]] = {}


def upload(kind: str):
    def register(helper):
        UPLOADS[kind] = helper
        return helper

    return register


def posted(response) -> None:
    assert response.status_code == 302, response.content.decode()[:2000]


@upload("activity photos")
def upload_activity_photos(ctx: Uploads) -> None:
    response = ctx.client_for("keeper").post(
        reverse("stations:activity_new"),
        {
            "station": ctx.world.home_a1.pk,
            "kind": StationActivity.Kind.THEMED,
            "date": TODAY.isoformat(),
            "theme": "乡村振兴宣讲",
            "deputies": [ctx.world.deputy_a1.pk],
            "people_reached": 30,
            "summary": "宣讲政策",
            "photos": [exif_jpeg(), exif_webp(), polyglot("poly.html")],
        },
    )
    posted(response)
    assert ActivityPhoto.objects.count() == 3


@upload("reception with photos and a voter's phone")
def upload_reception(ctx: Uploads) -> None:
    day = f.make_reception_day(ctx.world.home_a1, TODAY, on_duty=[ctx.world.deputy_a1])
    response = ctx.client_for("deputy").post(
        reverse("stations:reception_new"),
        {
            "reception_day": day.pk,
            "deputy": ctx.world.deputy_a1.pk,
            "voters_received": "4",
            "summary": "群众反映村道破损",
            "opinions-TOTAL_FORMS": "1",
            "opinions-INITIAL_FORMS": "0",
            "opinions-0-category": "roads",
            "opinions-0-content": "三组村道雨天泥泞",
            "opinions-0-voter_name": "王大明",
            "opinions-0-voter_phone": VOTER_PHONE,
            "wishes-TOTAL_FORMS": "0",
            "wishes-INITIAL_FORMS": "0",
            "photos": [exif_jpeg("reception.jpg")],
        },
    )
    posted(response)
    assert ReceptionPhoto.objects.count() == 1
    assert Opinion.objects.get(content="三组村道雨天泥泞").voter_phone == VOTER_PHONE


@upload("small wish fulfilled with a photo")
def upload_wish_photo(ctx: Uploads) -> None:
    keeper = ctx.users["keeper"]
    wish = wish_create(
        user=keeper, station=ctx.world.home_a1, person_name="李婆婆", content="取暖器"
    )
    wish = wish_claim(user=keeper, wish=wish, deputy=ctx.world.deputy_a1)
    response = ctx.client_for("deputy").post(
        reverse("stations:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": TODAY.isoformat(), "note": "已送到家中", "photo": exif_jpeg("wish.jpg")},
    )
    posted(response)
    wish.refresh_from_db()
    assert wish.photo


@upload("民意直通车 with a photo and the sender's phone")
def upload_public_opinion(ctx: Uploads) -> None:
    client = Client()
    url = reverse("public:opinion_new")
    client.get(url)
    response = client.post(
        url,
        {
            "station": ctx.world.home_a1.pk,
            "category": "roads",
            "content": "村口道路坑洼,请帮忙反映。",
            "contact": PHONE,
            "captcha": str(captcha_answer(client)),
            "website": "",
            "photo": exif_jpeg("opinion.jpg"),
        },
    )
    posted(response)
    assert OnlineOpinion.objects.get().photo


@upload("manual duty record with evidence")
def upload_manual_record(ctx: Uploads) -> None:
    response = ctx.client_for("staff").post(
        reverse("deputies:manual_record_new", args=[ctx.world.deputy_a1.pk]),
        {
            "kind": "session_speech",
            "occurred_on": TODAY.isoformat(),
            "title": "在县人代会上发言",
            "description": "大会第二次全体会议",
            "evidence": exif_jpeg("evidence.jpg"),
        },
    )
    posted(response)


@upload("duty report filed with an on-site photo, and a rectification's evidence photo")
def upload_duty_report_photos(ctx: Uploads) -> None:
    staff = ctx.users["staff"]
    f.make_campaign(
        county=ctx.world.county_a,
        year=TODAY.year,
        deadline=TODAY + datetime.timedelta(days=20),
        opened_by=staff,
    )
    client = ctx.client_for("deputy")
    response = client.post(
        reverse("dutyreports:mine"),
        {
            "onsite_date": TODAY.isoformat(),
            "onsite_place": "甲一镇代表之家",
            "voters_present": 35,
            "written_text": "一年来履职情况",
            "onsite_photo": exif_jpeg("onsite.jpg"),
        },
    )
    posted(response)
    report = DutyReport.objects.get(deputy=ctx.world.deputy_a1)
    assert report.onsite_photo
    item = Rectification.objects.create(
        report=report,
        problem="联系群众少",
        measure="每月到家站接待",
        deadline=TODAY + datetime.timedelta(days=30),
        created_by=staff,
    )
    response = client.post(
        reverse("dutyreports:rectification_progress", args=[item.pk]),
        {
            "status": "done",
            "evidence": "已接待群众12次",
            "done_on": TODAY.isoformat(),
            "evidence_photo": exif_jpeg("rectified.jpg"),
        },
    )
    posted(response)
    item.refresh_from_db()
    assert item.evidence_photo


# --- The scan -----------------------------------------------------------------------------------


def personal_data_in(text: str) -> list[str]:
    return ID_PATTERN.findall(text) + PHONE_PATTERN.findall(text)


def as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def scan_database() -> list[str]:
    """Every value of every row of every table, read with raw SQL (not through the models, which
    would decrypt)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    found += [
                        f"{table}.{column}: {hit}" for hit in personal_data_in(as_text(value))
                    ]
    return found


def _contents(data: bytes) -> list[tuple[str, bytes]]:
    """The bytes, and when they are a zip (an .xlsx) each member unpacked."""
    parts = [("", data)]
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts += [(f"!{name}", archive.read(name)) for name in archive.namelist()]
    return parts


def scan_media(root: Path) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for member, data in _contents(path.read_bytes()):
            found += [
                f"{path.relative_to(root)}{member}: {hit}"
                for hit in personal_data_in(as_text(data))
            ]
    return found


def test_the_scanner_sees_what_an_upload_carries():
    """The patterns find the planted numbers in a raw upload, and in no random token."""
    raw = as_text(exif_jpeg_bytes())
    assert ID_NUMBER in personal_data_in(raw) and PHONE in personal_data_in(raw)
    assert not personal_data_in("gAAAAABl-x_13812345678abc 8f3e13812345678Z md5$a$1381234567899")
    assert personal_data_in('{"phone": "13812345678"}') == ["13812345678"]
    assert personal_data_in("联系电话13812345678。") == ["13812345678"]


def test_no_id_number_or_phone_at_rest_after_every_upload(
    world, users, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    ctx = Uploads(world=world, users=users, client_for=client_for)
    for kind, helper in UPLOADS.items():
        try:
            helper(ctx)
        except AssertionError as error:
            raise AssertionError(f"upload '{kind}' failed: {error}") from error
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) >= 9  # every photo of every form landed in MEDIA_ROOT
    assert scan_database() == []
    assert scan_media(tmp_path) == []


# --- Spreadsheets, at every step they stop at ---------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_DEPUTY_ID = make_id_number("510824", datetime.date(1975, 3, 15), 60, "F")
DEPUTY_PHONE = "13700001111"
ROSTER_VOTER_PHONE = "15800002222"


def roster_file(roster: str, world) -> bytes:
    """Each roster as an office makes it: ID numbers and mobile phones where it has them (the
    stations' and units' numbers are office landlines, which are published)."""
    if roster == "deputies":
        return workbook_bytes(
            DEPUTY_HEADER,
            [(1, "钱新", None, NEW_DEPUTY_ID, None, None, "甲一镇代表之家", "县", 18, "第1选区",
              DEPUTY_PHONE)],
        )  # fmt: skip
    if roster == "voters":
        return workbook_bytes(
            ["代表姓名", "代表公民身份号码", "选民姓名", "联系电话", "村(社区)"],
            [(world.deputy_a1.name, world.deputy_a1.id_number, "孙选民", ROSTER_VOTER_PHONE, "")],
        )
    if roster == "stations":
        village = f.make_village(world.a1, "新华村")
        return workbook_bytes(
            ["名称", "类型", "乡镇(街道)", "村(社区)", "地址", "联系电话"],
            [
                (
                    "新华村联络站",
                    "代表联络站",
                    world.a1.name,
                    village.name,
                    "新华村1号",
                    "0839-5221234",
                )
            ],
        )
    return workbook_bytes(
        ["单位名称", "类别", "联系人", "办公电话"],
        [("甲县农业农村局", "政府部门", "周主任", "0839-5225678")],
    )


def scan_everything(root: Path) -> tuple[list[str], list[str]]:
    return scan_database(), scan_media(root)


@pytest.mark.parametrize("roster", ["deputies", "voters", "stations", "units"])
def test_no_id_number_or_phone_at_rest_at_any_step_of_a_roster_import(
    roster, world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    content = roster_file(roster, world)
    clear = tmp_path.parent / f"{tmp_path.name}-clear"
    clear.mkdir()
    (clear / "roster.xlsx").write_bytes(content)
    if roster in ("deputies", "voters"):  # the scan would see this file kept in clear
        assert scan_media(clear) != []
    client = client_for("staff")
    posted(
        client.post(
            reverse("rosters:upload"),
            {"roster": roster, "file": SimpleUploadedFile("名册.xlsx", content, XLSX)},
        )
    )
    job = ImportJob.objects.get()
    page = client.get(reverse("rosters:mapping", args=[job.pk]))
    assert page.status_code == 200
    if roster == "deputies":  # the uploader still sees the rows as the file has them
        assert NEW_DEPUTY_ID in page.content.decode()
    steps = {"the mapping page": scan_everything(tmp_path)}
    form = page.context["form"]
    data = {
        name: ("" if form[name].value() is None else form[name].value()) for name in form.fields
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:mapping", args=[job.pk]), data)
    job.refresh_from_db()
    assert (job.status, job.result.get("ok")) == (ImportJob.Status.CHECKED, True), [
        row.errors for row in job.rows.all()
    ]
    assert client.get(reverse("rosters:detail", args=[job.pk])).status_code == 200
    steps["the check"] = scan_everything(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rosters:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED, job.error
    steps["the commit"] = scan_everything(tmp_path)
    assert steps == dict.fromkeys(steps, ([], []))
    if roster == "voters":
        assert [(v.name, v.phone) for v in Voter.objects.all()] == [("孙选民", ROSTER_VOTER_PHONE)]


def test_no_id_number_at_rest_while_a_registration_check_waits_and_after_it(
    world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    population, voters, _expected = hand_built(world.a1.name, world.a2.name)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client_for("staff").post(
            reverse("elections:check_new"),
            {
                "county": world.county_a.pk,
                "election_day": ELECTION_DAY.isoformat(),
                "voter_file": SimpleUploadedFile("voters.xlsx", voters, XLSX),
                "population_file": SimpleUploadedFile("population.xlsx", population, XLSX),
            },
        )
    posted(response)
    check = RegistrationCheck.objects.get()
    assert check.voter_file and check.population_file  # waiting for its run, on disk
    waiting = scan_everything(tmp_path)
    for callback in queued:
        callback()
    check.refresh_from_db()
    assert check.status == RegistrationCheck.Status.DONE, check.error
    assert check.findings.exists()
    assert (waiting, scan_everything(tmp_path)) == (([], []), ([], []))
