"""The deployment files agree with the settings they serve: queues, upload limits, the private
media location, restart policies, the dedicated user and the root-only environment file."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from core.uploads import request_max_bytes
from operations.checks import QUEUES

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
MIB = 1024 * 1024


def _unit(name: str) -> str:
    return (DEPLOY / "systemd" / name).read_text()


def test_there_is_a_unit_for_web_each_queue_and_beat():
    assert [u.name for u in UNITS] == [
        "portal-beat.service",
        "portal-web.service",
        "portal-worker-bulk.service",
        "portal-worker-default.service",
    ]


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_each_unit_restarts_runs_as_portal_and_reads_the_root_only_env(unit):
    text = unit.read_text()
    assert re.search(r"^Restart=(always|on-failure)$", text, re.M)
    assert re.search(r"^User=portal$", text, re.M)
    assert re.search(r"^EnvironmentFile=/etc/portal/portal.env$", text, re.M)
    assert "NoNewPrivileges=yes" in text and "ProtectSystem=strict" in text


@pytest.mark.parametrize("queue", QUEUES)
def test_each_queue_has_its_worker(queue):
    assert f"--queues {queue} " in _unit(f"portal-worker-{queue}.service")


def test_the_demo_worker_consumes_both_queues():
    demo = (Path(settings.BASE_DIR) / "scripts" / "demo.sh").read_text()
    assert "--queues default,bulk" in demo


def _body_limit(block: str) -> int:
    size = re.search(r"client_max_body_size (\d+)m;", block)
    return int(size.group(1)) * MIB


def test_nginx_allows_what_the_portal_allows():
    conf = (DEPLOY / "nginx" / "portal.conf").read_text()
    server = conf.split("location", 1)[0]
    assert _body_limit(server) >= request_max_bytes("/stations/receptions/new/")
    for path in settings.REQUEST_MAX_BYTES_BY_PATH:
        block = conf.split(f"location = {path} {{", 1)[1].split("}", 1)[0]
        assert _body_limit(block) >= request_max_bytes(path), path
        assert "client_body_timeout 300s;" in block


def test_nginx_serves_private_media_only_through_x_accel_redirect():
    conf = (DEPLOY / "nginx" / "portal.conf").read_text()
    env = (Path(settings.BASE_DIR) / ".env.example").read_text()
    prefix = re.search(r"^PRIVATE_MEDIA_ACCEL_REDIRECT=(\S+)$", env, re.M).group(1)
    internal = conf.split(f"location {prefix} {{", 1)[1].split("}", 1)[0]
    assert "internal;" in internal
    media = conf.split("location /media/ {", 1)[1].split("}", 1)[0]
    assert "return 404;" in media
    proxy = (DEPLOY / "nginx" / "portal-proxy.conf").read_text()
    assert "proxy_set_header X-Request-ID $request_id;" in proxy
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in proxy
