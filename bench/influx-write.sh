#!/usr/bin/env bash
# Starts a throw-away influxd 1.6.7 on a free loopback port and runs the write-rate benchmark against it.
# usage: bench/influx-write.sh [points] ["Full Normal"]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
rpc=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
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
  bind-address = "127.0.0.1:$port"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
influxd -config "$dir/influxdb.conf" >"$dir/influxd.log" 2>&1 &
pid=$!
trap 'kill $pid; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/ping" >/dev/null; do sleep 0.2; done
dotnet build bench/EnergyMonitor.Bench -c Release -nologo -v quiet
for sync in ${2:-Full Normal}; do
  dotnet bench/EnergyMonitor.Bench/bin/Release/net10.0/EnergyMonitor.Bench.dll influx-write "http://127.0.0.1:$port" "${1:-500000}" "$sync"
done
