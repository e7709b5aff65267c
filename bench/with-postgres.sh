#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15: initdb in a temporary directory, a free loopback port (as the
# postgres user when run as root), fsync on and the memory a 24 GiB machine can give it, as a server would run.
# PG_OPTIONS adds server options (e.g. "-c shared_preload_libraries=pg_stat_statements" to see where time goes).
# The command finds the database `bench` in $PG_CONNECTION; the server and its files go when it ends. Usage:
#   bench/with-postgres.sh COMMAND [ARGS…]
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/em-pg-bench-XXXXXX)
port=$((20000 + RANDOM % 20000))
as_server=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$dir"
  as_server=(runuser -u postgres --)
fi
"${as_server[@]}" "$bin/initdb" -D "$dir/data" -U energymonitor -A trust -E UTF8 --locale=C >/dev/null
"${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_wal_size=4GB ${PG_OPTIONS:-}" start >/dev/null
trap '"${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"${as_server[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U energymonitor -d postgres -qc "CREATE DATABASE bench" >/dev/null
export PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=energymonitor;Database=bench;Command Timeout=600"
"$@"
