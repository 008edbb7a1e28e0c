"""Query-count helpers: a page's SQL must not grow with the data behind it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Station

from . import factories as f


def grow(world, n: int) -> None:
    """Add n deputies (each with a mandate and a group) and n // 4 stations to township A1."""
    stations = [world.home_a1] + [
        f.make_station(world.a1, kind=Station.Kind.LIAISON) for _ in range(n // 4)
    ]
    extra_group = f.make_group(world.county_a)
    for i in range(n):
        deputy = f.make_deputy(stations[i % len(stations)], level="township" if i % 3 else "county")
        (world.group_a if i % 2 else extra_group).members.add(deputy)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)
