"""Accounts and pools for the load test, over a database that ``seed_demo --scale N`` built.

``prepare(path)`` runs inside Django (``manage.py shell``, settings ``bench.load.settings``) and
writes a JSON file the Locust users read: who logs in, which reception day each deputy may still
log, which rota each keeper edits, what the public form offers. Everything lives in the first
demo county (苍溪县, the public county), which is what the county's own people use; the other
demo counties only make the tables larger (10× data = 10 counties).

- ``DEPUTIES`` deputies of the county's stations (their seeded logins, given the demo password); each gets
  today's reception day at their station (a reception-day morning) and is on duty; the pool
  holds every (deputy, day) pair in the last half year they have not logged yet, so a deputy's
  virtual user logs a reception once per pair, as the real rule allows.
- ``KEEPERS`` station keepers ``load_keeper_<n>``, one per home station, each with the future
  reception days of their station to edit.
- The demo's ``staff`` and ``township`` logins browse lists and statistics.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from demo.seed import DEMO_PASSWORD, county_identity
from directory.models import Deputy, Level, Region, Station
from stations.models import Opinion, Reception, ReceptionDay

DEPUTIES = 120
KEEPERS = 40
PASSWORD = DEMO_PASSWORD


@transaction.atomic
def prepare(path: str) -> None:
    today = timezone.localdate()
    now = timezone.now()
    county = Region.objects.get(code=county_identity(0)[0])
    password = make_password(PASSWORD)  # hashed once: PBKDF2 per account would take minutes

    # The seed gives every deputy a login already; the load test sets a known password on some.
    users = list(
        User.objects.filter(
            role=Role.DEPUTY,
            is_active=True,
            deputy__station__county=county,
            deputy__mandates__level=Level.COUNTY,
            deputy__mandates__is_active=True,
        )
        .select_related("deputy__station")
        .distinct()
        .order_by("pk")[:DEPUTIES]
    )
    User.objects.filter(pk__in=[u.pk for u in users]).update(
        password=password, password_changed_at=now
    )
    deputy_logins = []
    for user in users:
        username, deputy = user.username, user.deputy
        day, _created = ReceptionDay.objects.get_or_create(
            station=deputy.station, date=today, defaults={"status": ReceptionDay.Status.PLANNED}
        )
        day.on_duty.add(deputy)
        logged = set(
            Reception.objects.filter(deputy=deputy).values_list("reception_day_id", flat=True)
        )
        free = [
            day_id
            for day_id in ReceptionDay.objects.filter(
                station=deputy.station,
                date__lte=today,
                date__gte=today - datetime.timedelta(days=180),
            )
            .exclude(status=ReceptionDay.Status.CANCELLED)
            .order_by("-date")
            .values_list("pk", flat=True)
            if day_id not in logged
        ]
        deputy_logins.append({"username": username, "deputy": deputy.pk, "days": free})

    keeper_logins = []
    homes = Station.objects.filter(county=county, kind=Station.Kind.HOME).order_by("pk")[:KEEPERS]
    for n, station in enumerate(homes):
        username = f"load_keeper_{n}"
        User.objects.update_or_create(
            username=username,
            defaults={
                "role": Role.STATION_KEEPER,
                "station": station,
                "full_name": f"{station.name}管理员",
                "password": password,
                "password_changed_at": now,
                "is_active": True,
            },
        )
        days = list(
            ReceptionDay.objects.filter(station=station, date__gt=today)
            .exclude(status=ReceptionDay.Status.CANCELLED)
            .order_by("date")
            .values("pk", "date", "status")[:3]
        )
        on_duty = list(
            Deputy.objects.filter(station=station).order_by("pk").values_list("pk", flat=True)[:6]
        )
        if days and on_duty:
            keeper_logins.append(
                {
                    "username": username,
                    "days": [
                        {"pk": d["pk"], "date": d["date"].isoformat(), "status": d["status"]}
                        for d in days
                    ],
                    "deputies": on_duty,
                }
            )

    stations = list(
        Station.objects.filter(county=county).order_by("pk").values("pk", "township_id")[:200]
    )
    codes = list(
        Opinion.objects.filter(county=county)
        .order_by("pk")
        .values_list("tracking_code", flat=True)[:500]
    )
    data = {
        "password": PASSWORD,
        "deputies": deputy_logins,
        "keepers": keeper_logins,
        "staff": ["staff", "township"],
        "public_stations": stations,
        "tracking_codes": codes,
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False))
    pairs = sum(len(d["days"]) for d in deputy_logins)
    print(
        f"load accounts: {len(deputy_logins)} deputies ({pairs} receptions to log), "
        f"{len(keeper_logins)} keepers, {len(codes)} tracking codes"
    )
