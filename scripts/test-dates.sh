#!/usr/bin/env bash
# The suites whose outcome could depend on the date, run under faketime (libfaketime: the test host and every
# process it starts read the faked clock) at the moments where date arithmetic breaks: New Year's night, 1 March of
# a leap year, the last minutes of a month, a 调休 working Sunday, and the day the demo's history begins. The machine
# keeps UTC; each moment is given in UTC with its Asia/Shanghai meaning.
#
# Left out, with the reason: the console walked in chromium (a browser under LD_PRELOAD'd time is not what is under
# test, and its GPU and sandbox threads spin), and the suites that start influxd (its storage engine's compactions and
# retention run on the faked clock). Neither depends on the date: the console's fixture runs on its own clock
# (ENERGYMONITOR_NOW), and the InfluxDB tests stamp their readings relative to now.
#
# Usage: scripts/test-dates.sh [extra dotnet test arguments]; after scripts/test.sh (or a Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)" >&2; exit 1; }

moments=(
  "2026-12-31 16:30:00|1 January 2027, 00:30 in Asia/Shanghai"
  "2028-03-01 01:00:00|1 March 2028, 09:00: a leap year"
  "2027-04-30 15:50:00|30 April 2027, 23:50: the last day of a month"
  "2026-01-04 02:00:00|Sunday 4 January 2026, 10:00: a 调休 working day"
  "2025-12-31 16:05:00|1 January 2026, 00:05: the day a demo history begins (from 1 January of the year before last)"
)
exclude="FullyQualifiedName!~ConsoleBrowserTests&FullyQualifiedName!~Soak&FullyQualifiedName!~CrashRecoveryTests"
exclude+="&FullyQualifiedName!~InfluxV1ContractTests&FullyQualifiedName!~OutboxInfluxFaultTests&FullyQualifiedName!~StoreParityTests"
exclude+="&FullyQualifiedName!~TestServersTests"

status=0
summary=()
for moment in "${moments[@]}"; do
  at=${moment%%|*}
  what=${moment#*|}
  log=$(mktemp)
  echo "== $what (faketime @$at UTC)"
  for project in $(ls tests/*/*.csproj | grep -v '^tests/Integration/') tests/Integration/; do
    faketime -f "@$at" dotnet test "$project" -c Release --no-build -nologo --filter "$exclude" "$@" 2>&1 | tee -a "$log" | grep -E "^(Passed|Failed)!|^  Failed " || true
  done
  line=$(awk '/(Passed|Failed)! +- +Failed:/ {
         for (i = 1; i <= NF; i++) { v = $(i+1); gsub(",", "", v)
           if ($i == "Failed:") f += v; if ($i == "Passed:") p += v; if ($i == "Skipped:") s += v }
       }
       END { printf "%d passed, %d failed, %d skipped", p, f, s }' "$log")
  grep -qE "Failed! " "$log" && status=1
  summary+=("$what: $line")
  rm -f "$log"
done
printf '%s\n' "${summary[@]}"
exit "$status"
