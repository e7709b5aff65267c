# Throw-away peers on free loopback ports for the benchmark scripts; source it, then call what you need.
# Each start_* sets a port variable and adds its process to PEER_PIDS; stop_peers (an EXIT trap) ends them all
# and removes PEER_DIR.
PEER_DIR=$(mktemp -d)
PEER_PIDS=()

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_peers() {
  if ((${#PEER_PIDS[@]})); then kill "${PEER_PIDS[@]}" 2>/dev/null || true; wait "${PEER_PIDS[@]}" 2>/dev/null || true; fi
  rm -rf "$PEER_DIR"
}
trap stop_peers EXIT

# influxd 1.6.7 with its data in PEER_DIR; sets INFLUX_PORT and INFLUX_PID.
start_influxd() {
  INFLUX_PORT=$(free_port)
  local rpc; rpc=$(free_port)
  cat > "$PEER_DIR/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$PEER_DIR/meta"
[data]
  dir = "$PEER_DIR/data"
  wal-dir = "$PEER_DIR/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
  influxd -config "$PEER_DIR/influxdb.conf" >"$PEER_DIR/influxd.log" 2>&1 &
  INFLUX_PID=$!
  PEER_PIDS+=("$INFLUX_PID")
  until curl -sf "http://127.0.0.1:$INFLUX_PORT/ping" >/dev/null; do sleep 0.2; done
}

# Mosquitto without persistence, configured as docs/OPERATIONS.md recommends for a collector: queue enough for
# a restart, and let the client's Receive Maximum (not Mosquitto's default of 20) bound what is in flight.
# Sets MQTT_PORT and MQTT_PID.
start_mosquitto() {
  MQTT_PORT=$(free_port)
  cat > "$PEER_DIR/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence false
user root
max_queued_messages 0
max_inflight_messages 0
CONF
  mosquitto -c "$PEER_DIR/mosquitto.conf" >"$PEER_DIR/mosquitto.log" 2>&1 &
  MQTT_PID=$!
  PEER_PIDS+=("$MQTT_PID")
  until (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_PORT") 2>/dev/null; do sleep 0.1; done
}
