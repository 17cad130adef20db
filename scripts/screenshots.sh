#!/usr/bin/env bash
# `make screenshots`: refresh docs/screenshots/*.png (used by README.md) from the demo database,
# with headless Chromium. Creates the demo database like `make run` when it does not exist yet.
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo.conf
DB_NAME=${DB_NAME:-garbage_sorting}
PORT=${SCREENSHOT_PORT:-8079}
setup_all
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || die "Chromium is required (Debian: apt-get install chromium fonts-noto-cjk)."
"$VENV/bin/python" -c "import playwright" 2>/dev/null || "$VENV/bin/pip" install --quiet "playwright==1.49.1"

if ! psql_db -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1; then
    odoo -d "$DB_NAME" -i garbage_sorting,party_branch_linkage --load-language=zh_CN --stop-after-init --log-level=warn
fi
odoo -d "$DB_NAME" --http-port="$PORT" --gevent-port=$((PORT + 1)) --workers=2 --max-cron-threads=0 --log-level=warn &
server=$!
# A second TERM makes Odoo stop at once instead of waiting for idle connections.
stop_server() {
    # $server is the subshell running the odoo function: stop Odoo itself, twice = at once.
    pkill -TERM -P "$server" 2>/dev/null; sleep 1; pkill -TERM -P "$server" 2>/dev/null
    wait "$server" 2>/dev/null
}
trap 'stop_server; stop_postgres' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null "http://localhost:$PORT/web/login" && break; sleep 1; done
"$VENV/bin/python" "$PROJECT_DIR/scripts/screenshots.py" "http://localhost:$PORT" "$CHROME" "$PROJECT_DIR/docs/screenshots"
