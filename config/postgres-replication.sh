#!/bin/bash
# The primary's side of the streaming read replica (docker compose profile "scale", README "Scaling out").
# The official postgres image runs this once, when it creates the db volume (/docker-entrypoint-initdb.d);
# on a volume created before, run it by hand: docker compose exec db bash /docker-entrypoint-initdb.d/10-replication.sh
# A role that may only replicate (Odoo's own user stays out of it), and the pg_hba line a physical replication
# connection needs: "host all all all", which the image writes, does not match replication connections.
# Demo credentials, like odoo/odoo in docker-compose.yml. Written to be run twice without harm.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
SELECT 'CREATE ROLE replicator WITH REPLICATION LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator')\gexec
ALTER ROLE replicator WITH REPLICATION LOGIN PASSWORD 'replicator';
SQL
grep -q '^host replication replicator ' "$PGDATA/pg_hba.conf" ||
    echo 'host replication replicator all scram-sha-256' >>"$PGDATA/pg_hba.conf"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -qc 'SELECT pg_reload_conf()' >/dev/null
