"""Writes of the 三联 linkages; each contact is a duty act of the deputy, in the same
transaction."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from accounts.models import Role
from core.errors import DomainError
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from directory.models import Deputy, DeputyGroup

from .models import (
    GroupActivity,
    GroupTask,
    KeyProject,
    MemberContact,
    MemberLink,
    ProjectProblem,
    Voter,
    VoterContact,
)

if TYPE_CHECKING:
    from accounts.models import User


def check_link_limit(member, *, exclude_pk=None) -> None:
    active = MemberLink.objects.filter(member=member, ended_on__isnull=True)
    if exclude_pk:
        active = active.exclude(pk=exclude_pk)
    if active.count() >= settings.MEMBER_LINK_LIMIT:
        raise DomainError(
            _("每名组成人员结对联系的代表不超过%(n)d名,请先结束一个结对。")
            % {"n": settings.MEMBER_LINK_LIMIT},
            field="member",
        )


def member_link_create(
    *, user: "User", member, deputy: Deputy, started_on: datetime.date
) -> MemberLink:
    if not can(user, "member_link.manage", deputy):
        raise DomainError(_("只有本县常委会工作人员可以安排结对。"))
    if member.role != Role.COMMITTEE_MEMBER or member.county_id != deputy.county_id:
        raise DomainError(_("只能安排本县常委会组成人员结对。"), field="member")
    with transaction.atomic():
        type(member).objects.select_for_update().filter(pk=member.pk).first()
        check_link_limit(member)
        if MemberLink.objects.filter(member=member, deputy=deputy, ended_on__isnull=True).exists():
            raise DomainError(_("已经结对。"), field="deputy")
        return MemberLink.objects.create(member=member, deputy=deputy, started_on=started_on)


def member_contact_log(
    *,
    user: "User",
    link: MemberLink,
    date: datetime.date,
    mode: str,
    summary: str,
    issues: str = "",
) -> MemberContact:
    """The member (or committee staff) logs a contact with the paired deputy."""
    if not can(user, "member_link.contact", link):
        raise DomainError(_("只有结对的组成人员或工作人员可以登记联系情况。"))
    if link.ended_on is not None:
        raise DomainError(_("这个结对已经结束。"))
    if date > timezone.localdate():
        raise DomainError(_("联系日期不能晚于今天。"), field="date")
    if not summary.strip():
        raise DomainError(_("请填写联系情况。"), field="summary")
    with transaction.atomic():
        contact = MemberContact.objects.create(
            link=link,
            date=date,
            mode=mode,
            summary=summary.strip(),
            issues=issues.strip(),
            logged_by=user,
        )
        duty_records_sync(
            source=contact,
            kind=DutyRecord.Kind.MEMBER_CONTACT,
            deputies=[link.deputy],
            occurred_on=date,
            title=_("与结对组成人员%(name)s联系") % {"name": link.member.get_full_name()},
        )
    return contact


def may_keep_voters(user: "User", deputy: Deputy) -> bool:
    return can(user, "voter.keep", deputy)


def voter_add(*, user: "User", deputy: Deputy, name: str, phone: str = "", village=None) -> Voter:
    if not may_keep_voters(user, deputy):
        raise DomainError(_("只能为自己登记联系选民,或由本站管理员代为登记。"))
    if not name.strip():
        raise DomainError(_("请填写选民姓名。"), field="name")
    if village is not None and (
        deputy.station is None or village.parent_id != deputy.station.township_id
    ):
        raise DomainError(_("选民所在村(社区)应在代表进驻家站所在的乡镇。"), field="village")
    return Voter.objects.create(deputy=deputy, name=name, phone=phone, village=village)


def voter_contact_log(
    *, user: "User", voter: Voter, date: datetime.date, mode: str, summary: str, opinion: str = ""
) -> VoterContact:
    if not may_keep_voters(user, voter.deputy):
        raise DomainError(_("只能登记自己联系选民的情况,或由本站管理员代为登记。"))
    if date > timezone.localdate():
        raise DomainError(_("联系日期不能晚于今天。"), field="date")
    if not summary.strip():
        raise DomainError(_("请填写联系情况。"), field="summary")
    with transaction.atomic():
        contact = VoterContact.objects.create(
            voter=voter,
            date=date,
            mode=mode,
            summary=summary.strip(),
            opinion=opinion.strip(),
            logged_by=user,
        )
        duty_records_sync(
            source=contact,
            kind=DutyRecord.Kind.VOTER_VISIT,
            deputies=[voter.deputy],
            occurred_on=date,
            title=_("联系选民%(name)s") % {"name": voter.name_masked},
        )
    return contact


# Leaders and key projects ------------------------------------------------------------------


def may_edit_project(user: "User", project: KeyProject) -> bool:
    return can(user, "key_project.edit", project)


def problem_add(
    *, user: "User", project: KeyProject, description: str, raised_on: datetime.date
) -> ProjectProblem:
    if not may_edit_project(user, project):
        raise DomainError(_("只有联系领导或本县工作人员可以登记项目问题。"))
    if not description.strip():
        raise DomainError(_("请填写问题。"), field="description")
    if raised_on > timezone.localdate():
        raise DomainError(_("提出日期不能晚于今天。"), field="raised_on")
    return ProjectProblem.objects.create(
        project=project, description=description.strip(), raised_on=raised_on, updated_by=user
    )


def problem_update(
    *,
    user: "User",
    problem: ProjectProblem,
    status: str,
    resolution: str = "",
    solved_on: datetime.date | None = None,
) -> ProjectProblem:
    """Move a problem along (待协调 → 协调中 → 已解决); solved needs the date and how."""
    if not may_edit_project(user, problem.project):
        raise DomainError(_("只有联系领导或本县工作人员可以更新项目问题。"))
    if status == ProjectProblem.Status.SOLVED:
        if not resolution.strip():
            raise DomainError(_("请说明问题是怎样解决的。"), field="resolution")
        if solved_on is None:
            raise DomainError(_("请填写解决日期。"), field="solved_on")
        if solved_on > timezone.localdate() or solved_on < problem.raised_on:
            raise DomainError(_("解决日期应在提出日期和今天之间。"), field="solved_on")
    else:
        solved_on = None
    problem.status = status
    problem.resolution = resolution.strip()
    problem.solved_on = solved_on
    problem.updated_by = user
    problem.save(update_fields=["status", "resolution", "solved_on", "updated_by"])
    return problem


# 代表小组+ ----------------------------------------------------------------------------------


def group_task_add(
    *, user: "User", group: DeputyGroup, year: int, title: str, description: str = ""
) -> GroupTask:
    """A themed task of the group for a year (committee staff or the group's leader)."""
    if not can(user, "group_work.manage", group):
        raise DomainError(_("只有本县常委会工作人员或本小组组长可以安排专题任务。"))
    title = title.strip()
    if not title:
        raise DomainError(_("请填写专题任务。"), field="title")
    this_year = timezone.localdate().year
    if not this_year - 5 <= year <= this_year + 1:
        raise DomainError(_("年度应在近五年内或明年。"), field="year")
    if GroupTask.objects.filter(group=group, year=year, title=title).exists():
        raise DomainError(_("本小组这一年已有同名的专题任务。"), field="title")
    return GroupTask.objects.create(
        group=group, year=year, title=title, description=description.strip(), created_by=user
    )


def group_activity_log(
    *,
    user: "User",
    group: DeputyGroup,
    date: datetime.date,
    title: str,
    participants: Iterable[Deputy],
    task: GroupTask | None = None,
    place: str = "",
    summary: str = "",
) -> GroupActivity:
    """An activity of the group; each member who took part gets it as a duty act (参加活动)."""
    if not can(user, "group_work.manage", group):
        raise DomainError(_("只有本县常委会工作人员或本小组组长可以登记小组活动。"))
    if date > timezone.localdate():
        raise DomainError(_("活动日期不能晚于今天。"), field="date")
    title = title.strip()
    if not title:
        raise DomainError(_("请填写活动名称。"), field="title")
    if task is not None and task.group_id != group.pk:
        raise DomainError(_("专题任务不属于本小组。"), field="task")
    participants = list(participants)
    if not participants:
        raise DomainError(_("请选择参加活动的代表。"), field="participants")
    members = set(group.members.values_list("pk", flat=True))
    outsiders = [d.name for d in participants if d.pk not in members]
    if outsiders:
        raise DomainError(
            _("%(names)s不是本小组成员。") % {"names": "、".join(outsiders)},
            field="participants",
        )
    with transaction.atomic():
        activity = GroupActivity.objects.create(
            group=group,
            task=task,
            date=date,
            title=title,
            place=place.strip(),
            summary=summary.strip(),
            created_by=user,
        )
        activity.participants.set(participants)
        duty_records_sync(
            source=activity,
            kind=DutyRecord.Kind.ACTIVITY,
            deputies=participants,
            occurred_on=date,
            title=_("%(group)s活动:%(title)s") % {"group": group.name, "title": title},
        )
    return activity
