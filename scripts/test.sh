#!/usr/bin/env bash
# Runs every test of EnergyMonitor on a fresh Debian 12 machine.
#
# 1. Installs, when missing, the Debian packages whose real servers and peers the integration tests use
#    (InfluxDB 1.6.7, Mosquitto, PostgreSQL 15, pymodbus with the serial modules its server imports, mbpoll, socat,
#    aiosmtpd, poppler, headless chromium for the console). No CJK font: the reports and the console ship their own, and the tests
#    prove it by running without one.
# 2. Checks that each peer really runs before the first test, and stops with one line naming the package if not.
#    Nothing is started here: each test fixture starts its own server on a free loopback port with a temporary
#    data directory, and stops it.
# 3. Checks formatting, builds the solution (warnings are errors) and runs all test projects; exits non-zero on
#    any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every package a peer needs is named here, its recommended dependencies included: the install below leaves
# recommendations out, and pymodbus's server imports serial and serial_asyncio, which Debian only recommends.
packages=(influxdb mosquitto mosquitto-clients postgresql-15 python3-pymodbus python3-serial python3-serial-asyncio mbpoll socat
  python3-aiosmtpd poppler-utils fontconfig openssl chromium faketime)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Each peer must run, not merely be installed: one line naming the package when it does not. pymodbus's
# dependencies come first, so that a missing one is named rather than pymodbus.
check() {
  local package=$1
  shift
  if ! "$@" >/dev/null 2>&1; then
    echo "test peer check failed: '$*' did not run; install or repair the Debian package $package" >&2
    exit 1
  fi
}
check python3-serial /usr/bin/python3 -c 'import serial'
check python3-serial-asyncio /usr/bin/python3 -c 'import serial_asyncio'
check python3-pymodbus /usr/bin/python3 -c 'import pymodbus.server, pymodbus.client'
check python3-aiosmtpd /usr/bin/python3 -c 'import aiosmtpd.controller, aiosmtpd.smtp'
check influxdb influxd version
# The fixture runs initdb and postgres from here (as the postgres user when the tests run as root).
check postgresql-15 sh -c '/usr/lib/postgresql/15/bin/postgres --version | grep -q "(PostgreSQL) 15"'
check postgresql-15 sh -c '/usr/lib/postgresql/15/bin/initdb --version | grep -q "(PostgreSQL) 15"'
check mosquitto sh -c 'mosquitto -h | grep -q "mosquitto version"'
check mosquitto-clients sh -c 'mosquitto_pub --help | grep -q "mosquitto_pub version"'
check mbpoll sh -c 'mbpoll -h | grep -qi "mbpoll"'
check socat socat -V
check openssl openssl version
check poppler-utils sh -c 'pdftotext -v 2>&1 | grep -q "pdftotext version"'
check faketime sh -c 'faketime "2027-01-01 00:30:00" date +%Y | grep -q 2027'
check chromium sh -c 'chromium --headless --no-sandbox --disable-gpu --dump-dom "data:text/html,<p>ok</p>" 2>/dev/null | grep -q "<p>ok</p>"'
echo "test peers: pymodbus, aiosmtpd, influxd, mosquitto, postgres, mbpoll, socat, openssl, poppler, chromium and faketime all run"

# Debian's packages enable their services; the tests never use them, and a stray daemon holding a port
# or a data directory would only confuse a later run.
for svc in influxdb mosquitto postgresql; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The conventions of .editorconfig: a change that breaks them fails here, before any test runs.
if ! dotnet format EnergyMonitor.sln --verify-no-changes -v quiet; then
  echo "code style: run 'dotnet format EnergyMonitor.sln' and commit the result" >&2
  exit 1
fi
dotnet build EnergyMonitor.sln -c Release -nologo -v quiet
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# One project after another, integration last: its timing assertions should not share the two cores
# with the fuzz and property tests of the unit projects.
for project in $(ls tests/*/*.csproj | grep -v '^tests/Integration/') tests/Integration/; do
  dotnet test "$project" -c Release --no-build -nologo "$@" 2>&1 | tee -a "$log" || status=$?
done

# Nothing a test started may outlive it: every fixture kills and waits for its processes on every path out. Any
# still running (energymonitor, influxd, mosquitto, postgres, the Python peers, socat) is named, killed, and fails the run.
leftover=$(pgrep -af 'energymonitor\.dll|influxd -config|mosquitto -c /tmp|pymodbus_server\.py|smtp_sink\.py|socat pty|postgres -D /tmp' | grep -v pgrep || true)
if [[ -n $leftover ]]; then
  echo "processes left running by the tests:" >&2
  echo "$leftover" >&2
  pkill -f 'energymonitor\.dll|influxd -config|mosquitto -c /tmp|socat pty|postgres -D /tmp' || true
  status=1
fi

# One closing line over all test projects.
awk '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { v = $(i+1); gsub(",", "", v)
         if ($i == "Failed:") f += v; if ($i == "Passed:") p += v; if ($i == "Skipped:") s += v }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
