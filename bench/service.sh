#!/usr/bin/env bash
# The whole-service benchmark: throw-away influxd 1.6.7 and Mosquitto on free loopback ports, then
# `energymonitor run` on 1,000 simulated Modbus meters and a stream of MQTT readings (docs/PERFORMANCE.md).
# usage: bench/service.sh [minutes] [mqtt-readings-per-second] [readings-per-message]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
free() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
influx=$(free); rpc=$(free); mqtt=$(free)
cat > "$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$influx"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
cat > "$dir/mosquitto.conf" <<CONF
listener $mqtt 127.0.0.1
allow_anonymous true
persistence false
user root
# As docs/OPERATIONS.md recommends for a collector.
max_queued_messages 0
max_inflight_messages 0
CONF
influxd -config "$dir/influxdb.conf" >"$dir/influxd.log" 2>&1 &
influx_pid=$!
mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
mosquitto_pid=$!
trap 'kill $influx_pid $mosquitto_pid; wait $influx_pid $mosquitto_pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$influx/ping" >/dev/null; do sleep 0.2; done
until (exec 3<>"/dev/tcp/127.0.0.1/$mqtt") 2>/dev/null; do sleep 0.1; done
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet
dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll service "http://127.0.0.1:$influx" "$mqtt" "${1:-10}" "${2:-5000}" "${3:-10}"
echo "the servers' own CPU time over the whole run (influxd, mosquitto):"
ps -o pid=,time=,rss=,comm= -p "$influx_pid,$mosquitto_pid"
