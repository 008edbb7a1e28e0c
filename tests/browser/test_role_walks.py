"""Each role's main task end to end on a 390 px phone, found through the menu as the person would
find it, with the outcome checked on the page and in the database and a screenshot of each step
kept as a CI artefact (the deputy's reception and suggestion have walks of their own:
test_reception_phone.py, test_suggestion_life.py)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import ExportJob
from deputies.models import DutyRecord
from dutyreports.models import DutyReport
from stations.models import Opinion, ReceptionDay, StationActivity
from suggestions.models import DeadlineExtension, Reply, ReplyCategory, Suggestion
from tests import factories as f
from tests.suggestions.states import suggestion_at

from .walk import expect_success, pick, shot, sign_in, via_menu

pytestmark = pytest.mark.browser


def _reply_category():
    # A data migration's row, which a transactional test before this one may have flushed.
    ReplyCategory.objects.get_or_create(
        code="A", defaults={"name": "已解决或基本解决", "counts_as_solved": True, "ordering": 1}
    )


def test_a_deputy_files_the_duty_report_on_a_phone(
    live_server, browser, users, world, screenshot_dir
):
    today = timezone.localdate()
    f.make_campaign(  # the batch: every eligible deputy, as campaign_open makes it
        county=world.county_a, year=today.year, deadline=today, opened_by=users["staff"]
    )
    context, page = sign_in(browser, live_server, users["deputy"])
    try:
        via_menu(page, "代表履职", "年度述职")
        expect(page.locator("h1")).to_have_text(f"{world.deputy_a1.name} {today.year}年述职")
        # Sent empty: one clear message, nothing saved.
        page.click("main form button[type=submit]")
        expect(page.locator("main")).to_contain_text("请至少以一种方式述职:现场、书面或直播。")
        assert not DutyReport.objects.exists()

        page.fill("#id_onsite_date", today.isoformat())
        page.fill("#id_onsite_place", "甲一镇代表之家")
        page.fill("#id_voters_present", "36")
        page.fill("#id_written_text", "一年来走访选民42户,提出建议3件,参加执法检查1次。")
        shot(page, screenshot_dir, "deputy-duty-report-form")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/duty-reports/mine/")
        expect_success(page, "述职情况已提交,计入履职档案。")
        expect(page.locator("main")).to_contain_text("现场、书面")
        # The form shown again for amending keeps the date (it was blank: the locale's format).
        expect(page.locator("#id_onsite_date")).to_have_value(today.isoformat())
        shot(page, screenshot_dir, "deputy-duty-report-filed")

        report = DutyReport.objects.get(deputy=world.deputy_a1)
        assert report.voters_present == 36 and report.onsite_place == "甲一镇代表之家"
        record = DutyRecord.objects.get(deputy=world.deputy_a1, kind=DutyRecord.Kind.DUTY_REPORT)
        assert record.occurred_on == today

        # The report is in the deputy's own archive.
        via_menu(page, "代表履职", "我的履职档案")
        expect(page.locator("main")).to_contain_text(f"向选民述职({today.year}年)")
        shot(page, screenshot_dir, "deputy-archive")
    finally:
        context.close()


def test_a_keeper_sets_the_rota_and_keeps_the_ledger(
    live_server, browser, users, world, screenshot_dir
):
    today = timezone.localdate()
    second = f.make_deputy(world.home_a1, name="陈值班")
    day = f.make_reception_day(world.home_a1, today)
    context, page = sign_in(browser, live_server, users["keeper"])
    try:
        # The reception day's rota: the two deputies of the station on duty.
        via_menu(page, "家站工作", "接待日安排")
        row = page.locator("tbody tr", has_text=today.isoformat())
        expect(row).to_contain_text("—")
        row.get_by_role("link", name="调整").click()
        page.wait_for_url(f"**/reception-days/{day.pk}/edit/")
        page.get_by_label(world.deputy_a1.name, exact=True).check()
        page.get_by_label(second.name, exact=True).check()
        page.fill("#id_note", "上午9点到12点")
        shot(page, screenshot_dir, "keeper-rota-form")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/stations/reception-days/")
        expect_success(page, "接待日已更新。")
        expect(page.locator("tbody tr", has_text=today.isoformat())).to_contain_text(
            f"{world.deputy_a1.name}、{second.name}"
        )
        shot(page, screenshot_dir, "keeper-rota")
        day.refresh_from_db()
        assert set(day.on_duty.all()) == {world.deputy_a1, second}
        assert day.note == "上午9点到12点"

        # An entry in the activity ledger: the keeper's one station is not asked for.
        via_menu(page, "家站工作", "活动台账")
        page.get_by_role("link", name="+ 登记活动").click()
        page.wait_for_url("**/stations/activities/new/")
        expect(page.locator("#id_station")).to_be_disabled()
        page.select_option("#id_kind", "law")
        page.fill("#id_date", today.isoformat())
        page.fill("#id_theme", "民法典宣讲")
        page.get_by_label(world.deputy_a1.name, exact=False).check()
        page.fill("#id_people_reached", "45")
        page.fill("#id_summary", "在村委会广场宣讲民法典,解答群众咨询12人次。")
        shot(page, screenshot_dir, "keeper-ledger-form")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/stations/activities/*/")
        expect_success(page, f"台账已保存:{today.isoformat()} 民法典宣讲。")
        shot(page, screenshot_dir, "keeper-ledger-entry")

        via_menu(page, "家站工作", "活动台账")
        entry = page.locator("li.list-group-item", has_text="民法典宣讲")
        expect(entry).to_be_visible()  # the phone's stacked list
        expect(entry).to_contain_text("群众 45 人")
        expect(entry).to_contain_text(world.deputy_a1.name)
        shot(page, screenshot_dir, "keeper-ledger-list")
        activity = StationActivity.objects.get(theme="民法典宣讲")
        assert activity.station == world.home_a1 and activity.kind == "law"
        assert list(activity.deputies.all()) == [world.deputy_a1]
        assert activity.people_reached == 45
        assert ReceptionDay.objects.count() == 1
    finally:
        context.close()


def test_a_unit_accepts_asks_for_more_time_and_replies(
    live_server, browser, users, world, screenshot_dir
):
    _reply_category()
    suggestion = suggestion_at(world, users["staff"], "assigned")
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    Suggestion.objects.filter(pk=suggestion.pk).update(deadline=deadline)
    suggestion.assignments.update(deadline=deadline)
    later = deadline + datetime.timedelta(days=30)
    context, page = sign_in(browser, live_server, users["unit"])
    try:
        via_menu(page, "代表建议", "承办工作台")
        item = page.locator(".list-group-item", has_text=suggestion.title)
        expect(item.locator(".badge")).to_have_text("已交办")
        item.get_by_role("button", name="开始办理").click()
        expect_success(page, "已开始办理")
        expect(item.locator(".badge")).to_have_text("办理中")

        item.get_by_role("link", name="申请延期").click()
        page.wait_for_url("**/extension/")
        # A date before the current deadline is refused with a clear message.
        page.fill("#id_requested_deadline", deadline.isoformat())
        page.fill("#id_reason", "需协调交通部门安排施工,雨季无法开工。")
        page.click("main form button[type=submit]")
        expect(page.locator("main")).to_contain_text("延期后的期限应晚于现在的期限。")
        page.fill("#id_requested_deadline", later.isoformat())
        shot(page, screenshot_dir, "unit-extension-form")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/suggestions/unit/")
        expect_success(page, "延期申请已提交,等待常委会工作机构审批。")
        # The request's state is on the workbench, and no second request is offered.
        expect(item.locator("[data-extension]")).to_have_text(
            f"延期申请(至 {later.isoformat()}):待审批"
        )
        expect(item.get_by_role("link", name="申请延期")).to_have_count(0)
        shot(page, screenshot_dir, "unit-workbench-extension")

        item.get_by_role("link", name="答复", exact=True).click()
        page.wait_for_url("**/reply/")
        page.select_option("#id_category", label="A 已解决或基本解决")
        page.fill("#id_text", "已完成村道硬化1.5公里,群众出行条件明显改善。")
        shot(page, screenshot_dir, "unit-reply-form")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/suggestions/unit/")
        expect_success(page, "答复已提交")
        page.get_by_role("link", name="已答复 1").click()
        page.wait_for_url("**/suggestions/unit/?show=done")
        # Answered: the request is closed, not left waiting for approval.
        expect(item.locator(".badge")).to_have_text("已答复")
        expect(item.locator("[data-extension]")).to_have_text(
            f"延期申请(至 {later.isoformat()}):已答复,无需审批"
        )
        shot(page, screenshot_dir, "unit-workbench-answered")

        suggestion.refresh_from_db()
        assert suggestion.status == Suggestion.Status.REPLIED
        extension = DeadlineExtension.objects.get(suggestion=suggestion)
        assert extension.status == DeadlineExtension.Status.CLOSED
        assert extension.requested_deadline == later
        assert suggestion.deadline == deadline  # never approved
        assert Reply.objects.get(suggestion=suggestion).unit == world.unit_a
    finally:
        context.close()


def test_staff_triage_an_opinion_assign_a_suggestion_and_export_the_year(
    live_server, browser, users, world, screenshot_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    opinion = f.make_opinion(users["keeper"], world.home_a1, content="村口路灯不亮,夜间出行不便")
    suggestion = suggestion_at(world, users["staff"], "registered")
    context, page = sign_in(browser, live_server, users["staff"])
    try:
        # 1. An opinion from the station mailbox is forwarded to the unit that can act on it.
        via_menu(page, "家站工作", "群众意见")
        entry = page.locator("li.list-group-item", has_text="村口路灯不亮")
        expect(entry).to_contain_text("已受理")
        entry.get_by_role("link").first.click()
        page.wait_for_url(f"**/stations/opinions/{opinion.pk}/")
        pick(page, "id_unit", "交通", world.unit_a.name)
        page.fill("#id_note", "请核实路灯损坏情况并及时修复。")
        shot(page, screenshot_dir, "staff-opinion-forward")
        page.get_by_role("button", name="转办", exact=True).click()
        page.wait_for_url(f"**/stations/opinions/{opinion.pk}/")
        expect_success(page, "已转办。")
        expect(page.locator("main")).to_contain_text(world.unit_a.name)
        opinion.refresh_from_db()
        assert opinion.status == Opinion.Status.FORWARDED
        assert opinion.handling_unit == world.unit_a

        # 2. A registered suggestion is assigned to its lead unit, found by typing.
        via_menu(page, "代表建议", "建议台账")
        page.locator("main").get_by_role("link", name=suggestion.title).first.click()
        page.wait_for_url(f"**/suggestions/{suggestion.pk}/")
        pick(page, "id_lead_unit", "交通运输", world.unit_a.name)
        shot(page, screenshot_dir, "staff-suggestion-assign")
        page.click("form[action$='/assign/'] button[type=submit]")
        page.wait_for_url(f"**/suggestions/{suggestion.pk}/")
        expect_success(page, "已交办。")
        expect(page.get_by_text(f"主办 · {world.unit_a.name}")).to_be_visible()
        suggestion.refresh_from_db()
        assert suggestion.status == Suggestion.Status.ASSIGNED
        assert suggestion.assignments.get().unit == world.unit_a

        # 3. The year's workbook: started from the annual report, built in the background (eager
        # in tests), downloaded from the export's page.
        via_menu(page, "统计与选举", "年度工作报告")
        page.get_by_role("button", name="导出年度报告(Excel)").click()
        page.wait_for_url("**/exports/*/")
        download_link = page.locator("main a", has_text="下载")
        expect(download_link).to_be_visible()
        shot(page, screenshot_dir, "staff-export-ready")
        with page.expect_download() as download:
            download_link.click()
        path = download.value.path()
        with open(path, "rb") as workbook:
            assert workbook.read(2) == b"PK"  # an .xlsx (a zip)
        assert download.value.suggested_filename.endswith(".xlsx")
        job = ExportJob.objects.get(exporter="annual_report")
        assert job.user == users["staff"] and job.status == ExportJob.Status.DONE
    finally:
        context.close()
