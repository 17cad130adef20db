#!/usr/bin/env bash
# `make stop`: stop the private PostgreSQL cluster if one is running.
source "$(dirname "$0")/common.sh"
ensure_postgres
stop_postgres
say "PostgreSQL stopped"
