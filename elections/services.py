"""Writes of the elections app: starting and running a "三零" registration check."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import county_record, require
from core.crypto import SealedContent, open_sealed_file
from core.errors import DomainError
from core.outbox import enqueue
from core.tables import Table, TableError, open_table
from directory.models import Deputy, Region

from .models import Candidate, RegistrationCheck, RegistrationFinding
from .sanling import FileFormatError, Finding, RegistrationComparison, check_columns

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# A county's voter list (600,000 rows) is some 20 MB as .xlsx (more as .xls or CSV): more than
# the portal's default.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


def _max_bytes() -> int:
    return getattr(settings, "ELECTIONS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def _open(source) -> Table:
    """The table of a voter or population list (.xlsx, .xls, .ods or CSV), held to the larger
    limits these county-size lists need."""
    return open_table(
        source,
        max_bytes=_max_bytes(),
        max_uncompressed=settings.ELECTIONS_XLSX_MAX_UNCOMPRESSED_BYTES,
    )


def _check_file(uploaded, *, what: str) -> None:
    """Reject a file that is not a safe table or lacks the columns, before anything is queued."""
    try:
        check_columns(_open(uploaded), what=what)
    except TableError as error:
        raise DomainError(f"{what}:{error}") from None
    except FileFormatError as error:
        raise DomainError(str(error)) from None
    finally:
        uploaded.seek(0)


def registration_check_start(
    *,
    user: User,
    county: Region,
    election_day: datetime.date,
    voter_file,
    population_file,
) -> RegistrationCheck:
    """Record a check of ``voter_file`` against ``population_file`` and queue it."""
    require(user, "registration_check.run", county_record(county.pk))
    _check_file(voter_file, what=_("选民名册"))
    _check_file(population_file, what=_("人口信息"))
    with transaction.atomic():
        check = RegistrationCheck(county=county, election_day=election_day, created_by=user)
        check.save()
        # Sealed on disk (core.crypto): the lists hold every voter's and resident's ID number.
        check.voter_file.save("voters.sealed", SealedContent(voter_file), save=False)
        check.population_file.save("population.sealed", SealedContent(population_file), save=False)
        check.save(update_fields=["voter_file", "population_file"])
        enqueue("elections.tasks.run_registration_check", check.pk)
    return check


class FindingWriter:
    """Stores findings in batches, the township matched by name within the county."""

    def __init__(self, check: RegistrationCheck) -> None:
        self.check = check
        self.townships = dict(
            Region.objects.filter(
                county_id=check.county_id, level=Region.Level.TOWNSHIP
            ).values_list("name", "pk")
        )
        self.pending: list[RegistrationFinding] = []

    def __call__(self, finding: Finding) -> None:
        self.pending.append(
            RegistrationFinding(
                check_run=self.check,
                kind=finding.kind,
                reason=finding.reason,
                township_id=self.townships.get(finding.township),
                township_name=finding.township[:60],
                village_name=finding.village[:60],
                name=finding.name[:60],
                id_number_masked=finding.id_number_masked[:40],
                id_number_hash=finding.id_number_hash,
                row=finding.row,
                detail=finding.detail,
            )
        )
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        RegistrationFinding.objects.bulk_create(self.pending)
        self.pending = []


def registration_check_execute(check_id: int) -> str:
    """Run a queued check once (a redelivered task finds it claimed), then delete both files:
    the population list is not kept beyond the run."""
    claimed = RegistrationCheck.objects.filter(
        pk=check_id, status=RegistrationCheck.Status.PENDING
    ).update(status=RegistrationCheck.Status.RUNNING)
    if not claimed:
        return "skipped"
    check = RegistrationCheck.objects.get(pk=check_id)
    try:
        counts = _compare(check)
    except Exception as exc:
        logger.exception("registration check %s failed", check_id)
        if isinstance(exc, FileFormatError | DomainError | TableError):
            message = str(exc)
        else:
            message = _("比对时发生错误,请稍后重试。")
        RegistrationFinding.objects.filter(check_run=check).delete()
        RegistrationCheck.objects.filter(pk=check_id).update(
            status=RegistrationCheck.Status.FAILED, error=message, finished_at=timezone.now()
        )
        return "failed"
    finally:
        _delete_files(check)
    RegistrationCheck.objects.filter(pk=check_id).update(
        status=RegistrationCheck.Status.DONE,
        voter_rows=counts.voter_rows,
        population_rows=counts.population_rows,
        missing=counts.by_kind[RegistrationFinding.Kind.MISSING],
        wrong=counts.by_kind[RegistrationFinding.Kind.WRONG],
        duplicate=counts.by_kind[RegistrationFinding.Kind.DUPLICATE],
        rows_done=counts.voter_rows + counts.population_rows,
        finished_at=timezone.now(),
    )
    return "done"


def _compare(check: RegistrationCheck):
    # The lists are stored sealed (core.crypto): opened in memory, no clear copy on disk.
    population = _open(open_sealed_file(check.population_file))
    voters = _open(open_sealed_file(check.voter_file))
    total = voters.row_count_hint() + population.row_count_hint()
    RegistrationCheck.objects.filter(pk=check.pk).update(rows_total=total)

    def progress(done: int) -> None:
        RegistrationCheck.objects.filter(pk=check.pk).update(rows_done=done)

    writer = FindingWriter(check)
    comparison = RegistrationComparison(
        election_day=check.election_day, sink=writer, progress=progress
    )
    counts = comparison.run(population, voters)
    writer.flush()
    return counts


def _delete_files(check: RegistrationCheck) -> None:
    for field_file in (check.voter_file, check.population_file):
        if field_file:
            field_file.close()
            field_file.delete(save=False)
    RegistrationCheck.objects.filter(pk=check.pk).update(voter_file="", population_file="")


# A county's check takes a few minutes (bench/sanling.py); one still unfinished after this was
# lost with its worker (a redelivery finds it claimed and skips it).
STALE_AFTER = datetime.timedelta(hours=6)


def registration_checks_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark checks lost with their worker as failed and delete their files, so the population
    list does not outlive the run. Returns how many."""
    now = now or timezone.now()
    stale = RegistrationCheck.objects.filter(
        status__in=[RegistrationCheck.Status.PENDING, RegistrationCheck.Status.RUNNING],
        created_at__lt=now - STALE_AFTER,
    )
    count = 0
    for check in stale:
        _delete_files(check)
        RegistrationFinding.objects.filter(check_run=check).delete()
        RegistrationCheck.objects.filter(pk=check.pk).update(
            status=RegistrationCheck.Status.FAILED,
            error=_("比对中断,请重新发起。"),
            finished_at=now,
        )
        count += 1
    return count


def candidates_link_elected(*, user: User, county: Region, level: str, term: int) -> int:
    """After the election: link each candidate who passed both reviews to the deputy of the
    same name and birth date holding a mandate of that level and term in the county. Returns
    how many were linked; a candidate already linked, or matching two deputies, is left as is."""
    require(user, "structure_target.set", county_record(county.pk))
    elected = Deputy.objects.filter(
        county=county, mandates__level=level, mandates__term=term
    ).values_list("pk", "name", "birth_date")
    by_person: dict[tuple[str, datetime.date], list[int]] = {}
    for pk, name, birth_date in elected.distinct():
        by_person.setdefault((name, birth_date), []).append(pk)
    passed = Candidate.Review.PASSED
    candidates = Candidate.objects.filter(
        county=county,
        level=level,
        term=term,
        deputy__isnull=True,
        political_review=passed,
        quality_review=passed,
    )
    linked = []
    with transaction.atomic():
        for candidate in candidates.select_for_update():
            matches = by_person.get((candidate.name, candidate.birth_date), [])
            if len(matches) == 1:
                candidate.deputy_id = matches[0]
                linked.append(candidate)
        Candidate.objects.bulk_update(linked, ["deputy"])
    return len(linked)
