#!/usr/bin/env bash
# Starts a throw-away Mosquitto on a free loopback port and runs the MQTT ingest benchmark against it.
# usage: bench/mqtt-ingest.sh [messages] [readings-per-message] [paced-rate] [paced-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/peers.sh
start_mosquitto
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet
dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll mqtt-ingest "$MQTT_PORT" "${1:-200000}" "${2:-1}" "${3:-10000}" "${4:-20}"
