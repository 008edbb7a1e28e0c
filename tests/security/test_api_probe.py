"""The outside probe, kept: Schemathesis over the whole OpenAPI schema, as committee staff and as
a deputy, against the Django WSGI application with a session cookie, in both generation modes
(data the schema allows and data it does not). Every response must be a documented status with
the documented content type and body: 0 server errors, 0 schema violations.

Bounded so the suite stays fast: EXAMPLES cases per operation and role, derandomised (the same
cases on every run, so CI does not flake), no shrinking. Two checks are left out on purpose:
``positive_data_acceptance`` (a filter naming a record outside the user's scope is refused with
400 by design, which no schema can express) and ``negative_data_rejection`` (an unknown page
size or an empty filter is ignored, as DRF does, rather than refused); ``ignored_auth`` does not
apply, since the session cookie is sent outside the schema's security schemes."""

import contextlib
import time

import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
)

from tests.test_permission_matrix import objects  # noqa: F401 - every kind of record

EXAMPLES = 12
EXCLUDED_CHECKS = [ignored_auth, positive_data_acceptance, negative_data_rejection]


@contextlib.contextmanager
def connection_kept_open():
    """Requests to the WSGI application run in this test's transaction: as Django's test client
    does, they must not close the database connection when they start or end (on PostgreSQL
    that would end the transaction). The test client puts the handler back after each of its
    own requests, so nothing may use it inside this block."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def probe_operation(operation, cookies, counter: list[int]) -> None:
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def probe(case):
        counter.append(1)
        case.call_and_validate(cookies=cookies, excluded_checks=EXCLUDED_CHECKS)

    probe()


def test_schemathesis_finds_no_server_error_and_no_schema_violation(objects, users):  # noqa: F811
    raw = signed_in(users["staff"]).get("/api/schema/?format=json").json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = WSGIHandler()
    schema.validate()  # the schema itself is valid OpenAPI
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 50

    cookies = {
        role: {"sessionid": signed_in(users[role]).cookies["sessionid"].value}
        for role in ("staff", "deputy")
    }
    failures, counter, started = [], [], time.monotonic()
    with connection_kept_open():
        for role in ("staff", "deputy"):
            for operation in operations:
                try:
                    probe_operation(operation, cookies[role], counter)
                except BaseException as error:  # noqa: BLE001 - Schemathesis raises groups
                    if isinstance(error, KeyboardInterrupt):
                        raise
                    failures.append(f"as {role}: {operation.label}\n{error}")
    elapsed = time.monotonic() - started
    print(
        f"\nSchemathesis: {len(operations)} operations x 2 roles, {len(counter)} cases, {elapsed:.0f} s"
    )
    assert not failures, "\n\n".join(failures)
