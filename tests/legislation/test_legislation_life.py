"""立法意见征集 around the draft: Word files as offices send them, the deputies and keepers told
when a draft is published and keepers reminded before its deadline (each once), drafts closed at
their deadline, a deputy's opinion archived as its own duty kind, and the liaison points page."""

import datetime
import io
import struct
import zipfile

import olefile
import pytest
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from core.models import Notification, OutboxMessage
from deputies.models import DutyRecord, DutyScore
from deputies.scoring import compute_scores, scheme_for
from legislation import reminders, services
from legislation.models import Draft, LiaisonPoint
from tests import factories as f
from tests.querycount import count_queries


def today() -> datetime.date:
    return timezone.localdate()


def docx_bytes(*, macro: bool = False) -> bytes:
    """A Word document as Word or WPS saves it (the parts that matter)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>第一条</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
        if macro:
            archive.writestr("word/vbaProject.bin", b"\0" * 64)
    return buffer.getvalue()


def ole_bytes(stream: str) -> bytes:
    """A compound (OLE) file whose one stream is named ``stream``: "WordDocument" is what an
    old Word or WPS .doc holds; xlwt writes the compound file, the stream is renamed."""
    workbook = xlwt.Workbook()
    workbook.add_sheet("草案").write(0, 0, "第一条")
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = bytearray(buffer.getvalue())
    at = data.find("Workbook".encode("utf-16-le"))
    name = f"{stream}\0".encode("utf-16-le")
    data[at : at + 64] = name.ljust(64, b"\0")
    data[at + 64 : at + 66] = struct.pack("<H", len(name))
    assert olefile.OleFileIO(io.BytesIO(bytes(data))).listdir() == [[stream]]
    return bytes(data)


def publish(world, users, **kwargs) -> Draft:
    fields = {
        "title": "四川省乡村振兴促进条例(修订草案)",
        "level": Draft.Level.PROVINCE,
        "issuer": "四川省人大常委会法工委",
        "deadline": today() + datetime.timedelta(days=10),
        "text": "第一条 ……",
        "stations": [world.home_a1],
    }
    fields.update(kwargs)
    return services.draft_publish(user=users["staff"], county=world.county_a, **fields)


# Word files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type", "served_as"),
    [
        (
            "征求意见稿.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "征求意见稿.docx",
        ),
        # WPS saves .doc by default; a file misnamed .wps is told by its bytes all the same.
        ("征求意见稿.wps", ole_bytes("WordDocument"), "application/msword", "征求意见稿.doc"),
        ("草案", b"%PDF-1.7\n%x\n", "application/pdf", "草案.pdf"),
    ],
)
def test_a_draft_comes_as_pdf_or_word_and_is_served_as_what_it_is(
    world, users, client_for, settings, tmp_path, name, data, content_type, served_as
):
    settings.MEDIA_ROOT = tmp_path
    draft = publish(world, users, text="", file=SimpleUploadedFile(name, data))
    response = client_for("deputy").get(reverse("legislation:file", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert served_as in response["Content-Disposition"] or (
        # Non-ASCII names are sent RFC 5987-encoded.
        "filename*=" in response["Content-Disposition"]
        and response["Content-Disposition"].endswith(served_as.rsplit(".", 1)[1])
    )
    assert b"".join(response.streaming_content) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ole_bytes("Workbook"), "文件应为PDF、Word(.docx)、Word 97-2003/WPS(.doc)文件。"),
        (docx_bytes(macro=True), "文件含有宏,请另存为不含宏的文件后再上传。"),
        (b"PK\x03\x04 broken zip", "文件应为PDF、Word(.docx)、Word 97-2003/WPS(.doc)文件。"),
        (b"\x89PNG\r\n\x1a\n", "文件应为PDF、Word(.docx)、Word 97-2003/WPS(.doc)文件。"),
    ],
)
def test_a_file_that_is_not_a_clean_document_is_refused_and_nothing_saved(
    world, users, settings, tmp_path, data, message
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError) as refused:
        publish(world, users, file=SimpleUploadedFile("草案.doc", data))
    assert refused.value.message == message and refused.value.field == "file"
    assert not Draft.objects.exists() and not list(tmp_path.rglob("*.sealed"))


# Publishing tells the deputies and keepers it reaches ---------------------------------------


def test_publishing_tells_the_deputies_and_keepers_it_reaches_once_each(world, users):
    other_keeper = f.make_user(Role.STATION_KEEPER, "t_keeper_a2", station=world.home_a2)
    other_deputy = f.make_user(Role.DEPUTY, "t_deputy_a2", deputy=world.deputy_a2)
    draft = publish(world, users)
    assert OutboxMessage.objects.filter(
        task_name="legislation.tasks.notify_draft_published", args=[draft.pk]
    ).exists()
    assert reminders.draft_published_notify(draft_id=draft.pk) == 2
    told = set(
        Notification.objects.filter(kind="legislation_draft").values_list("recipient", flat=True)
    )
    assert told == {users["deputy"].pk, users["keeper"].pk}
    assert other_keeper.pk not in told and other_deputy.pk not in told
    body = Notification.objects.get(recipient=users["deputy"]).body
    assert "四川省人大常委会法工委" in body and f"{draft.deadline:%Y年%m月%d日}" in body
    # A second run (a redelivered task) sends nothing.
    assert reminders.draft_published_notify(draft_id=draft.pk) == 0


def test_a_draft_for_stations_only_does_not_tell_deputies_nor_those_out_of_office(world, users):
    draft = publish(world, users, for_deputies=False)
    reminders.draft_published_notify(draft_id=draft.pk)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [users["keeper"].pk]
    world.deputy_a1.mandates.update(is_active=False)
    everyone = publish(world, users, title="广元市条例(草案)", all_stations=True, stations=[])
    reminders.draft_published_notify(draft_id=everyone.pk)
    recipients = set(
        Notification.objects.filter(link=everyone.get_absolute_url()).values_list(
            "recipient", flat=True
        )
    )
    assert users["deputy"].pk not in recipients and users["keeper"].pk in recipients


# The deadline -------------------------------------------------------------------------------


def test_drafts_past_their_deadline_are_closed_by_the_daily_task(world, users):
    past = publish(world, users)
    due_today = publish(world, users, title="今天截止的草案", deadline=today())
    Draft.objects.filter(pk=past.pk).update(deadline=today() - datetime.timedelta(days=1))
    assert services.drafts_close_expired(today=today()) == 1
    assert Draft.objects.get(pk=past.pk).status == Draft.Status.CLOSED
    assert Draft.objects.get(pk=due_today.pk).status == Draft.Status.OPEN
    assert services.drafts_close_expired(today=today()) == 0


def test_keepers_without_an_opinion_are_reminded_before_the_deadline_once(world, users, settings):
    settings.LEGISLATION_REMINDER_DAYS = 3
    liaison_keeper = f.make_user(Role.STATION_KEEPER, "t_keeper_l", station=world.liaison_a1)
    draft = publish(
        world,
        users,
        deadline=today() + datetime.timedelta(days=3),
        stations=[world.home_a1, world.liaison_a1],
    )
    services.opinion_record(
        user=users["keeper"], draft=draft, station=world.home_a1, content="座谈会意见"
    )
    assert reminders.draft_deadline_reminders_send(today=today()) == 1
    reminded = Notification.objects.get(kind="legislation_deadline")
    assert reminded.recipient == liaison_keeper and "甲一村联络站还没有登记意见" in reminded.body
    assert reminders.draft_deadline_reminders_send(today=today()) == 0
    # Another day is not the reminder's day.
    Notification.objects.all().delete()
    tomorrow = today() + datetime.timedelta(days=1)
    assert reminders.draft_deadline_reminders_send(today=tomorrow) == 0


# The duty archive ---------------------------------------------------------------------------


def test_a_deputys_opinion_is_archived_and_scored_as_a_legislative_opinion(world, users):
    draft = publish(world, users)
    services.opinion_give(user=users["deputy"], draft=draft, article="第三条", content="建议")
    record = DutyRecord.objects.get(deputy=world.deputy_a1)
    assert record.kind == DutyRecord.Kind.LEGISLATIVE_OPINION
    assert record.get_kind_display() == "提出立法意见"
    scheme = scheme_for(today().year)
    rule = scheme.rules.get(kind=DutyRecord.Kind.LEGISLATIVE_OPINION)
    assert (rule.group, rule.points, rule.cap) == ("activity", 2, 10)
    compute_scores(today().year)
    score = DutyScore.objects.get(deputy=world.deputy_a1, year=today().year)
    assert (score.activity, score.total) == (2, 2)


# 基层立法联系点 ------------------------------------------------------------------------------


def test_staff_designate_and_remove_a_liaison_point(world, users, client_for):
    client = client_for("staff")
    url = reverse("legislation:liaison_points")
    response = client.post(
        url, {"station": world.liaison_a1.pk, "since": today().isoformat(), "note": "省人大确定"}
    )
    assert response.status_code == 302
    point = LiaisonPoint.objects.get()
    assert point.station == world.liaison_a1 and point.note == "省人大确定"
    again = client.post(url, {"station": world.liaison_a1.pk, "since": today().isoformat()})
    assert again.status_code == 200
    assert "甲一村联络站已经是基层立法联系点。" in again.content.decode()
    assert LiaisonPoint.objects.count() == 1
    client.post(reverse("legislation:liaison_point_remove", args=[point.pk]))
    assert not LiaisonPoint.objects.exists()


def test_a_station_of_another_county_or_a_future_date_is_refused(world, users):
    with pytest.raises(DomainError, match="只能把本县的家站设为基层立法联系点"):
        services.liaison_point_designate(
            user=users["staff"], county=world.county_a, station=world.home_b1, since=today()
        )
    with pytest.raises(DomainError, match="设立日期不能晚于今天"):
        services.liaison_point_designate(
            user=users["staff"],
            county=world.county_a,
            station=world.home_a1,
            since=today() + datetime.timedelta(days=1),
        )
    assert not LiaisonPoint.objects.exists()


@pytest.mark.parametrize("role", ["keeper", "deputy", "township", "member", "unit"])
def test_only_county_staff_manage_liaison_points(world, users, client_for, role):
    point = LiaisonPoint.objects.create(station=world.home_a1, since=today())
    client = client_for(role)
    assert client.get(reverse("legislation:liaison_points")).status_code == 403
    removing = client.post(reverse("legislation:liaison_point_remove", args=[point.pk]))
    assert removing.status_code == 403 and LiaisonPoint.objects.exists()


def test_the_liaison_points_page_reads_a_fixed_number_of_queries(world, users, client_for):
    client = client_for("staff")
    url = reverse("legislation:liaison_points")
    LiaisonPoint.objects.create(station=world.home_a1, since=today())
    few = count_queries(client, url)
    for n in range(6):
        station = f.make_station(world.a2, name=f"甲二村联络站{n}")
        LiaisonPoint.objects.create(station=station, since=today())
    assert count_queries(client, url) == few
    assert client.get(url).content.decode().count("甲二村联络站") == 6
