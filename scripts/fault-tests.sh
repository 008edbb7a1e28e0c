#!/usr/bin/env bash
# Fault tests: the portal under production settings on its own throwaway PostgreSQL cluster (port
# 5441) and redis-server (6391), then PostgreSQL restarted, a worker killed with -9 mid-export
# (the pool process, then the whole worker), Redis stopped for 60 s while receptions are logged
# and reminders go out, and the media disk full (a tmpfs; needs root, else SKIP). One PASS/FAIL
# line each; exit status 1 when one fails. About 5 minutes; never touches the shared services.
#
#   FAULT_PG_PORT, FAULT_REDIS_PORT, FAULT_WEB_PORT   ports (default 5441, 6391, 8795)
#   FAULT_REDIS_DOWN_SECONDS                           how long Redis stays down (default 60)
#   FAULT_KEEP=1                                       keep the temporary directory (logs)
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
ensure_venv requirements.lock
for tool in redis-server redis-cli psql runuser pgrep; do
    command -v "$tool" >/dev/null || { echo "fault-tests: $tool is missing" >&2; exit 1; }
done
exec .venv/bin/python scripts/fault_tests.py
