#!/usr/bin/env bash
# Core apps stay whole: Odoo's own tests of calendar, hr, portal and mail (the subset named in
# scripts/core_tests.py) on a copy of the test database (both addons installed, every module loaded),
# beside the same tests on a fresh database of the same ERP apps without the addons. A test that passes
# without the addons and fails with them fails this step, named. Both databases are throw-away copies,
# switched to English the same way (Odoo's tests compare English texts) and dropped at the end.
#   bash scripts/core_tests.sh [DATABASE_WITH_THE_ADDONS]   (default: the test database of `make test`)
# Run by scripts/test.sh once it has installed the test database; the database given is only copied.
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo-test.conf
SOURCE_DB=${1:-${TEST_DB_NAME:-garbage_sorting_test}}
WITH_DB=${SOURCE_DB}_core_with_addons
BASE_DB=${SOURCE_DB}_core_without_addons
LOG_DIR=$LOCAL_DIR/log
mkdir -p "$LOG_DIR"

setup_all
with_pid=
cleanup() {
    if [ -n "$with_pid" ]; then
        pkill -P "$with_pid" 2>/dev/null || true
        kill "$with_pid" 2>/dev/null || true
    fi
    drop_db "$WITH_DB"
    drop_db "$BASE_DB"
    # PostgreSQL is stopped here only when this script started it (test.sh stops its own).
    if [ -n "${PG_STARTED_HERE:-}" ]; then stop_postgres; fi
}
trap cleanup EXIT

psql_db -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$SOURCE_DB'" | grep -q 1 ||
    die "database $SOURCE_DB (with both addons) not found: run make test, or name a database with the addons"

# One process a database, with its own HTTP server (the HttpCase tests call the controllers).
run_tests() {
    local db=$1 port
    port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    rm -f "$LOG_DIR/core_tests_$db.log" "$LOG_DIR/core_tests_$db.json"
    "$PYTHON" "$PROJECT_DIR/scripts/core_tests.py" run --http --english --output "$LOG_DIR/core_tests_$db.json" -- \
        -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" --db_host="$DB_HOST" --db_port="$DB_PORT" \
        --db_user="$DB_USER" -d "$db" --db-filter="^$db\$" --http-port="$port" \
        --logfile="$LOG_DIR/core_tests_$db.log" --log-level=info
}

started=$SECONDS
say "Core tests: Odoo's own tests of calendar, hr, portal and mail, with and without the addons"
copy_db "$SOURCE_DB" "$WITH_DB"
# The copy with the addons is tested while the database without them is created: two processes.
run_tests "$WITH_DB" &
with_pid=$!

base_log=$LOG_DIR/core_tests_install.log
if psql_db -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$BASE_DB'" | grep -q 1; then
    # scripts/test.sh copied the ERP apps before it installed the addons: the very same database without them.
    say "Core tests: $BASE_DB as scripts/test.sh prepared it"
else
    rm -f "$base_log"
    # Created as the test database's ERP apps are (scripts/test.sh): the same modules, demo data and Chinese.
    DB_NAME=$BASE_DB odoo -d "$BASE_DB" -i "$TOWN_DEPENDENCIES" --load-language=zh_CN --stop-after-init \
        --logfile="$base_log" || { tail -n 40 "$base_log"; die "installing $BASE_DB failed (log: $base_log)"; }
    say "Core tests: $BASE_DB installed in $((SECONDS - started)) s"
fi
base_status=0
run_tests "$BASE_DB" || base_status=$?
with_status=0
wait "$with_pid" || with_status=$?
with_pid=
for db_status in "$BASE_DB:$base_status" "$WITH_DB:$with_status"; do
    if [ "${db_status#*:}" != 0 ]; then
        tail -n 40 "$LOG_DIR/core_tests_${db_status%:*}.log"
        die "the core tests could not run on ${db_status%:*} (log: $LOG_DIR/core_tests_${db_status%:*}.log)"
    fi
done
say "Core tests: both databases tested in $((SECONDS - started)) s (logs: $LOG_DIR/core_tests_*.log)"
"$PYTHON" "$PROJECT_DIR/scripts/core_tests.py" compare \
    "$LOG_DIR/core_tests_$BASE_DB.json" "$LOG_DIR/core_tests_$WITH_DB.json" ||
    die "installing the addons changes how Odoo's own apps behave: the tests above fail only with them"
