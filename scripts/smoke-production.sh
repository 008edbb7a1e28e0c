#!/usr/bin/env bash
# Starts the portal as production runs it — production settings, this machine's PostgreSQL
# (its own database, recreated) and Redis (its own db numbers, flushed), gunicorn, a worker per
# queue and beat — then logs in, logs a reception, runs an export through the bulk worker and
# downloads it, checks /healthz and /readyz, and stops everything it started. About a minute.
#
#   SMOKE_DATABASE   database name (default congress_portal_smoke; dropped and recreated)
#   SMOKE_PG         server URL without the database (default postgres://postgres@127.0.0.1:5432)
#   SMOKE_BROKER_DB, SMOKE_CACHE_DB   Redis db numbers (default 15 and 10; flushed)
#   SMOKE_PORT       gunicorn's port on 127.0.0.1 (default 8765; nginx on the next two)
#   SMOKE_NGINX      the nginx binary (default: nginx on PATH). When there is one, the client
#                    goes through deploy/nginx/portal.conf (TLS with a throw-away certificate,
#                    private files by X-Accel-Redirect); otherwise straight to gunicorn.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
ensure_venv requirements.lock

SMOKE_DATABASE="${SMOKE_DATABASE:-congress_portal_smoke}"
SMOKE_PG="${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}"
SMOKE_BROKER_DB="${SMOKE_BROKER_DB:-15}"
SMOKE_CACHE_DB="${SMOKE_CACHE_DB:-10}"
SMOKE_PORT="${SMOKE_PORT:-8765}"
# Three ports from SMOKE_PORT (gunicorn, nginx TLS, nginx plain) must be free: a server left
# listening there (a demo, another run) would answer /healthz in the stack's place.
for port in "$SMOKE_PORT" $((SMOKE_PORT + 1)) $((SMOKE_PORT + 2)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "Port $port on 127.0.0.1 is in use; stop what listens there or set SMOKE_PORT." >&2
        exit 1
    fi
done
work="$(mktemp -d /tmp/portal-smoke.XXXXXX)"
pids=()

stop() {
    local status=$?
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$status" != 0 ]; then
        echo "--- smoke failed; the logs of the stack:" >&2
        tail -n 40 "$work"/*.log >&2 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap stop EXIT INT TERM

started=$(date +%s)
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=congress_portal.settings.production
export SECRET_KEY="smoke-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export PERSONAL_DATA_KEYS="$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export PERSONAL_DATA_HASH_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export DATABASE_URL="$SMOKE_PG/$SMOKE_DATABASE"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/$SMOKE_BROKER_DB"
export CACHE_URL="redis://127.0.0.1:6379/$SMOKE_CACHE_DB"
export ALLOWED_HOSTS=127.0.0.1
export VAR_DIR="$work/var"
export STATIC_ROOT="$work/static"
# Heartbeats every 5 s so /readyz can see a worker and beat's first tick within seconds.
export WORKER_HEARTBEAT_SECONDS=5 BEAT_HEARTBEAT_SECONDS=5
mkdir -p "$VAR_DIR/celery"
SMOKE_NGINX="${SMOKE_NGINX:-$(command -v nginx || true)}"
if [ -n "$SMOKE_NGINX" ]; then export PRIVATE_MEDIA_ACCEL_REDIRECT=/_protected_media/; fi

psql "$SMOKE_PG/postgres" -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$SMOKE_DATABASE\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$SMOKE_DATABASE\""
redis-cli -n "$SMOKE_BROKER_DB" FLUSHDB >/dev/null
redis-cli -n "$SMOKE_CACHE_DB" FLUSHDB >/dev/null

$PY manage.py check --deploy --fail-level WARNING
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py shell -c "import scripts.smoke_production as s; s.setup()"
echo "prepared in $(( $(date +%s) - started )) s"

.venv/bin/gunicorn congress_portal.wsgi --bind "127.0.0.1:$SMOKE_PORT" --workers 2 \
    >"$work/web.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A congress_portal worker --queues default --hostname "default@smoke" \
    --concurrency 1 --loglevel INFO >"$work/worker-default.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A congress_portal worker --queues bulk --hostname "bulk@smoke" \
    --concurrency 1 --loglevel INFO >"$work/worker-bulk.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A congress_portal beat --loglevel INFO >"$work/beat.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$SMOKE_PORT/healthz" 2>/dev/null && break
    sleep 0.5
done
base="http://127.0.0.1:$SMOKE_PORT"
if [ -n "$SMOKE_NGINX" ]; then
    ng="$work/nginx"
    mkdir -p "$ng"
    openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 \
        -keyout "$ng/portal.key" -out "$ng/portal.crt" 2>/dev/null
    cp deploy/nginx/portal-proxy.conf "$ng/"
    sed -e "s#server 127.0.0.1:8000#server 127.0.0.1:$SMOKE_PORT#" \
        -e "s#listen 443 ssl http2;#listen 127.0.0.1:$((SMOKE_PORT + 1)) ssl http2;#" \
        -e "s#listen 80;#listen 127.0.0.1:$((SMOKE_PORT + 2));#" -e "/listen \[::\]/d" \
        -e "s#/etc/nginx/snippets/#$ng/#; s#/etc/portal/tls/#$ng/#; s#/var/log/nginx/#$ng/#" \
        -e "s#/srv/portal/app/staticfiles/#$STATIC_ROOT/#; s#/var/lib/portal/media/#$VAR_DIR/media/#" \
        deploy/nginx/portal.conf >"$ng/portal.conf"
    cat >"$ng/nginx.conf" <<NGINX
$( [ "$(id -u)" = 0 ] && echo "user $(id -un);" )
pid $ng/nginx.pid;
error_log $ng/error.log;
events {}
http {
    client_body_temp_path $ng/body; proxy_temp_path $ng/proxy; fastcgi_temp_path $ng/fastcgi;
    uwsgi_temp_path $ng/uwsgi; scgi_temp_path $ng/scgi;
    default_type application/octet-stream;
    access_log $ng/access.log;
    include $ng/portal.conf;
}
NGINX
    "$SMOKE_NGINX" -t -q -e "$ng/error.log" -c "$ng/nginx.conf" -p "$ng"
    "$SMOKE_NGINX" -e "$ng/error.log" -c "$ng/nginx.conf" -p "$ng" -g "daemon off;" &
    pids+=($!)
    base="https://127.0.0.1:$((SMOKE_PORT + 1))"
    echo "through nginx at $base (X-Accel-Redirect for private files)"
else
    echo "nginx is not installed: the client talks to gunicorn directly"
fi
$PY scripts/smoke_production.py client "$base"
grep -q '"logger": "portal.request"' "$work/web.log" || { echo "no JSON request log" >&2; exit 1; }
grep -q '"task": "core.tasks.run_export"' "$work/worker-bulk.log" || {
    echo "the export did not run on the bulk worker" >&2
    exit 1
}
echo "smoke-production passed in $(( $(date +%s) - started )) s"
