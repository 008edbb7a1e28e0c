# Shared by scripts/demo.sh and scripts/test.sh: a virtualenv in .venv with the locked packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

ensure_venv() {
    local lock="$1"
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Python 3.11 or newer is required (found: $("$PYTHON" --version 2>&1))." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        if ! "$PYTHON" -m venv .venv 2>/dev/null; then
            rm -rf .venv
            echo "python3-venv is missing; installing it with apt-get." >&2
            as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv || {
                echo "Install it yourself: sudo apt-get install -y python3-venv" >&2
                exit 1
            }
            "$PYTHON" -m venv .venv
        fi
    fi
    # Reinstall only when the lock file changed.
    local stamp=".venv/.installed-$(basename "$lock")"
    local digest
    digest="$(sha256sum "$lock" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -r "$lock"
        echo "$digest" > "$stamp"
    fi
}
