"""One suggestion (代表建议) lives its whole life in a real browser, each person in their own
browser context: the deputy drafts it, meets the public (三见面之一) and submits it; the committee
staff register and assign it; the lead unit accepts it, reports its progress to the public
(三见面之二) and replies; a member of the public evaluates it through a one-time link, which
refuses a second use, and the deputy evaluates it (三见面之三); the staff close it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from suggestions.models import (
    Evaluation,
    EvaluationCode,
    ProgressReport,
    PublicMeeting,
    Reply,
    ReplyCategory,
    Suggestion,
)
from tests.factories import PASSWORD

from .walk import pick

pytestmark = pytest.mark.browser

TITLE = "关于修缮甲一镇通村公路的建议"
VIEWPORT = {"width": 390, "height": 844}  # every person does their part on a phone


def _login(browser, live_server, user, path):
    """A fresh browser context for one person, logged in through the login page."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{path}")
    return context, page


def _expect_done(page, message, status):
    """The page shows the success message and the suggestion's status badge."""
    expect(page.locator(".alert-success")).to_contain_text(message)
    expect(page.locator("h1 .badge").first).to_have_text(status)


def test_a_suggestion_from_draft_to_closing(live_server, browser, users, world, screenshot_dir):
    # The reply categories come from a data migration, which a transactional test may have
    # flushed before this one.
    ReplyCategory.objects.get_or_create(
        code="A", defaults={"name": "已解决或基本解决", "counts_as_solved": True, "ordering": 1}
    )
    today = timezone.localdate().isoformat()
    contexts = []
    try:
        # 1. The deputy drafts the suggestion, records the meeting with the public, submits.
        context, deputy = _login(browser, live_server, users["deputy"], "/suggestions/new/")
        contexts.append(context)
        deputy.fill("#id_title", TITLE)
        deputy.fill("#id_content", "通村公路路面破损严重,雨天群众出行困难,建议尽快修缮。")
        deputy.select_option("#id_category", "roads")
        # A co-signer found with the picker by the initials of their name.
        deputy.fill("#id_co_signers_search", world.deputy_a2.name_initials)
        deputy.locator(".picker-result", has_text=world.deputy_a2.name).click()
        expect(deputy.locator(".picker-chip")).to_have_text(world.deputy_a2.name)
        deputy.screenshot(path=f"{screenshot_dir}/walk-deputy-draft.png", full_page=True)
        deputy.click("main form button[type=submit]")
        deputy.wait_for_url("**/suggestions/*/")
        _expect_done(deputy, "建议草稿已保存", "草稿")
        suggestion = Suggestion.objects.get(title=TITLE)
        assert list(suggestion.co_signers.all()) == [world.deputy_a2]
        detail_url = f"{live_server.url}/suggestions/{suggestion.pk}/"

        deputy.get_by_role("link", name="登记与群众见面").click()
        deputy.wait_for_url("**/meetings/new/")
        deputy.fill("#id_date", today)
        deputy.fill("#id_place", "甲一镇代表之家")
        deputy.fill("#id_people_met", "12")
        deputy.fill("#id_summary", "群众反映通村公路坑洼多,希望列入今年修缮计划。")
        deputy.click("main form button[type=submit]")
        deputy.wait_for_url(detail_url)
        _expect_done(deputy, "与群众见面的情况已登记", "草稿")
        expect(deputy.get_by_text("甲一镇代表之家").first).to_be_visible()

        deputy.get_by_role("button", name="提交建议").click()
        deputy.wait_for_url(detail_url)
        _expect_done(deputy, "建议已提交,等待人大工作机构登记交办", "已提交")

        # 2. The staff open it from the register, register it and assign it to unit A.
        context, staff = _login(browser, live_server, users["staff"], "/suggestions/")
        contexts.append(context)
        row = staff.locator("tbody tr", has_text=TITLE)
        expect(row).to_contain_text("已提交")
        row.get_by_role("link", name=TITLE).click()
        staff.wait_for_url(detail_url)
        expect(staff.locator("h1 .badge").first).to_have_text("已提交")
        staff.click("form[action$='/register/'] button[type=submit]")
        staff.wait_for_url(detail_url)
        _expect_done(staff, "已登记。", "已登记")
        number = f"{timezone.localdate().year}-001"
        expect(staff.locator("nav .breadcrumb-item.active")).to_have_text(number)

        pick(staff, "id_lead_unit", "交通", world.unit_a.name)  # the unit picker
        staff.click("form[action$='/assign/'] button[type=submit]")
        staff.wait_for_url(detail_url)
        _expect_done(staff, "已交办。", "已交办")
        expect(staff.get_by_text(f"主办 · {world.unit_a.name}")).to_be_visible()

        # 3. The unit accepts, reports its progress to the public, and replies (category A).
        context, unit = _login(browser, live_server, users["unit"], "/suggestions/unit/")
        contexts.append(context)
        item = unit.locator(".list-group-item", has_text=TITLE)
        expect(item.locator(".badge")).to_have_text("已交办")
        item.get_by_role("button", name="开始办理").click()
        unit.wait_for_url("**/suggestions/unit/")
        expect(unit.locator(".alert-success")).to_contain_text("已开始办理")
        expect(item.locator(".badge")).to_have_text("办理中")

        item.get_by_role("link", name="向群众汇报").click()
        unit.wait_for_url("**/progress/new/")
        unit.fill("#id_date", today)
        unit.fill("#id_place", "甲一镇政府会议室")
        unit.fill("#id_attendance", "20")
        unit.fill("#id_feedback", "群众认可修缮方案,希望雨季前完工。")
        unit.click("main form button[type=submit]")
        unit.wait_for_url("**/suggestions/unit/")
        expect(unit.locator(".alert-success")).to_contain_text("向群众汇报的情况已登记")

        # Before answering, the unit talks with the lead deputy (见面 or 电话沟通) and records it.
        item.get_by_role("link", name="与代表沟通").click()
        unit.wait_for_url("**/contacts/new/")
        unit.select_option("#id_kind", "meeting")
        unit.fill("#id_date", today)
        unit.fill("#id_participants", f"领衔代表{world.deputy_a1.name},本单位副局长")
        unit.fill("#id_summary", "当面介绍修缮方案和工期,代表同意先修坑洼最多的路段。")
        unit.click("main form button[type=submit]")
        unit.wait_for_url("**/suggestions/unit/")
        expect(unit.locator(".alert-success")).to_contain_text("与代表沟通的情况已登记")

        item.get_by_role("link", name="答复", exact=True).click()
        unit.wait_for_url("**/reply/")
        # The progress report and the contact were recorded, so the reply is not flagged.
        expect(unit.locator(".alert-warning")).to_have_count(0)
        unit.select_option("#id_category", label="A 已解决或基本解决")
        unit.fill("#id_text", "已完成通村公路3.2公里路面修缮,群众出行条件明显改善。")
        unit.click("main form button[type=submit]")
        unit.wait_for_url("**/suggestions/unit/")
        expect(unit.locator(".alert-success")).to_contain_text("答复已提交")
        # Answered work leaves the to-do tab for the 已答复 tab.
        expect(item).to_have_count(0)
        unit.get_by_role("link", name="已答复 1").click()
        unit.wait_for_url("**/suggestions/unit/?show=done")
        expect(item.locator(".badge")).to_have_text("已答复")

        # 4. The deputy issues one-time codes; a member of the public, not logged in, evaluates.
        deputy.goto(detail_url)
        expect(deputy.locator("h1 .badge").first).to_have_text("已答复")
        deputy.get_by_role("link", name="发放群众测评码").click()
        deputy.wait_for_url("**/codes/")
        deputy.fill("#id_count", "2")
        deputy.click("main form button[type=submit]")
        expect(deputy.locator(".alert-success")).to_contain_text("已生成2个测评码")
        links = deputy.locator("main ol.list-group a")
        expect(links).to_have_count(2)
        link = links.first.get_attribute("href")
        assert link.startswith(f"{live_server.url}/suggestions/evaluate/")

        public_context = browser.new_context(viewport={"width": 390, "height": 844})
        contexts.append(public_context)
        public = public_context.new_page()
        stale = public_context.new_page()  # the same link opened twice, before either is sent
        public.goto(link)
        stale.goto(link)
        expect(public.locator("main")).to_contain_text(TITLE)
        expect(public.locator("main")).to_contain_text("已完成通村公路3.2公里路面修缮")
        assert not public.locator("#main-nav").count()  # nobody is logged in
        public.check("input[name=result][value=satisfied]")
        public.fill("#id_comment", "路修好了,谢谢。")
        public.screenshot(path=f"{screenshot_dir}/suggestion-public-evaluation.png", full_page=True)
        public.click("main form button[type=submit]")
        expect(public.locator(".alert-success")).to_contain_text("感谢您的评价,测评已记录")

        # The same code a second time is refused: sending the form opened earlier, and reopening.
        stale.check("input[name=result][value=unsatisfied]")
        stale.click("main form button[type=submit]")
        expect(stale.locator(".alert-warning")).to_contain_text("测评码无效或已经使用过")
        response = public.goto(link)
        assert response.status == 404
        expect(public.locator(".alert-warning")).to_contain_text("测评码无效或已经使用过")
        expect(public.locator("form input[name=result]")).to_have_count(0)

        # 5. The deputy evaluates 满意, the suggestion reads 已测评, and the staff close it.
        deputy.goto(detail_url)
        deputy.get_by_role("link", name="代表测评").click()
        deputy.wait_for_url("**/evaluate/")
        expect(deputy.locator("main")).to_contain_text("A 已解决或基本解决")
        deputy.get_by_label("满意", exact=True).check()
        deputy.fill("#id_comment", "办理及时,效果良好。")
        deputy.click("main form button[type=submit]")
        deputy.wait_for_url(detail_url)
        _expect_done(deputy, "测评已记录,感谢您的监督", "已测评")

        staff.goto(detail_url)
        expect(staff.locator("h1 .badge").first).to_have_text("已测评")
        staff.fill("form[action$='/close/'] #id_note", "群众和代表均满意,予以办结。")
        staff.click("form[action$='/close/'] button[type=submit]")
        staff.wait_for_url(detail_url)
        _expect_done(staff, "已办结。", "已办结")

        # 6. The timeline lists every step, the page shows the three meetings, and the database agrees.
        steps = staff.locator("ol.list-group-numbered > li .fw-semibold")
        expect(steps).to_have_text(
            [
                "草稿",
                "草稿 → 已提交",
                "已提交 → 已登记",
                "已登记 → 已交办",
                "已交办 → 办理中",
                "办理中 → 已答复",
                "已答复 → 已测评",
                "已测评 → 已办结",
            ]
        )
        timeline = staff.locator("ol.list-group-numbered")
        expect(timeline).to_contain_text(f"交{world.unit_a.name}主办")
        expect(timeline).to_contain_text("答复类别:A 已解决或基本解决")
        expect(timeline).to_contain_text("代表测评:满意")
        expect(timeline).to_contain_text("群众和代表均满意,予以办结。")
        main = staff.locator("main")
        expect(main).to_contain_text("甲一镇政府会议室")  # the progress report
        expect(main).not_to_contain_text("未向群众汇报")
        evaluations = staff.locator("table tbody tr")
        expect(evaluations).to_have_count(2)
        # Per kind: round, kind, 满意, 基本满意, 不满意, total.
        expect(evaluations.filter(has_text="群众测评").locator("td")).to_have_text(
            ["1", "群众测评", "1", "0", "0", "1"]
        )
        expect(evaluations.filter(has_text="代表测评").locator("td")).to_have_text(
            ["1", "代表测评", "1", "0", "0", "1"]
        )
        staff.screenshot(path=f"{screenshot_dir}/suggestion-closed-staff.png", full_page=True)

        deputy.goto(detail_url)
        expect(deputy.locator("h1 .badge").first).to_have_text("已办结")
        expect(deputy.locator("ol.list-group-numbered > li")).to_have_count(8)
        deputy.screenshot(path=f"{screenshot_dir}/suggestion-closed-deputy.png", full_page=True)

        suggestion.refresh_from_db()
        assert suggestion.status == Suggestion.Status.CLOSED
        assert suggestion.number == number and suggestion.round == 1
        assert PublicMeeting.objects.filter(suggestion=suggestion).count() == 1
        report = ProgressReport.objects.get(suggestion=suggestion)
        assert report.unit == world.unit_a and report.attendance == 20
        reply = Reply.objects.get(suggestion=suggestion)
        assert reply.category.code == "A" and reply.unit == world.unit_a
        assert not reply.without_progress_report
        assert sorted(
            Evaluation.objects.filter(suggestion=suggestion).values_list("kind", "result")
        ) == [("deputy", "satisfied"), ("public", "satisfied")]
        assert Evaluation.objects.get(kind="deputy").deputy == world.deputy_a1
        codes = EvaluationCode.objects.filter(suggestion=suggestion)
        assert codes.count() == 2 and codes.filter(used_at__isnull=False).count() == 1
    finally:
        for context in contexts:
            context.close()
