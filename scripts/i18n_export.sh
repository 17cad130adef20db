#!/usr/bin/env bash
# `make pot`: regenerate each addon's .pot from a fresh install, then merge it into zh_CN.po
# (new terms are added untranslated, obsolete ones dropped, existing translations kept).
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo-test.conf
DB_NAME=garbage_sorting_i18n
setup_all
trap stop_postgres EXIT
psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
odoo -d "$DB_NAME" -i garbage_sorting,party_branch_linkage --stop-after-init --log-level=warn
for module in garbage_sorting party_branch_linkage; do
    mkdir -p "$PROJECT_DIR/addons/$module/i18n"
    pot=$PROJECT_DIR/addons/$module/i18n/$module.pot
    odoo -d "$DB_NAME" --i18n-export="$pot" --modules="$module" --log-level=warn
    "$PYTHON" "$PROJECT_DIR/scripts/i18n_merge.py" "$pot" "$PROJECT_DIR/addons/$module/i18n/zh_CN.po"
done
psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
