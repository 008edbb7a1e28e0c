"""Demo 结构关 for the county's current term: the candidate list of the last election (每个当选的
县人大代表 was a candidate, with about half as many again who were not elected, a few stopped at
the political or quality review) with each elected candidate linked to the deputy they became,
and the structure targets the committee set, so the structure page shows real figures."""

import datetime
import random
from decimal import Decimal

from accounts.models import Role, User
from directory.models import Deputy, Education, Level, Mandate, Occupation, Party
from elections.models import Candidate, StructureTarget
from elections.services import candidates_link_elected

TERM = 18
POLITICAL = "县委组织部"
QUALITY = "县选举委员会"
POLITICAL_ON = datetime.date(2021, 10, 15)
QUALITY_ON = datetime.date(2021, 10, 25)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许傅沈曾彭吕苏"
GIVEN = "国建明华英平芳军红志秀兰勇强伟丽敏静杰涛斌辉霞梅琴燕玲海波春林新德文成光荣福祥"
# (dimension, category, min %, max %): the proportions a county election is guided by.
TARGETS = [
    ("gender", "F", Decimal("30.0"), None),
    ("occupation", "farmer", Decimal("30.0"), None),
    ("occupation", "worker", Decimal("10.0"), None),
    ("occupation", "cadre", None, Decimal("25.0")),
    ("party", "cpc", None, Decimal("65.0")),
]


def build_elections(county, *, seed: int = 0) -> bool:
    if Candidate.objects.filter(county=county).exists():
        return False
    staff = User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
    if staff is None:
        return False
    rng = random.Random(f"elections-{county.code}-{seed}")
    StructureTarget.objects.bulk_create(
        [
            StructureTarget(
                county=county,
                level=Level.COUNTY,
                term=TERM,
                dimension=dimension,
                category=category,
                min_percent=low,
                max_percent=high,
            )
            for dimension, category, low, high in TARGETS
        ]
    )
    elected = (
        Deputy.objects.filter(county=county, mandates__level=Level.COUNTY, mandates__term=TERM)
        .order_by("pk")
        .distinct()
    )
    constituency = dict(
        Mandate.objects.filter(deputy__county=county, level=Level.COUNTY, term=TERM).values_list(
            "deputy_id", "constituency"
        )
    )
    passed = {
        "political_review": Candidate.Review.PASSED,
        "political_reviewer": POLITICAL,
        "political_reviewed_on": POLITICAL_ON,
        "quality_review": Candidate.Review.PASSED,
        "quality_reviewer": QUALITY,
        "quality_reviewed_on": QUALITY_ON,
    }
    rows = []
    constituencies = []
    for deputy in elected:
        constituencies.append(constituency[deputy.pk])
        rows.append(
            Candidate(
                county=county,
                level=Level.COUNTY,
                term=TERM,
                constituency=constituency[deputy.pk],
                name=deputy.name,
                gender=deputy.gender,
                birth_date=deputy.birth_date,
                ethnicity=deputy.ethnicity,
                party=deputy.party,
                education=deputy.education,
                occupation=deputy.occupation,
                workplace=deputy.workplace,
                **passed,
            )
        )
    # 差额选举: about half as many candidates again were not elected.
    for index in range(len(constituencies) // 2):
        review = dict(passed)
        if index % 40 == 7:
            review.update(political_review=Candidate.Review.FAILED)
        elif index % 40 == 23:
            review.update(quality_review=Candidate.Review.FAILED)
        rows.append(
            Candidate(
                county=county,
                level=Level.COUNTY,
                term=TERM,
                constituency=rng.choice(constituencies),
                name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)),
                gender="F" if rng.random() < 0.35 else "M",
                birth_date=datetime.date(rng.randint(1962, 1993), rng.randint(1, 12), 15),
                party=rng.choices([Party.CPC, Party.NONE, Party.NONPARTISAN], [60, 35, 5])[0],
                education=rng.choice(list(Education)),
                occupation=rng.choice(
                    [
                        Occupation.FARMER,
                        Occupation.WORKER,
                        Occupation.PROFESSIONAL,
                        Occupation.OTHER,
                    ]
                ),
                review_notes="未当选" if review == passed else "审查未通过,未列入正式候选人",
                **review,
            )
        )
    Candidate.objects.bulk_create(rows, batch_size=1000)
    candidates_link_elected(user=staff, county=county, level=Level.COUNTY, term=TERM)
    return True
