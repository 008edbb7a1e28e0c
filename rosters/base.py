"""What every roster import shares: the per-row result of the preview and the errors named by
row and column as Excel shows them (第8行, C列“公民身份号码”)."""

import dataclasses
import itertools
from collections.abc import Iterable, Iterator

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class RowStatus(models.TextChoices):
    CREATE = "create", gettext_lazy("新增")
    UPDATE = "update", gettext_lazy("更新")
    UNCHANGED = "unchanged", gettext_lazy("无变化")
    DUPLICATE = "duplicate", gettext_lazy("重复行(忽略)")
    ERROR = "error", gettext_lazy("有错误")


@dataclasses.dataclass
class RowError:
    row: int
    column: str  # "C列“公民身份号码”", or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("第%(row)d行 %(column)s:%(message)s") % dataclasses.asdict(self)
        return _("第%(row)d行:%(message)s") % dataclasses.asdict(self)


@dataclasses.dataclass
class RowResult:
    row: int
    label: str  # who or what the row is about, e.g. the deputy's name
    status: str = RowStatus.CREATE
    changes: list[str] = dataclasses.field(default_factory=list)
    errors: list[RowError] = dataclasses.field(default_factory=list)

    def content(self) -> dict:
        """What is stored (sealed) for the row: the row number and status are kept apart."""
        return {
            "label": self.label,
            "changes": [str(change) for change in self.changes],
            "errors": [{"column": e.column, "message": str(e.message)} for e in self.errors],
        }


@dataclasses.dataclass
class Preview:
    """The outcome of checking a file, and after a commit what was saved."""

    roster: str
    header_row: int = 0
    mapping: dict[str, int] = dataclasses.field(default_factory=dict)
    rows: list[RowResult] = dataclasses.field(default_factory=list)
    file_errors: list[str] = dataclasses.field(default_factory=list)
    committed: bool = False
    # Values of a fixed-list column the portal does not know, each once with its row count:
    # {column key: {value as written: rows}}. Not row errors; staff map them before the commit.
    unknown_values: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    # The rows handed on as they were checked (:meth:`take` with a sink), counted, not kept:
    # {status: rows}, and how many of them had errors.
    passed: dict[str, int] = dataclasses.field(default_factory=dict)
    passed_errors: int = 0

    @property
    def ok(self) -> bool:
        return (
            not self.file_errors
            and not self.unknown_values
            and not self.passed_errors
            and not any(r.errors for r in self.rows)
        )

    def take(self, results: list[RowResult], sink=None) -> None:
        """The outcome of some rows, in order: kept in ``rows``, or handed to ``sink`` (which
        stores them) and only counted here, so a large file's report is never held whole."""
        if sink is None:
            self.rows.extend(results)
            return
        passed = self.passed
        for result in results:
            passed[result.status] = passed.get(result.status, 0) + 1
            if result.errors:
                self.passed_errors += 1
        sink(results)

    @property
    def row_count(self) -> int:
        return len(self.rows) + sum(self.passed.values())

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RowStatus.values, 0)
        for row in self.rows:
            counts[row.status] += 1
        for status, rows in self.passed.items():
            counts[status] += rows
        return counts

    def report_lines(self) -> list[str]:
        return [*self.file_errors, *(str(error) for error in self.errors)]

    def summary(self) -> dict:
        """What a stored job keeps of the preview (its rows are stored one by one)."""
        return {
            "roster": self.roster,
            "header_row": self.header_row,
            "file_errors": [str(error) for error in self.file_errors],
            "committed": self.committed,
            "ok": self.ok,
            "counts": self.counts(),
            # Each value of a fixed list the portal did not know, with its row count: the value
            # step (rosters.values) lists them. Vocabulary words (职业, 政治面貌 …), not personal data.
            "unknown_values": self.unknown_values,
        }

    def as_dict(self) -> dict:
        """JSON-safe, for the stored job."""
        return dataclasses.asdict(self) | {"ok": self.ok, "counts": self.counts()}


def chunked(rows: Iterable, size: int) -> Iterator[list]:
    """``rows`` in lists of ``size`` (the last one shorter), read as they are asked for."""
    source = iter(rows)
    while batch := list(itertools.islice(source, size)):
        yield batch
