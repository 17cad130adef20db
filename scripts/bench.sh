#!/usr/bin/env bash
# `make bench`: the assessment benchmark (scripts/bench_assessment.py) on its own fresh database: one town of
# 2,000 units, then (unless DISTRICT=0) two districts of 20 towns, 4,000 and 40,000 units; then the portal
# load test (unless SKIP_PORTAL_BENCH=1).
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo-test.conf
DB_NAME=${BENCH_DB_NAME:-garbage_sorting_bench}
setup_all
trap stop_postgres EXIT

say "Fresh database $DB_NAME: installing garbage_sorting without demo data"
psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
odoo -d "$DB_NAME" --db-filter="^$DB_NAME\$" -i garbage_sorting --without-demo=all --stop-after-init --log-level=warn

say "Benchmark: scoring and publishing one month of a town, then of a district's towns"
"$PYTHON" "$PROJECT_DIR/scripts/bench_assessment.py" --database "$DB_NAME" -c "$ODOO_CONF" \
    $([ "${DISTRICT:-1}" = 0 ] && echo --no-district) \
    --addons-path="$ADDONS_PATH" --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" \
    --db-filter="^$DB_NAME\$" --log-level=warn

# The portal load test sets up its own database and served instance.
[ -n "${SKIP_PORTAL_BENCH:-}" ] || bash "$PROJECT_DIR/scripts/bench_portal.sh"
