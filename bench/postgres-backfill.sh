#!/usr/bin/env bash
# The consumption backfill and incremental pass on the embedded store and on PostgreSQL 15, same data, same run.
# Starts a throwaway PostgreSQL (initdb in a temporary directory, a free loopback port; as the postgres user when
# run as root), runs the bench against both stores, and removes the server. Usage:
#   bench/postgres-backfill.sh [meters] [days]      (default 100 × 90, the figures in docs/PERFORMANCE.md)
set -euo pipefail
cd "$(dirname "$0")/.."
meters=${1:-100}
days=${2:-90}
bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/em-pg-bench-XXXXXX)
port=$((20000 + RANDOM % 20000))
as_server=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$dir"
  as_server=(runuser -u postgres --)
fi
"${as_server[@]}" "$bin/initdb" -D "$dir/data" -U energymonitor -A trust -E UTF8 --locale=C >/dev/null
# Durable settings as a server would run (fsync on), with the memory a 24 GiB machine can give it.
"${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_wal_size=4GB" start >/dev/null
trap '"${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"${as_server[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U energymonitor -d postgres -qc "CREATE DATABASE bench" >/dev/null
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll backfill "$meters" "$days" - \
  --postgres "Host=127.0.0.1;Port=$port;Username=energymonitor;Database=bench;Command Timeout=600"
