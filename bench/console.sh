#!/usr/bin/env bash
# The console's pages under N signed-in people walking every page back to back (the service on the example site
# with DAYS of demo history). Usage:
#   bench/console.sh [people] [seconds] [days]      (default 10 × 30 s over 400 days)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll console "${1:-10}" "${2:-30}" "${3:-400}"
