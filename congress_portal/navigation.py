"""The main menu: one list of sections built from the users' tasks, shown to each user with only
the links their role may follow.

Each link names the check of the view behind it: the resource it reads (``accounts.access.POLICY``)
or the action it takes (``accounts.access.ACTIONS``). So a menu never offers a page that answers
403, and a new page gets its menu line and its permission in one place. The same menu is drawn on a
phone (collapsed) and on a desktop; ``tests/test_navigation.py`` walks it for every role."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import can, can_read
from accounts.roles import Role


@dataclass(frozen=True)
class Link:
    label: Promise
    url: str
    read: str = ""  # the POLICY resource the page reads
    action: str = ""  # or the ACTIONS action it takes
    # The URL's arguments for this user (None: the link is not for them).
    args: Callable[..., list | None] | None = None
    # Shown only when this is true as well (后台管理: Django admin's own staff flag).
    when: Callable[..., bool] | None = None
    deputy_label: Promise | None = None

    def for_user(self, user) -> dict | None:
        if self.read and not can_read(user, self.read):
            return None
        if self.action and not can(user, self.action):
            return None
        if self.when is not None and not self.when(user):
            return None
        args = self.args(user) if self.args else []
        if args is None:
            return None
        is_deputy = user.scope.role == Role.DEPUTY
        label = self.deputy_label if is_deputy and self.deputy_label else self.label
        return {"label": label, "url": reverse(self.url, args=args), "name": self.url}


@dataclass(frozen=True)
class Section:
    label: Promise
    links: tuple[Link, ...] = field(default_factory=tuple)


def _own_deputy(user) -> list | None:
    return [user.deputy_id] if user.scope.role == Role.DEPUTY and user.deputy_id else None


MENU: tuple[Section, ...] = (
    Section(
        _("家站工作"),
        (
            Link(_("代表家站"), "stations:list", read="station"),
            Link(_("接待日安排"), "stations:reception_days", read="reception_day"),
            Link(_("选民走访日"), "stations:visit_days", read="visit_day"),
            Link(_("代表信箱"), "stations:mailboxes", read="mailbox"),
            Link(
                _("接待记录"),
                "stations:reception_list",
                read="reception",
                deputy_label=_("我的接待"),
            ),
            Link(_("登记接待"), "stations:reception_new", action="reception.log"),
            Link(_("活动台账"), "stations:activity_list", read="activity"),
            Link(_("微心愿"), "stations:wish_list", read="small_wish"),
            Link(_("群众意见"), "stations:opinion_list", read="opinion"),
            Link(_("接待与活动检查"), "stations:compliance", action="station.check_compliance"),
        ),
    ),
    Section(
        _("代表履职"),
        (
            Link(_("人大代表"), "deputies:list", read="deputy"),
            Link(_("我的履职档案"), "deputies:archive", read="duty_score", args=_own_deputy),
            Link(_("履职考核得分"), "deputies:scores", read="duty_overview"),
            Link(_("履职预警"), "deputies:warnings", read="duty_overview"),
            Link(_("五个一"), "deputies:five_ones", read="duty_overview"),
            Link(_("群众小难题"), "deputies:small_problems", read="small_problem"),
            Link(_("帮扶困难群众"), "deputies:aid_households", read="aid_household"),
            Link(_("代表述职"), "dutyreports:campaign", read="duty_overview"),
            Link(_("本届述职情况"), "dutyreports:coverage", read="duty_overview"),
            Link(_("年度述职"), "dutyreports:mine", action="duty_report.file_own"),
            Link(_("代表互评"), "dutyreports:peers", action="peer_evaluation.give"),
            Link(_("代表培训"), "deputies:trainings", read="training"),
            Link(_("联系选民"), "linkages:voters", read="voter"),
            Link(_("结对联系"), "linkages:member_links", read="member_link"),
            Link(_("重点项目"), "linkages:projects", read="key_project"),
            Link(
                _("代表小组"), "linkages:groups", read="group_work", deputy_label=_("我的代表小组")
            ),
            Link(_("履职故事"), "public:story_list", read="duty_story"),
            Link(_("录入履职记录"), "deputies:manual_records", action="duty_record.enter"),
            Link(_("未进驻家站的代表"), "deputies:unstationed", action="deputy.assign_station"),
            Link(_("代表缺额与补选"), "directory:vacancies", action="mandate.record"),
        ),
    ),
    Section(
        _("代表建议"),
        (
            Link(_("人代会"), "plenary:list", read="plenary_session", deputy_label=_("我的人代会")),
            Link(_("议案"), "plenary:motions", read="motion"),
            Link(_("我的建议"), "suggestions:mine", action="suggestion.draft_own"),
            Link(
                _("建议台账"), "suggestions:list", read="suggestion", deputy_label=_("我参与的建议")
            ),
            Link(_("承办工作台"), "suggestions:unit_workspace", action="suggestion.answer"),
            Link(_("交办会"), "suggestions:meeting_list", read="assignment_meeting"),
            Link(_("改办申请"), "suggestions:reassign_queue", action="suggestion.reassign_decide"),
            Link(_("办理统计"), "suggestions:statistics", action="suggestion.statistics"),
        ),
    ),
    Section(
        _("监督"),
        (
            Link(_("年度计划"), "oversight:plans", read="work_plan"),
            Link(_("执法检查"), "oversight:inspections", read="inspection"),
            Link(_("专题视察"), "oversight:site_inspections", read="site_inspection"),
            Link(_("审议意见"), "oversight:review_opinions", read="review_opinion"),
            Link(_("专题询问"), "oversight:inquiries", read="inquiry"),
            Link(_("监督议题"), "oversight:topics", read="supervision_topic"),
            Link(_("重大事项"), "oversight:matters", read="major_matter"),
            Link(_("常委会会议"), "oversight:meetings", read="committee_meeting"),
            Link(_("立法意见征集"), "legislation:list", read="legislative_draft"),
        ),
    ),
    Section(
        _("统计与选举"),
        (
            Link(_("年度工作报告"), "reports:annual", action="annual_report.read"),
            Link(_("选民登记比对(三零)"), "elections:check_list", read="registration_check"),
            Link(_("代表结构(结构关)"), "elections:structure", read="structure_target"),
            Link(_("名册导入"), "rosters:upload", action="roster.import"),
        ),
    ),
    Section(
        _("系统"),
        (
            Link(_("系统状态"), "operations:status", action="system.status"),
            Link(_("接口文档"), "api-docs", action="system.status"),
            Link(_("后台管理"), "admin:index", when=lambda user: user.is_staff),
        ),
    ),
)


# The menus drawn so far, by what decides them. Asked without a record, every rule of the tables
# depends only on the role and which of the user's links are set (accounts.access), so two users
# with the same key see the same menu; the key keeps the deputy's own id for their archive link.
_DRAWN: dict[tuple, list[dict]] = {}


def _key(user) -> tuple:
    scope = user.scope
    links = (scope.county, scope.township, scope.station, scope.deputy, scope.unit)
    return (
        scope.role,
        scope.unrestricted,
        tuple(value is None for value in links),
        scope.deputy if scope.role == Role.DEPUTY else None,
        user.is_staff,
        user.is_active,
    )


def menu_for(user) -> list[dict]:
    """The sections the user sees, each with the links they may follow (empty sections left
    out). Drawn once per kind of user and process: a page does not re-check forty links."""
    if not user.is_authenticated:
        return []
    key = _key(user)
    menu = _DRAWN.get(key)
    if menu is None:
        if len(_DRAWN) > 10_000:
            _DRAWN.clear()
        menu = _DRAWN[key] = _draw(user)
    return menu


def _draw(user) -> list[dict]:
    sections = []
    for section in MENU:
        links = [entry for link in section.links if (entry := link.for_user(user))]
        if links:
            sections.append({"label": section.label, "links": links})
    return sections


def navigation(request) -> dict:
    """Template context processor: the menu, computed when a template first asks for it."""
    return {"nav_sections": lambda: menu_for(request.user)}
