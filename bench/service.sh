#!/usr/bin/env bash
# The whole-service benchmark: throw-away influxd 1.6.7 and Mosquitto on free loopback ports, then
# `energymonitor run` on 1,000 simulated Modbus meters and a stream of MQTT readings (docs/PERFORMANCE.md).
# usage: bench/service.sh [minutes] [mqtt-readings-per-second] [readings-per-message]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/peers.sh
start_influxd
start_mosquitto
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet
dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll service "http://127.0.0.1:$INFLUX_PORT" "$MQTT_PORT" "${1:-10}" "${2:-5000}" "${3:-10}"
echo "the servers' own CPU time over the whole run (influxd, mosquitto):"
ps -o pid=,time=,rss=,comm= -p "$INFLUX_PID,$MQTT_PID"
