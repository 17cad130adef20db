#!/usr/bin/env bash
# `make run`: set everything up, install or update both addons with demo data and Chinese,
# then serve the web client on http://localhost:$HTTP_PORT (8069 unless set) until Ctrl+C, in threaded mode
# (config/odoo.conf: workers = 0), so that the live bus (/websocket) is served on that same port.
source "$(dirname "$0")/common.sh"
ODOO_CONF=$PROJECT_DIR/config/odoo.conf
DB_NAME=${DB_NAME:-garbage_sorting}
HTTP_PORT=${HTTP_PORT:-8069}
setup_all
trap stop_postgres EXIT

prepare_demo_db

cat <<MSG

  Waste Sorting is served on http://localhost:$HTTP_PORT  (Ctrl+C stops it and its database server)
  Demo logins (password = login):
    admin          administrator
    taskforce      task-force manager (镇专班)
    leader         town leader in charge (镇分管领导)
    inspector      patrol inspector (巡查员)
    liaison        unit liaison (联络员) of a village and a community
    coordinator    volunteer coordinator (志愿者协调员)
    secretary      party branch secretary (党支部书记)
    volunteer      volunteer in the portal (志愿者)

MSG
odoo -d "$DB_NAME" --http-port="$HTTP_PORT" --workers=0 "$@"
