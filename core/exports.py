"""Exports: one small class per export behind a registry, one renderer, one background job.

An exporter names itself (``identifier``, ``verbose_name``), says who may run it, turns the
request's parameters into clean ones (refusing bad input with a DomainError before anything is
queued), and lists its sheets. A sheet has a name, a title, its columns (each declared once:
header, width, where its value comes from, number format), a count (for the progress bar) and a
generator of rows streamed from the database.

``start_export`` records an ExportJob and enqueues ``core.tasks.run_export`` through the outbox;
``run_export`` writes the workbook with core.excel's constant-memory, formula-safe writer into a
temporary file, reporting progress every PROGRESS_EVERY rows, then stores it with an expiry.
The page polls the job and offers the download; ``purge_expired_exports`` removes old files.

Exporters read through accounts.access with the exporting user, so an export never holds more than
the user's pages show."""

from __future__ import annotations

import abc
import datetime
import errno
import functools
import itertools
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .excel import add_table_sheet, new_workbook
from .models import ExportJob
from .outbox import enqueue

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Rows fetched per round trip while streaming, and how often the job's progress is saved.
CHUNK_SIZE = 500
PROGRESS_EVERY = 1000


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet, declared once: its header, its width, where a row's value comes
    from, and optionally an Excel number format.

    ``source`` names what the cell shows: a key of the row when the rows are dicts (``values()``
    rows, fetched from the database), else an attribute of the row (a model instance, a
    dataclass; "unit.name" follows a relation); or it is a function of the row. ``convert`` turns
    the value into the cell's (``choice_label``, ``local_date``, "是" for True). A function reads
    the keys it names in ``needs`` (fetched too); a function without ``needs`` reads what the
    sheet's ``rows`` computed into the row itself."""

    label: Any
    width: int
    source: str | Callable[[Any], Any]
    convert: Callable[[Any], Any] | None = None
    num_format: str | None = None
    needs: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.needs

    def getter(self, *, dict_rows: bool) -> Callable[[Any], Any]:
        """The cell's value from a row, as one call: made once per sheet written, so that a
        choice's labels are translated once and not once per row."""
        source = self.source
        get: Callable[[Any], Any]
        if isinstance(source, str):
            get = itemgetter(source) if dict_rows else attrgetter(source)
        else:
            get = source
        convert = self.convert
        if convert is None:
            return get
        if isinstance(convert, ChoiceLabel):
            convert = convert.translated()
        return lambda row: convert(get(row))


class ChoiceLabel:
    """A ``convert`` for a choice field: its label, or the stored value when it is not a
    choice."""

    def __init__(self, choices) -> None:
        self.labels = dict(choices)

    def __call__(self, value: Any) -> str:
        return str(self.labels.get(value, value))

    def translated(self) -> Callable[[Any], str]:
        """The same, with the labels translated now into the active language."""
        labels = {value: str(label) for value, label in self.labels.items()}
        return lambda value: labels[value] if value in labels else str(value)


choice_label = ChoiceLabel


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    """A ``convert`` for a timestamp shown as its day in the portal's time zone."""
    return timezone.localtime(moment).date() if moment else None


class Sheet(abc.ABC):
    verbose_name: ClassVar[Any]  # the worksheet's name
    columns: ClassVar[Sequence[Column]]

    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter
        self.user = exporter.user
        self.params = exporter.params

    def title(self) -> str:
        return f"{self.exporter.title()} · {self.verbose_name}"

    def column_headers(self) -> list[tuple[str, int]]:
        return [(str(column.label), column.width) for column in self.columns]

    def column_formats(self) -> dict[int, str]:
        """Number formats by column index, for core.excel's writer."""
        return {i: column.num_format for i, column in enumerate(self.columns) if column.num_format}

    @classmethod
    @functools.cache
    def fields(cls) -> tuple[str, ...]:
        """What the columns read from the database, each once, in column order."""
        return tuple(dict.fromkeys(name for column in cls.columns for name in column.fields))

    def cells(self, row: Any) -> list[Any]:
        """One row of the sheet from a row of data (a dict, or an object), column by column."""
        getters = self.__dict__.get("_getters")
        if getters is None:
            dict_rows = type(row) is dict
            getters = self._getters = [c.getter(dict_rows=dict_rows) for c in self.columns]
        return [get(row) for get in getters]

    def object_row(self, obj: Any, **extra: Any) -> dict[str, Any]:
        """A row from what the columns read of ``obj``'s attributes, with ``extra`` values (what
        the object does not hold, such as the name of the group it belongs to)."""
        row = {name: getattr(obj, name) for name in self.fields() if name not in extra}
        row.update(extra)
        return row

    @abc.abstractmethod
    def count(self) -> int:
        """How many rows ``rows`` will yield (one cheap COUNT query), for the progress bar."""

    @abc.abstractmethod
    def rows(self) -> Iterator[list[Any]]:
        """The rows, streamed from the database."""


class Exporter(abc.ABC):
    identifier: ClassVar[str]
    verbose_name: ClassVar[Any]
    sheet_classes: ClassVar[tuple[type[Sheet], ...]]

    def __init__(self, *, user: User, params: dict) -> None:
        self.user = user
        self.params = params

    @classmethod
    def allowed(cls, user: User) -> bool:
        """May ``user`` run this export at all (the rows are scoped besides)?"""
        return True

    @classmethod
    def clean_params(cls, user: User, data) -> dict:
        """JSON-serialisable parameters from the request's query or form data; raise DomainError
        for bad input."""
        return {}

    def title(self) -> str:
        return str(self.verbose_name)

    def filename(self) -> str:
        return f"{self.verbose_name}-{timezone.localdate():%Y%m%d}.xlsx"

    def sheets(self) -> list[Sheet]:
        return [sheet_class(self) for sheet_class in self.sheet_classes]


def names_by_key(pairs) -> Iterator[tuple[int, str]]:
    """(key, "甲、乙") from (key, name) pairs sorted by key."""
    for key, group in itertools.groupby(pairs, key=itemgetter(0)):
        yield key, "、".join(name for _key, name in group)


class MergedNames:
    """Names attached to rows that stream in the same key order as ``pairs``."""

    def __init__(self, pairs) -> None:
        self._names = names_by_key(pairs)
        self._pending = next(self._names, None)

    def take(self, key: int) -> str:
        while self._pending is not None and self._pending[0] < key:
            self._pending = next(self._names, None)
        return self.take_next(key)

    def take_next(self, key: int) -> str:
        """Like ``take``, for rows that stream in the same order as ``pairs`` whatever that order
        is (not necessarily by key): the names when the next group is ``key``'s."""
        if self._pending is not None and self._pending[0] == key:
            names = self._pending[1]
            self._pending = next(self._names, None)
            return names
        return ""


REGISTRY: dict[str, type[Exporter]] = {}


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    if exporter_class.identifier in REGISTRY:
        raise ValueError(f"Exporter {exporter_class.identifier!r} is registered twice.")
    REGISTRY[exporter_class.identifier] = exporter_class
    return exporter_class


def get_exporter(identifier: str) -> type[Exporter] | None:
    return REGISTRY.get(identifier)


def parse_date(value: str | None, *, field: str, label: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            _("%(label)s不是有效的日期(格式:2026-01-31)。") % {"label": label}, field=field
        ) from None


def write_workbook(output, exporter: Exporter, *, progress=None) -> int:
    """Write every sheet of ``exporter`` into ``output``; ``progress(done, total)`` is called
    every PROGRESS_EVERY rows. Returns the number of rows written."""
    sheets = exporter.sheets()
    total = sum(sheet.count() for sheet in sheets) if progress else 0
    workbook = new_workbook(output)
    done = 0
    for sheet in sheets:
        writer = add_table_sheet(
            workbook, str(sheet.verbose_name), sheet.column_headers(), title=sheet.title()
        )
        num_formats = sheet.column_formats()
        if num_formats:
            writer.set_column_formats(num_formats)
        for row in sheet.rows():
            writer.append(row)
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
    workbook.close()
    return done


def start_export(*, user: User, identifier: str, data) -> ExportJob:
    """Check and record an export for ``user``, queued to run in the background."""
    exporter_class = get_exporter(identifier)
    if exporter_class is None or not exporter_class.allowed(user):
        raise DomainError(_("没有这项导出,或您无权导出。"))
    params = exporter_class.clean_params(user, data)
    with transaction.atomic():
        job = ExportJob.objects.create(user=user, exporter=identifier, params=params)
        enqueue("core.tasks.run_export", str(job.pk))
    return job


class _LeaseLost(Exception):
    """Another run took the job over: this one stops and leaves it alone."""


def run_export(job_id: str) -> str:
    """Run a queued export exactly once, even across a worker killed in the middle.

    The run claims the job with a conditional UPDATE that writes its own token and a lease: a
    queued job, or a running one whose lease has lapsed (its worker died; a live run renews the
    lease every PROGRESS_EVERY rows). A second delivery while the holder is alive is skipped
    (the task tries again when the lease would lapse, see ``lease_remaining``); only the holder
    of the token may finish the job, so it is marked done, with one file, once. A job whose runs
    keep dying (EXPORT_MAX_ATTEMPTS) fails with a message instead of looping."""
    token = uuid.uuid4().hex
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ExportJob.Status.PENDING)
            | Q(status=ExportJob.Status.RUNNING, lease_until__lt=now)
        )
        .update(
            status=ExportJob.Status.RUNNING,
            lease_token=token,
            lease_until=now + lease,
            attempts=F("attempts") + 1,
            rows_done=0,
        )
    )
    if not claimed:
        return "skipped"
    mine = ExportJob.objects.filter(pk=job_id, lease_token=token, status=ExportJob.Status.RUNNING)
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.attempts > settings.EXPORT_MAX_ATTEMPTS:
        mine.update(
            status=ExportJob.Status.FAILED,
            error=_("导出多次中断,未能完成。请缩小导出范围后重试,或联系系统管理员。"),
            finished_at=now,
            lease_until=None,
        )
        return "failed"
    exporter_class = get_exporter(job.exporter)
    try:
        if exporter_class is None or not exporter_class.allowed(job.user):
            raise DomainError(_("没有这项导出,或您无权导出。"))
        exporter = exporter_class(user=job.user, params=job.params)

        def progress(done: int, total: int) -> None:
            renewed = mine.update(
                rows_done=done, rows_total=total, lease_until=timezone.now() + lease
            )
            if not renewed:
                raise _LeaseLost

        with tempfile.TemporaryFile() as output:
            rows = write_workbook(output, exporter, progress=progress)
            output.seek(0)
            job.filename = exporter.filename()
            job.file.save("export.xlsx", File(output), save=False)
        now = timezone.now()
        finished = mine.update(
            status=ExportJob.Status.DONE,
            rows_done=rows,
            rows_total=rows,
            file=job.file.name,
            filename=job.filename,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
            lease_until=None,
        )
        if not finished:  # taken over after this run's lease lapsed: the other run finishes
            job.file.delete(save=False)
            return "skipped"
    except _LeaseLost:
        return "skipped"
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        if job.file:
            job.file.delete(save=False)
        if isinstance(exc, DomainError):
            message = exc.message
        elif isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            message = _("服务器存储空间已满,导出未能保存。请联系系统管理员清理空间后重试。")
        else:
            message = _("导出时发生错误,请稍后重试。")
        mine.update(
            status=ExportJob.Status.FAILED,
            error=str(message),
            finished_at=timezone.now(),
            lease_until=None,
        )
        return "failed"
    return "done"


def lease_remaining(job_id: str) -> float | None:
    """Seconds until the lease of the run holding a running job lapses; None when the job is not
    running (done, failed, gone) or was left running without a lease."""
    lease_until = (
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING)
        .values_list("lease_until", flat=True)
        .first()
    )
    if lease_until is None:
        return None
    return max(0.0, (lease_until - timezone.now()).total_seconds())


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete expired exports and their files; and jobs stuck unfinished for a day."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(expires_at__lt=now) | ExportJob.objects.filter(
        finished_at__isnull=True, created_at__lt=now - datetime.timedelta(days=1)
    )
    deleted = 0
    for job in stale.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted
