#!/usr/bin/env bash
# Install, migrate, load the demo county and start the portal (web, Celery worker and beat) at
# http://127.0.0.1:8000 on embedded defaults: SQLite and the filesystem broker under var/.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
ensure_venv requirements.lock

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-congress_portal.settings.local}"
PY=.venv/bin/python
mkdir -p var/celery/broker var/celery/processed var/celery/results var/log

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# One worker for both queues in the demo; production runs one per queue (deploy/systemd/).
.venv/bin/celery -A congress_portal worker --queues default,bulk --loglevel INFO --pool solo \
    >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A congress_portal beat --loglevel INFO >var/log/beat.log 2>&1 &
pids+=($!)

cat <<MSG

The portal runs at http://127.0.0.1:8000  (Celery worker and beat log to var/log/).
Log in with any demo account above, password Demo@2026. Stop with Ctrl-C.

MSG
$PY manage.py runserver 127.0.0.1:8000
