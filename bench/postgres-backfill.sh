#!/usr/bin/env bash
# The consumption backfill and incremental pass on the embedded store and on PostgreSQL 15, same data, same run,
# beside a throwaway server (bench/with-postgres.sh). Usage:
#   bench/postgres-backfill.sh [meters] [days]      (default 100 × 90; docs/PERFORMANCE.md has 1,000 and 10,000 too)
set -euo pipefail
cd "$(dirname "$0")/.."
meters=${1:-100}
days=${2:-90}
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet >/dev/null
bench/with-postgres.sh sh -c "dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll backfill $meters $days - --postgres \"\$PG_CONNECTION\""
