"""Writes on deputies' records that other features call."""

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core import listcache
from core.errors import DomainError
from directory.models import Deputy

from .models import AidHousehold, AidVisit, DutyRecord, ManualDutyRecord, SmallProblem

if TYPE_CHECKING:
    from accounts.models import User


def duty_records_sync(
    *,
    source: models.Model,
    kind: str,
    deputies: Iterable[Deputy],
    occurred_on: datetime.date,
    title: str,
) -> None:
    """Make the duty records of ``source`` exactly one per deputy in ``deputies``: add the
    missing, remove those of deputies no longer involved, update date and title. Call it inside
    the transaction that saves ``source``."""
    source_type = ContentType.objects.get_for_model(source)
    existing = DutyRecord.objects.filter(source_type=source_type, source_id=source.pk, kind=kind)
    wanted = {deputy.pk for deputy in deputies}
    existing.exclude(deputy_id__in=wanted).delete()
    existing.update(occurred_on=occurred_on, title=title[:200])
    present = set(existing.values_list("deputy_id", flat=True))
    DutyRecord.objects.bulk_create(
        [
            DutyRecord(
                deputy_id=deputy_id,
                kind=kind,
                occurred_on=occurred_on,
                title=title[:200],
                source_type=source_type,
                source_id=source.pk,
            )
            for deputy_id in wanted - present
        ],
        ignore_conflicts=True,
    )


def duty_records_remove(*, source: models.Model) -> None:
    source_type = ContentType.objects.get_for_model(source)
    DutyRecord.objects.filter(source_type=source_type, source_id=source.pk).delete()


def duty_records_grade(*, source: models.Model, kind: str, grade: str) -> None:
    """Set the grade of the duty records of ``source`` (a suggestion's follow its progress)."""
    DutyRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk, kind=kind
    ).update(grade=grade)


def duty_records_grade_many(
    *, model: type[models.Model], kind: str, sources_by_grade: Mapping[str, models.QuerySet]
) -> None:
    """duty_records_grade for many sources at once, one UPDATE per grade: the records of the
    sources in each queryset take its grade."""
    records = DutyRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(model), kind=kind
    )
    for grade, sources in sources_by_grade.items():
        records.filter(source_id__in=sources.values("pk")).update(grade=grade)


# Manual duty records (staff enter, a second staff member approves) ---------------------------


def manual_record_propose(
    *, user: "User", deputy: Deputy, kind: str, occurred_on, title: str, description: str, evidence
) -> ManualDutyRecord:
    if not can(user, "duty_record.enter", deputy):
        raise DomainError(_("只有本县常委会工作人员可以录入履职记录。"))
    if occurred_on > timezone.localdate():
        raise DomainError(_("履职日期不能晚于今天。"), field="occurred_on")
    if not title.strip():
        raise DomainError(_("请填写履职事项。"), field="title")
    return ManualDutyRecord.objects.create(
        deputy=deputy,
        kind=kind,
        occurred_on=occurred_on,
        title=title.strip(),
        description=description.strip(),
        evidence=evidence,
        proposed_by=user,
    )


def manual_record_decide(
    *, user: "User", record: ManualDutyRecord, approve: bool, note: str = ""
) -> ManualDutyRecord:
    """A second staff member approves (the act becomes a duty record that counts) or rejects
    with a reason."""
    if not can(user, "duty_record.enter", record.deputy):
        raise DomainError(_("只有本县常委会工作人员可以审核履职记录。"))
    if record.proposed_by_id == user.pk:
        raise DomainError(_("录入人不能审核自己录入的记录,请由另一名工作人员审核。"))
    if not approve and not note.strip():
        raise DomainError(_("不予通过时请说明理由。"), field="note")
    with transaction.atomic():
        decided = ManualDutyRecord.objects.filter(
            pk=record.pk, status=ManualDutyRecord.Status.PENDING
        ).update(
            status=ManualDutyRecord.Status.APPROVED
            if approve
            else ManualDutyRecord.Status.REJECTED,
            decided_by=user,
            decided_at=timezone.now(),
            decision_note=note.strip(),
        )
        if not decided:
            raise DomainError(_("这条记录已经审核过了。"))
        record.refresh_from_db()
        if approve:
            duty_records_sync(
                source=record,
                kind=record.kind,
                deputies=[record.deputy],
                occurred_on=record.occurred_on,
                title=record.title,
            )
    return record


# Stationing deputies imported without a station (未进驻) -------------------------------------


def deputies_assign_station(*, user: "User", station, deputy_ids: Iterable[int]) -> int:
    """Station every listed unstationed deputy of ``station``'s county at ``station``, in one
    transaction, each change written to the audit trail. Returns how many were stationed."""
    if not can(user, "deputy.assign_station", station):
        raise DomainError(_("只有本县常委会工作人员可以为代表安排进驻家站。"))
    if not station.is_active:
        raise DomainError(_("该家站已停用。"), field="station")
    ids = set(deputy_ids)
    if not ids:
        raise DomainError(_("请至少选择一名代表。"), field="deputies")
    with transaction.atomic():
        deputies = list(
            Deputy.objects.select_for_update()
            .filter(pk__in=ids, station__isnull=True, county_id=station.county_id)
            .only("pk", "name")
        )
        if len(deputies) != len(ids):
            raise DomainError(_("所选代表中有的已进驻家站或不属于本县,请刷新后重试。"))
        Deputy.objects.filter(pk__in=ids).update(station=station, updated_at=timezone.now())
        content_type = ContentType.objects.get_for_model(Deputy)
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    content_type=content_type,
                    object_pk=str(deputy.pk),
                    object_id=deputy.pk,
                    object_repr=str(deputy)[:200],
                    action=LogEntry.Action.UPDATE,
                    changes={"station": ["None", str(station)]},
                    actor=user,
                    timestamp=timezone.now(),
                    cid=get_cid(),
                )
                for deputy in deputies
            ]
        )
        transaction.on_commit(listcache.bump)
    return len(deputies)


# 五个一 acts recorded by the deputy: 小难题 solved, households helped ------------------------------


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("日期不能晚于今天。"), field=field)


def small_problem_record(
    *, user: "User", deputy: Deputy, solved_on: datetime.date, place: str, description: str
) -> SmallProblem:
    """The deputy records a concrete problem they solved (a duty act: 解决一个具体问题)."""
    problem = SmallProblem(deputy=deputy)
    if not can(user, "small_problem.record", problem):
        raise DomainError(_("只能记录自己解决的群众小难题。"))
    _not_future(solved_on, "solved_on")
    if not place.strip():
        raise DomainError(_("请填写地点。"), field="place")
    if len(description.strip()) < 5:
        raise DomainError(_("请写明群众反映的问题和解决情况。"), field="description")
    with transaction.atomic():
        problem.solved_on, problem.place = solved_on, place.strip()
        problem.description, problem.recorded_by = description.strip(), user
        problem.save()
        duty_records_sync(
            source=problem,
            kind=DutyRecord.Kind.SMALL_PROBLEM,
            deputies=[deputy],
            occurred_on=solved_on,
            title=_("解决群众小难题:%(text)s") % {"text": problem.description[:60]},
        )
    return problem


def aid_household_add(
    *,
    user: "User",
    deputy: Deputy,
    head_name: str,
    address: str,
    difficulty: str,
    help_plan: str,
    since: datetime.date,
) -> AidHousehold:
    """The deputy takes on a household in difficulty (a duty act: 帮扶一户困难群众)."""
    household = AidHousehold(deputy=deputy)
    if not can(user, "aid.keep", household):
        raise DomainError(_("只能登记自己帮扶的困难群众。"))
    _not_future(since, "since")
    for field, value, message in (
        ("head_name", head_name, _("请填写户主姓名。")),
        ("address", address, _("请填写住址。")),
        ("difficulty", difficulty, _("请填写困难情况。")),
        ("help_plan", help_plan, _("请填写帮扶措施。")),
    ):
        if not value.strip():
            raise DomainError(message, field=field)
    with transaction.atomic():
        household.head_name, household.address = head_name.strip(), address.strip()
        household.difficulty, household.help_plan = difficulty.strip(), help_plan.strip()
        household.since, household.created_by = since, user
        household.save()
        duty_records_sync(
            source=household,
            kind=DutyRecord.Kind.AID,
            deputies=[deputy],
            occurred_on=since,
            title=_("结对帮扶困难群众:%(place)s") % {"place": household.address},
        )
    return household


def aid_visit_record(
    *, user: "User", household: AidHousehold, visited_on: datetime.date, help_given: str
) -> AidVisit:
    """A visit to a helped household with the help given (each visit a duty act)."""
    if not can(user, "aid.keep", household):
        raise DomainError(_("只能记录自己帮扶对象的走访。"))
    _not_future(visited_on, "visited_on")
    if visited_on < household.since:
        raise DomainError(_("走访日期不能早于帮扶开始日期。"), field="visited_on")
    if household.ended_on is not None:
        raise DomainError(_("这户的帮扶已经结束。"))
    if not help_given.strip():
        raise DomainError(_("请填写帮扶内容。"), field="help_given")
    with transaction.atomic():
        visit = AidVisit.objects.create(
            household=household,
            visited_on=visited_on,
            help_given=help_given.strip(),
            recorded_by=user,
        )
        duty_records_sync(
            source=visit,
            kind=DutyRecord.Kind.AID,
            deputies=[household.deputy],
            occurred_on=visited_on,
            title=_("走访帮扶对象:%(place)s") % {"place": household.address},
        )
    return visit
