#!/usr/bin/env bash
# Run the whole test suite. DATABASE_URL and CELERY_BROKER_URL select PostgreSQL and Redis (as
# .ci/run does); without them the suite runs on SQLite with an in-memory broker.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
ensure_venv requirements-dev.lock

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
    echo "Chromium is needed for the browser tests; installing Debian's package." >&2
    as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null || true
fi
if [ ! -x "$CHROMIUM_PATH" ]; then
    echo "!!! Chromium is not installed: the browser tests will FAIL. Install it with:" >&2
    echo "!!!     sudo apt-get install -y chromium" >&2
fi

# gettext's msgfmt, to check that the committed translation catalogue is compiled from its source.
if ! command -v msgfmt >/dev/null; then
    echo "Installing gettext (msgfmt) for the translation catalogue test." >&2
    as_root apt-get install -y -qq gettext >/dev/null 2>&1 || true
fi
# A CJK font, so browser tests and their screenshots draw Chinese rather than boxes.
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
    echo "Installing a CJK font (fonts-noto-cjk) for the browser tests' screenshots." >&2
    as_root apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 \
        || as_root apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || true
fi

export DJANGO_SETTINGS_MODULE=congress_portal.settings.test
# One pytest-xdist worker per core, each with its own test database (TEST_WORKERS=0: one process,
# e.g. for pdb); a file's tests stay together so its module fixtures are built once.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@"
