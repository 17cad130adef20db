#!/usr/bin/env bash
# `make test`: a fresh database with both addons (demo data and Chinese included), a clean install
# log, the whole pytest-odoo suite (HTTP server and Chromium for the portal) and the linters.
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo-test.conf
DB_NAME=${TEST_DB_NAME:-garbage_sorting_test}
MODULES=garbage_sorting,party_branch_linkage
LOG_DIR=$LOCAL_DIR/log
mkdir -p "$LOG_DIR"

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROME" ] || die "Chromium is required by the portal browser tests and was not found.
       Install it (Debian: apt-get install chromium) and run the command again."

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
odoo -d "$DB_NAME" -i "$TOWN_DEPENDENCIES" --load-language=zh_CN --stop-after-init --logfile="$install_log" ||
    { tail -n 60 "$install_log"; die "installation failed (log: $install_log)"; }
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
say "Installed in $((SECONDS - started)) s"

# Odoo's own tests of the ERP apps, with and without the addons (on copies: the database stays as installed).
core_status=0
if [ -z "${SKIP_CORE_TESTS:-}" ]; then
    bash "$PROJECT_DIR/scripts/core_tests.sh" "$DB_NAME" || core_status=$?
fi

say "Running the test suite (pytest-odoo)"
cd "$PROJECT_DIR"
pytest_status=0
"$VENV/bin/pytest" -p no:cacheprovider \
    --odoo-config="$ODOO_CONF" --odoo-database="$DB_NAME" --odoo-addons-path="$ADDONS_PATH" \
    --odoo-extra="db_host=$DB_HOST" --odoo-extra="db_port=$DB_PORT" --odoo-extra="db_user=$DB_USER" --odoo-extra="db-filter=^$DB_NAME\$" \
    --odoo-log-level=warn --odoo-http \
    "$@" addons/garbage_sorting/tests addons/party_branch_linkage/tests tests || pytest_status=$?
if [ "$core_status" != 0 ]; then
    die "Odoo's own tests fail with the addons where they pass without them (see \"Core tests\" above)"
fi
exit "$pytest_status"
