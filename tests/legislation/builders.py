"""Records of 立法意见征集 for the permission matrix: a draft sent to home_a1 (the keeper's and
the deputy's station) and its deputies, with a PDF, a station's opinion and a liaison point."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from legislation import services
from legislation.models import LiaisonPoint


def legislation_objects(world, users) -> dict:
    today = timezone.localdate()
    draft = services.draft_publish(
        user=users["staff"],
        county=world.county_a,
        title="四川省乡村振兴促进条例(修订草案)",
        level="province",
        issuer="四川省人大常委会法工委",
        deadline=today + datetime.timedelta(days=10),
        file=SimpleUploadedFile("草案.pdf", b"%PDF-1.7\n%x\n"),
        stations=[world.home_a1],
    )
    opinion = services.opinion_record(
        user=users["keeper"],
        draft=draft,
        station=world.home_a1,
        article="第十二条",
        content="座谈会意见",
        participants=12,
    )
    point = LiaisonPoint.objects.create(station=world.home_a1, since=today)
    return {
        "legislation:liaison_point_remove": point,
        **{
            name: draft
            for name in (
                "legislation:detail",
                "legislation:file",
                "legislation:opinion_give",
                "legislation:opinion_record",
                "legislation:route",
                "legislation:close",
                "legislation:summary",
                "legislation:report",
                "public:legislation_comment",
                "legislative-draft-detail",
            )
        },
        "legislative-opinion-detail": opinion,
    }
