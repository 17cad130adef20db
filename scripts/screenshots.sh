#!/usr/bin/env bash
# `make screenshots`: refresh docs/screenshots/*.png (used by README.md) from the demo database,
# with headless Chromium, on a fresh demo database (the same as `make run` creates).
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo.conf
DB_NAME=${DB_NAME:-garbage_sorting_screenshots}
PORT=${SCREENSHOT_PORT:-8169}
setup_all
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || die "Chromium is required (Debian: apt-get install chromium fonts-noto-cjk)."
"$VENV/bin/python" -c "import playwright" 2>/dev/null || "$VENV/bin/pip" install --quiet "playwright==1.49.1"

psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
prepare_demo_db
odoo -d "$DB_NAME" --http-port="$PORT" --gevent-port=$((PORT + 1)) --workers=2 --max-cron-threads=0 --log-level=warn &
server=$!
# A second TERM makes Odoo stop at once instead of waiting for idle connections.
stop_server() {
    # $server is the subshell running the odoo function: stop Odoo itself, twice = at once.
    pkill -TERM -P "$server" 2>/dev/null || true
    sleep 1
    pkill -TERM -P "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap 'stop_server; stop_postgres' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null "http://localhost:$PORT/web/login" && break; sleep 1; done
# The pages a QR code opens: the bin site where the demo volunteer is on duty today, an issued certificate.
SITE=$(psql_db -d "$DB_NAME" -tAc "SELECT site.id || '?token=' || site.access_token FROM garbage_volunteer_duty duty
    JOIN garbage_bin_site site ON site.id = duty.site_id
    JOIN garbage_volunteer_duty_partner_rel rel ON rel.duty_id = duty.id
    JOIN res_users u ON u.partner_id = rel.partner_id AND u.login = 'volunteer'
    WHERE duty.date = CURRENT_DATE ORDER BY duty.id LIMIT 1")
# the demo volunteer downloads a certificate once, which issues it
jar=$(mktemp)
csrf=$(curl -s -c "$jar" "http://localhost:$PORT/web/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | cut -d'"' -f4)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$csrf" -d "login=volunteer&password=volunteer" \
    "http://localhost:$PORT/web/login"
curl -s -b "$jar" -o /dev/null "http://localhost:$PORT/my/volunteer-hours/certificate"
rm -f "$jar"
TOKEN=$(psql_db -d "$DB_NAME" -tAc "SELECT token FROM garbage_volunteer_certificate WHERE state = 'valid' ORDER BY id LIMIT 1")
"$VENV/bin/python" "$PROJECT_DIR/scripts/screenshots.py" "http://localhost:$PORT" "$CHROME" "$PROJECT_DIR/docs/screenshots" \
    "$SITE" "$TOKEN"
