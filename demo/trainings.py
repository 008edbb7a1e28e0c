"""Demo 代表培训 for the county: a year's layered courses (初任筑基、任期提升、专题突破 in their three
modes) with the deputies who attended, each attendance a duty act as the sign-in import makes."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deputies.models import DutyRecord, Training, TrainingAttendance
from directory.models import Deputy

COURSES = [
    ("新任代表履职能力培训班", Training.Kind.FOUNDATION, Training.Mode.CLASSROOM, 16, 120),
    ("代表建议撰写与调研方法专题班", Training.Kind.IN_TERM, Training.Mode.CLASSROOM, 8, 90),
    ("红色研学:苍溪红军渡现场教学", Training.Kind.IN_TERM, Training.Mode.RED_STUDY, 8, 60),
    ("乡村振兴专题研修", Training.Kind.THEMATIC, Training.Mode.ONLINE, 6, 150),
    ("医养结合政策专题讲座", Training.Kind.THEMATIC, Training.Mode.ONLINE, 4, 100),
]


def build_trainings(county, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if Training.objects.filter(county=county).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"trainings-{county.code}-{seed}")
    deputies = list(Deputy.objects.filter(station__county=county).order_by("pk"))
    attendances = []
    for index, (name, kind, mode, hours, size) in enumerate(COURSES):
        start = today - datetime.timedelta(days=40 + index * 55)
        course = Training.objects.create(
            county=county,
            name=name,
            kind=kind,
            mode=mode,
            start_date=start,
            end_date=start + datetime.timedelta(days=1 if hours > 8 else 0),
            hours=hours,
            place="县人大常委会培训中心" if mode != Training.Mode.ONLINE else "线上",
        )
        attendances += [
            TrainingAttendance(training=course, deputy=deputy, hours=hours)
            for deputy in rng.sample(deputies, min(size, len(deputies)))
        ]
    attendances = TrainingAttendance.objects.bulk_create(attendances, batch_size=1000)
    source_type = ContentType.objects.get_for_model(TrainingAttendance)
    courses = {t.pk: t for t in Training.objects.filter(county=county)}
    DutyRecord.objects.bulk_create(
        [
            DutyRecord(
                deputy_id=a.deputy_id,
                kind=DutyRecord.Kind.TRAINING,
                occurred_on=courses[a.training_id].start_date,
                title=f"参加培训:{courses[a.training_id].name}",
                source_type=source_type,
                source_id=a.pk,
            )
            for a in attendances
        ],
        batch_size=1000,
    )
    return True
