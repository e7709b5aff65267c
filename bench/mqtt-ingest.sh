#!/usr/bin/env bash
# Starts a throw-away Mosquitto on a free loopback port and runs the MQTT ingest benchmark against it.
# usage: bench/mqtt-ingest.sh [messages] [readings-per-message] [paced-rate] [paced-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
user root
# As docs/OPERATIONS.md recommends for a collector: queue enough for a restart, and let the client's
# Receive Maximum (not Mosquitto's default of 20) bound what is in flight.
max_queued_messages 0
max_inflight_messages 0
CONF
mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
pid=$!
trap 'kill $pid; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.1; done
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet
dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll mqtt-ingest "$port" "${1:-200000}" "${2:-1}" "${3:-10000}" "${4:-20}"
