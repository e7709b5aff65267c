#!/usr/bin/env bash
# Starts a throw-away influxd 1.6.7 on a free loopback port and runs the write-rate benchmark against it.
# usage: bench/influx-write.sh [points] ["Full Normal"]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/peers.sh
start_influxd
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet
for sync in ${2:-Full Normal}; do
  dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll influx-write "http://127.0.0.1:$INFLUX_PORT" "${1:-500000}" "$sync"
done
