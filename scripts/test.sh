#!/usr/bin/env bash
# `make test`: a fresh database with both addons (demo data and Chinese included), a clean install
# log, the whole pytest-odoo suite (HTTP server and Chromium for the portal) and the linters.
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo-test.conf
DB_NAME=${TEST_DB_NAME:-garbage_sorting_test}
MODULES=garbage_sorting,party_branch_linkage
LOG_DIR=$LOCAL_DIR/log
mkdir -p "$LOG_DIR"

# The suite's tools are checked before anything starts: a missing one is named here with its package, never
# found out as one test's FileNotFoundError minutes later.
missing=()
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null ||
    missing+=("chromium (browser tours)")
command -v wkhtmltopdf >/dev/null || missing+=("wkhtmltopdf (PDF reports)")
command -v pdftotext >/dev/null || missing+=("poppler-utils (pdftotext reads the PDFs back)")
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=("nginx-light (checks the scale-out proxy's configuration)")
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=("haproxy (checks the scale-out queue's configuration)")
if [ ${#missing[@]} -gt 0 ]; then
    die "the test suite needs these Debian packages, not found on this machine:
$(printf '         %s\n' "${missing[@]}")
       Install them (apt-get install chromium wkhtmltopdf poppler-utils nginx-light haproxy) and run the command again."
fi

setup_all
trap stop_postgres EXIT

say "Linting (ruff, pylint-odoo mandatory checks)"
"$VENV/bin/ruff" check "$PROJECT_DIR"
"$VENV/bin/ruff" format --check "$PROJECT_DIR"
"$VENV/bin/pylint" --rcfile="$PROJECT_DIR/.pylintrc" "$PROJECT_DIR"/addons/*

say "Fresh database $DB_NAME: installing $MODULES"
psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
rm -rf "${HOME}/.local/share/Odoo/filestore/$DB_NAME"
install_log=$LOG_DIR/install.log
rm -f "$install_log"
# Tests tagged at_install only run during the install, by Odoo's own runner.
at_install=()
if grep -rqE '@tagged\([^)]*"at_install"' "$PROJECT_DIR"/addons/*/tests; then
    at_install=(--test-enable --test-tags "at_install/garbage_sorting,at_install/party_branch_linkage")
fi
started=$SECONDS
# The any-day database, installed beside (on the second core): the same ERP apps and both addons, without demo
# data. tests/any_day loads the whole demo in it on each of its frozen days.
ANY_DAY_DB=${DB_NAME}_any_day
any_day_log=$LOG_DIR/install_any_day.log
psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$ANY_DAY_DB\" WITH (FORCE)"
rm -rf "${HOME}/.local/share/Odoo/filestore/$ANY_DAY_DB"
DB_NAME=$ANY_DAY_DB odoo -d "$ANY_DAY_DB" -i "$TOWN_DEPENDENCIES,$MODULES" --without-demo=all --load-language=zh_CN \
    --stop-after-init --logfile="$any_day_log" &
any_day_install=$!
odoo -d "$DB_NAME" -i "$TOWN_DEPENDENCIES" --load-language=zh_CN --stop-after-init --logfile="$install_log" ||
    { tail -n 60 "$install_log"; die "installation failed (log: $install_log)"; }
# The core apps' tests compare with these ERP apps alone: a copy of them now, before the addons come.
copy_db "$DB_NAME" "${DB_NAME}_core_without_addons"
odoo -d "$DB_NAME" -i "$MODULES" --stop-after-init "${at_install[@]}" \
    --logfile="$install_log" || { tail -n 60 "$install_log"; die "installation failed (log: $install_log)"; }
# Our addons must install without a single error, and without a warning of their own.
# (the database name is cut out first: it contains "garbage_sorting" too)
problems=$(sed "s/ $DB_NAME / /" "$install_log" | grep -E ' (ERROR|CRITICAL) ' || true)
problems+=$(sed "s/ $DB_NAME / /" "$install_log" |
    grep -E ' WARNING .*(garbage_sorting|party_branch_linkage|garbage\.|party\.)' || true)
if [ -n "$problems" ]; then
    echo "$problems"
    die "the install log has errors or warnings from these addons (log: $install_log)"
fi
wait "$any_day_install" || { tail -n 60 "$any_day_log"; die "installation failed (log: $any_day_log)"; }
say "Installed in $((SECONDS - started)) s"

# pytest-odoo on a database: run_suite DB [pytest arguments...]
run_suite() {
    local db=$1
    shift
    "$VENV/bin/pytest" -p no:cacheprovider \
        --odoo-config="$ODOO_CONF" --odoo-database="$db" --odoo-addons-path="$ADDONS_PATH" \
        --odoo-extra="db_host=$DB_HOST" --odoo-extra="db_port=$DB_PORT" --odoo-extra="db_user=$DB_USER" \
        --odoo-extra="db-filter=^$db\$" --odoo-log-level=warn "$@"
}

# Two steps side by side (one a core): the demo on any day, and Odoo's own tests of the ERP apps with and
# without the addons (on copies: the test database stays as installed).
cd "$PROJECT_DIR"
say "The demo on any day: twelve frozen days (tests/any_day), beside the core apps' tests"
any_day_output=$LOG_DIR/any_day.log
run_suite "$ANY_DAY_DB" "$@" tests/any_day >"$any_day_output" 2>&1 &
any_day_run=$!
core_status=0
if [ -z "${SKIP_CORE_TESTS:-}" ]; then
    bash "$PROJECT_DIR/scripts/core_tests.sh" "$DB_NAME" || core_status=$?
fi
any_day_status=0
wait "$any_day_run" || any_day_status=$?
[ "$any_day_status" != 5 ] || any_day_status=0 # pytest's "no test selected": a -k that picks none of them
tail -n 5 "$any_day_output"
[ "$any_day_status" = 0 ] || { cat "$any_day_output"; die "the demo does not hold on every day (tests/any_day)"; }
[ "$core_status" = 0 ] ||
    die "Odoo's own tests fail with the addons where they pass without them (see \"Core tests\" above)"

say "Running the test suite (pytest-odoo)"
run_suite "$DB_NAME" --odoo-http --ignore=tests/any_day \
    "$@" addons/garbage_sorting/tests addons/party_branch_linkage/tests tests
