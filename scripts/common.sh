# Shared set-up for the project's commands: Python environment, Odoo 18 and PostgreSQL.
# Sourced by scripts/run.sh, scripts/test.sh and friends; never run on its own.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_DEFAULT_SRC=/opt/odoo/18.0
ODOO_SRC=${ODOO_SRC:-$ODOO_DEFAULT_SRC}
ODOO_UPSTREAM=https://github.com/odoo/odoo.git
VENV=${VENV:-$PROJECT_DIR/.venv}
PYTHON=${PYTHON:-}
LOCAL_DIR=$PROJECT_DIR/.local
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

find_python() {
    [ -n "$PYTHON" ] && return
    for candidate in python3.12 python3.11 python3; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            PYTHON=$(command -v "$candidate"); return
        fi
    done
    die "Python 3.11 or 3.12 is required (set PYTHON=/path/to/python3.11)."
}

# Odoo 18: $ODOO_SRC, else the default location, else a shallow clone of upstream 18.0.
ensure_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
        say "Odoo 18.0 not found at $ODOO_SRC: cloning upstream 18.0"
        mkdir -p "$(dirname "$ODOO_SRC")" 2>/dev/null || true
        if ! timeout 900 git clone --quiet --depth 1 --branch 18.0 "$ODOO_UPSTREAM" "$ODOO_SRC"; then
            rm -rf "$ODOO_SRC"
            die "Odoo 18.0 is needed and could not be found or downloaded.
       Provide a checkout of Odoo 18.0 Community (the folder that holds odoo-bin) either at
       $ODOO_DEFAULT_SRC or anywhere else with ODOO_SRC=/path/to/odoo, then run the command again."
        fi
    fi
    "${PYTHON:-python3}" - "$ODOO_SRC" <<'PY' || die "$ODOO_SRC is not Odoo 18.0: set ODOO_SRC to an Odoo 18.0 checkout."
import re, sys
text = open(sys.argv[1] + "/odoo/release.py").read()
sys.exit(0 if re.search(r"version_info = \(18, 0,", text) else 1)
PY
    ODOO_BIN="$ODOO_SRC/odoo-bin"
    ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$PROJECT_DIR/addons"
}

# Virtual environment with Odoo's requirements; reinstalled only when the requirement files change.
ensure_venv() {
    find_python
    local stamp="$VENV/.requirements.sha"
    local wanted
    wanted=$(cat "$PROJECT_DIR/requirements.txt" "$PROJECT_DIR/requirements-dev.txt" | sha1sum | cut -d' ' -f1)
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtual environment in $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        say "Installing Python dependencies (Odoo 18 runtime, psycopg2, xlsxwriter, pytest-odoo)"
        "$VENV/bin/pip" install --quiet --upgrade pip wheel
        "$VENV/bin/pip" install --quiet -r "$PROJECT_DIR/requirements-dev.txt"
        echo "$wanted" > "$stamp"
    fi
    PYTHON="$VENV/bin/python"
    # Odoo is run from its source folder: make it importable for pytest-odoo.
    local site
    site=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_SRC" > "$site/odoo-src.pth"
}

# PostgreSQL: a configured server (PGHOST/DB_HOST) is used as is; otherwise a private cluster
# lives in .local/pgdata and listens on a Unix socket only, so it never clashes with another server.
ensure_postgres() {
    DB_HOST=${DB_HOST:-${PGHOST:-}}
    DB_PORT=${DB_PORT:-${PGPORT:-5432}}
    DB_USER=${DB_USER:-odoo}
    if [ -n "$DB_HOST" ]; then
        return
    fi
    [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL server binaries not found: install Debian's postgresql package (apt-get install postgresql) or set DB_HOST."
    PG_DATA=${PG_DATA:-$LOCAL_DIR/pgdata}
    local as_pg=()
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses to run as root: the cluster belongs to the postgres system user.
        as_pg=(runuser -u postgres --)
        mkdir -p "$PG_DATA"
        chown postgres: "$PG_DATA"
        if ! runuser -u postgres -- test -w "$PG_DATA"; then
            PG_DATA=/var/tmp/garbage_sorting/$(echo "$PROJECT_DIR" | sha1sum | cut -c1-12)/pgdata
            mkdir -p "$PG_DATA" && chown -R postgres: "$(dirname "$PG_DATA")"
        fi
    fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "Creating a private PostgreSQL cluster in $PG_DATA"
        "${as_pg[@]}" "$PG_BIN/initdb" --pgdata="$PG_DATA" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    DB_HOST=$PG_DATA
    if ! "${as_pg[@]}" "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1; then
        say "Starting PostgreSQL ($PG_DATA)"
        "${as_pg[@]}" "$PG_BIN/pg_ctl" start -w -D "$PG_DATA" -l "$PG_DATA/server.log" \
            -o "-c listen_addresses='' -k '$PG_DATA' -c fsync=off -c full_page_writes=off -c max_connections=200" >/dev/null
        PG_STARTED_HERE=1
    fi
    "${as_pg[@]}" "$PG_BIN/psql" -h "$PG_DATA" -d postgres -qtAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'" | grep -q 1 ||
        "${as_pg[@]}" "$PG_BIN/psql" -h "$PG_DATA" -d postgres -qc "CREATE ROLE $DB_USER LOGIN SUPERUSER" >/dev/null
    PG_AS=("${as_pg[@]}")
}

stop_postgres() {
    [ -n "${PG_DATA:-}" ] || return 0
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast >/dev/null 2>&1 || true
}

# odoo-bin with the project's configuration and the machine's addons path and database server.
# The database filter follows the command's database, whatever the configuration file says.
odoo() {
    "$PYTHON" "$ODOO_BIN" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
        --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" ${DB_NAME:+--db-filter="^$DB_NAME\$"} "$@"
}

psql_db() {
    "$PG_BIN/psql" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@"
}

FILESTORE=${HOME}/.local/share/Odoo/filestore

drop_db() {
    psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "${FILESTORE:?}/$1"
}

# copy_db SOURCE TARGET: a database and its filestore, as Odoo's own duplicate makes them.
copy_db() {
    drop_db "$2"
    psql_db -d postgres -qc "CREATE DATABASE \"$2\" WITH TEMPLATE \"$1\""
    if [ -d "$FILESTORE/$1" ]; then cp -a "$FILESTORE/$1" "$FILESTORE/$2"; fi
}

# The demo database of `make run` and `make screenshots`: created with both addons, demo data and
# Chinese, or brought up to date when it exists.
# The ERP apps the addons build on. They are installed first, with Chinese: installed in the same run as the
# addons, their Chinese model names would only load at its end, after the demo town has written its chatter
# lines ("Employee 创建" instead of "员工 创建").
TOWN_DEPENDENCIES=mail,portal,hr,calendar,spreadsheet_dashboard

prepare_demo_db() {
    local modules=garbage_sorting,party_branch_linkage
    if psql_db -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1; then
        say "Updating $modules in database $DB_NAME"
        odoo -d "$DB_NAME" -u "$modules" --stop-after-init --log-level=warn
    else
        say "Creating database $DB_NAME with $modules, demo data and Chinese"
        odoo -d "$DB_NAME" -i "$TOWN_DEPENDENCIES" --load-language=zh_CN --stop-after-init --log-level=warn
        odoo -d "$DB_NAME" -i "$modules" --stop-after-init --log-level=warn
    fi
}

setup_all() {
    find_python
    ensure_odoo
    ensure_venv
    ensure_postgres
    command -v wkhtmltopdf >/dev/null ||
        say "Note: wkhtmltopdf is not installed (Debian: apt-get install wkhtmltopdf): reports print as web pages."
}
