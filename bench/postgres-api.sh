#!/usr/bin/env bash
# The HTTP API's latency under N clients with the service on the embedded store, then on PostgreSQL 15 with the same
# history moved there by `energymonitor migrate --to postgres`, in one run beside a throwaway server
# (bench/with-postgres.sh). Usage:
#   bench/postgres-api.sh [clients] [seconds]      (default 50 × 30, paced at 10 requests a second per client)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-50}
seconds=${2:-30}
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet >/dev/null
bench/with-postgres.sh sh -c "dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll api $clients $seconds 5000 --distinct --rate 10 --postgres \"\$PG_CONNECTION\""
