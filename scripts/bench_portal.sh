#!/usr/bin/env bash
# Portal benchmark of the volunteer hours (issue 5): a dedicated database with one million hour
# entries over 5,000 volunteers, Odoo served with 4 workers on loopback behind nginx and HAProxy with the
# project's own proxy configurations (config/nginx-odoo.conf, config/haproxy-odoo.cfg, as in production:
# README "Scaling out"), then
# scripts/bench_portal.py runs 100 concurrent volunteers on /my/volunteer-hours (list + log an entry) and on /my.
# Usage: bash scripts/bench_portal.sh
#   (env: BENCH_PORT, BENCH_DB, BENCH_ENTRIES, BENCH_VOLUNTEERS, BENCH_USERS, BENCH_WORKERS, BENCH_ROUNDS,
#    BENCH_WARMUP;
#    BENCH_PROXY=0 measures Odoo's prefork server without the proxies in front)
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo.conf
DB_NAME=${BENCH_DB:-garbage_sorting_bench_portal}
PORT=${BENCH_PORT:-8769}
ENTRIES=${BENCH_ENTRIES:-1000000}
VOLUNTEERS=${BENCH_VOLUNTEERS:-5000}
USERS=${BENCH_USERS:-100}
WORKERS=${BENCH_WORKERS:-4}
ROUNDS=${BENCH_ROUNDS:-10}
WARMUP=${BENCH_WARMUP:-8}
LOG_DIR=$LOCAL_DIR/log
mkdir -p "$LOG_DIR" "$PROJECT_DIR/bench-results"
rm -f "$LOG_DIR/bench_portal_server.log"
setup_all
PROXY=${BENCH_PROXY:-1}
PROXY_PORT=$((PORT + 2))
QUEUE_PORT=$((PORT + 3))
SERVER_PID=
PROXY_PID=
QUEUE_PID=
cleanup() {
    for pid in $PROXY_PID $QUEUE_PID $SERVER_PID; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    stop_postgres
}
trap cleanup EXIT

say "Fresh database $DB_NAME (garbage_sorting, no demo data)"
psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
odoo -d "$DB_NAME" --db-filter="^$DB_NAME\$" -i garbage_sorting --without-demo=all --stop-after-init \
    --max-cron-threads=0 --workers=0 --logfile="$LOG_DIR/bench_portal_install.log" ||
    die "installation failed (log: $LOG_DIR/bench_portal_install.log)"

say "Generating $VOLUNTEERS volunteers and $ENTRIES hour entries (SQL)"
psql_db -d "$DB_NAME" -v ON_ERROR_STOP=1 -q <<SQL
INSERT INTO garbage_unit (name, code, unit_type, peer_group, active, company_id,
                          create_uid, write_uid, create_date, write_date)
SELECT '压测村', 'BENCH', 'village', 'village_community', true, MIN(id), 1, 1, now(), now() FROM res_company;
INSERT INTO res_partner (name, complete_name, is_volunteer, volunteer_category, active, type, lang, tz, company_id,
                         create_uid, write_uid, create_date, write_date)
SELECT '志愿者' || g, '志愿者' || g, true,
       (ARRAY['retired_cadre','teacher','veteran','retired_party_member','grid_worker','party_member','volunteer'])[1 + g % 7],
       true, 'contact', 'zh_CN', 'Asia/Shanghai', (SELECT MIN(id) FROM res_company), 1, 1, now(), now()
  FROM generate_series(1, $VOLUNTEERS) g;
UPDATE res_partner SET commercial_partner_id = id WHERE is_volunteer;
INSERT INTO garbage_unit_volunteer_rel (partner_id, unit_id)
SELECT p.id, u.id FROM res_partner p, garbage_unit u WHERE p.is_volunteer AND u.code = 'BENCH';
WITH volunteers AS (SELECT array_agg(id ORDER BY id) AS ids,
                           array_agg(volunteer_category ORDER BY id) AS categories FROM res_partner WHERE is_volunteer),
     unit AS (SELECT id, company_id FROM garbage_unit WHERE code = 'BENCH')
INSERT INTO garbage_volunteer_hour (partner_id, volunteer_category, date, hours, activity_type, unit_id, company_id,
                                    source, state, create_uid, write_uid, create_date, write_date)
SELECT v.ids[1 + g % $VOLUNTEERS], v.categories[1 + g % $VOLUNTEERS], CURRENT_DATE - 1 - (g / $VOLUNTEERS) % 700,
       1 + (g % 4) * 0.5, (ARRAY['supervision','correction','publicity','other'])[1 + g % 4], unit.id, unit.company_id,
       (ARRAY['portal','checkin','coordinator'])[1 + g % 3],
       (ARRAY['approved','approved','approved','submitted','draft','rejected'])[1 + g % 6], 1, 1, now(), now()
  FROM generate_series(0, $ENTRIES - 1) g, volunteers v, unit;
ANALYZE res_partner; ANALYZE garbage_volunteer_hour;
SQL
echo "garbage_volunteer_hour rows: $(psql_db -d "$DB_NAME" -qtAc 'SELECT count(*) FROM garbage_volunteer_hour')"

say "Portal logins for $USERS of the volunteers (bench1..bench$USERS, password = login)"
"$PYTHON" "$ODOO_BIN" shell -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" --db_host="$DB_HOST" --db_port="$DB_PORT" \
    --db_user="$DB_USER" -d "$DB_NAME" --no-http --log-level=warn <<PY >/dev/null
partners = env["res.partner"].search([("is_volunteer", "=", True)], order="id", limit=$USERS)
portal = env.ref("base.group_portal")
env["res.users"].with_context(no_reset_password=True).create([
    {"login": f"bench{i}", "password": f"bench{i}", "partner_id": p.id, "groups_id": [(6, 0, portal.ids)]}
    for i, p in enumerate(partners, 1)
])
env.cr.commit()
PY

say "Serving with $WORKERS workers on 127.0.0.1:$PORT"
# Started directly (not through the odoo() function) so that $! is the server itself.
"$PYTHON" "$ODOO_BIN" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" --db_host="$DB_HOST" --db_port="$DB_PORT" \
    --db_user="$DB_USER" -d "$DB_NAME" --db-filter="^$DB_NAME\$" --workers="$WORKERS" --max-cron-threads=0 \
    --http-interface=127.0.0.1 --http-port="$PORT" --gevent-port=$((PORT + 1)) $([ "$PROXY" = 1 ] && echo --proxy-mode) \
    --logfile="$LOG_DIR/bench_portal_server.log" --log-level=warn >/dev/null 2>&1 &
SERVER_PID=$!
for _ in $(seq 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    sleep 1
done

URL=http://127.0.0.1:$PORT
if [ "$PROXY" = 1 ]; then
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    [ -x "$NGINX" ] || die "nginx is missing: apt-get install nginx-light (or BENCH_PROXY=0)"
    HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
    [ -x "$HAPROXY" ] || die "haproxy is missing: apt-get install haproxy (or BENCH_PROXY=0)"

    say "HAProxy's queue in front of the workers on 127.0.0.1:$QUEUE_PORT (config/haproxy-odoo.cfg)"
    QUEUE_DIR=$LOCAL_DIR/bench_haproxy
    mkdir -p "$QUEUE_DIR"
    rm -f "$LOG_DIR/bench_portal_haproxy.log"
    # The Compose set's hosts found by Docker's DNS are this machine's one server here.
    sed -e "s/server-template odoo-web 1-[0-9]* odoo-web:8069/server odoo-web 127.0.0.1:$PORT/" \
        -e "s/ resolvers docker resolve-prefer ipv4 init-addr none//" \
        -e "s/bind :8069/bind 127.0.0.1:$QUEUE_PORT/" "$PROJECT_DIR/config/haproxy-odoo.cfg" >"$QUEUE_DIR/haproxy.cfg"
    "$HAPROXY" -c -q -f "$QUEUE_DIR/haproxy.cfg" || die "haproxy refuses $QUEUE_DIR/haproxy.cfg"
    "$HAPROXY" -db -f "$QUEUE_DIR/haproxy.cfg" >"$LOG_DIR/bench_portal_haproxy.log" 2>&1 &
    QUEUE_PID=$!

    say "nginx in front on 127.0.0.1:$PROXY_PORT (config/nginx-odoo.conf)"
    PROXY_DIR=$LOCAL_DIR/bench_nginx
    mkdir -p "$PROXY_DIR/logs"
    # the Compose set's hosts are this machine's HAProxy and gevent port
    sed -e "s/haproxy:8069/127.0.0.1:$QUEUE_PORT/" -e "s/odoo-web:8072/127.0.0.1:$((PORT + 1))/" \
        -e "s/listen 80;/listen 127.0.0.1:$PROXY_PORT;/" "$PROJECT_DIR/config/nginx-odoo.conf" >"$PROXY_DIR/odoo.conf"
    cat >"$PROXY_DIR/nginx.conf" <<NGINX
worker_processes auto;
pid $PROXY_DIR/nginx.pid;
error_log $PROXY_DIR/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    include $PROXY_DIR/odoo.conf;
}
NGINX
    "$NGINX" -p "$PROXY_DIR" -c "$PROXY_DIR/nginx.conf" -g "daemon off;" &
    PROXY_PID=$!
    URL=http://127.0.0.1:$PROXY_PORT
    for _ in $(seq 30); do
        curl -fs -o /dev/null "$URL/web/login" && break
        sleep 1
    done
    curl -fs -o /dev/null "$URL/web/login" ||
        die "no answer through nginx and HAProxy (logs: $PROXY_DIR/logs, $LOG_DIR/bench_portal_haproxy.log)"
fi

# The kernel's count of connections dropped because a listen queue was full (README "Scaling out").
listen_overflows() { nstat -az TcpExtListenOverflows 2>/dev/null | awk '/ListenOverflows/ { print $2 }'; }
overflows_before=$(listen_overflows)
say "Load: $USERS concurrent volunteers"
"$PYTHON" "$PROJECT_DIR/scripts/bench_portal.py" --url "$URL" --users "$USERS" --rounds "$ROUNDS" --warmup "$WARMUP" \
    --json "$PROJECT_DIR/bench-results/bench_portal.json"
[ -z "$overflows_before" ] ||
    echo "Listen queue overflows during the load (TcpExtListenOverflows): $(($(listen_overflows) - overflows_before))"
