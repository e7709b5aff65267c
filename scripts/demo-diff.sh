#!/usr/bin/env bash
# Runs the demo at two revisions on the same clock and seed, and compares what it computed: every rollup before the
# demo's live day, the indicators, the alerts, the submission files and the month's HTML report (its generation time
# aside). A refactoring that changes no number shows no difference. Usage: scripts/demo-diff.sh BEFORE [AFTER]
set -euo pipefail
before=${1:?usage: demo-diff.sh BEFORE [AFTER]}; after=${2:-HEAD}
now=${DEMO_NOW:-2026-12-02T10:00+08:00}
work=$(mktemp -d); trap 'git worktree remove --force "$work/before" 2>/dev/null; git worktree remove --force "$work/after" 2>/dev/null; rm -rf "$work"' EXIT
for side in before after; do
  rev=${!side}
  git worktree add -f --detach "$work/$side" "$rev" >/dev/null
  project=Service; [ -d "$work/$side/Collector" ] && project=Collector
  (cd "$work/$side" && ENERGYMONITOR_NOW=$now dotnet run -c Release --project $project -- demo --out "$work/out-$side" --live 1 >"$work/$side.log" 2>&1)
done
# The live day's hours depend on how long the run took on a clock that runs at real speed; earlier ones may not differ.
start=$(date -d "${now%T*}T00:00${now:16}" +%s)000
dump() {
  local db="$work/out-$1/data/energymonitor.db"
  sqlite3 "$db" "select * from rollups where start_ms < $start and not (period = 2 and start_ms >= $start - 40*86400000) order by 1, 2, 3"
  sqlite3 "$db" "select * from indicators order by 1, 2, 3"
  sqlite3 "$db" "select rule, subject, severity, state, opened_ms from alerts order by 1, 2, 5"
}
status=0
diff <(dump before) <(dump after) >"$work/numbers.diff" || { echo "numbers differ:"; head -40 "$work/numbers.diff"; status=1; }
# An XLSX's relationship ids are random: its sheets and strings are what it says.
same() {
  case $1 in
    *.xlsx) local a b; a=$(mktemp -d); b=$(mktemp -d)
            (cd "$a" && unzip -q "$work/out-before/data/$1") && (cd "$b" && unzip -q "$work/out-after/data/$1")
            diff -rq "$a/xl/worksheets" "$b/xl/worksheets" >/dev/null && { [ ! -f "$a/xl/sharedStrings.xml" ] || cmp -s "$a/xl/sharedStrings.xml" "$b/xl/sharedStrings.xml"; } ;;
    *) cmp -s "$work/out-before/data/$1" "$work/out-after/data/$1" ;;
  esac
}
for f in $(cd "$work/out-before/data" && find submissions -type f | sort); do
  same "$f" || { echo "differs: $f"; status=1; }
done
report=$(cd "$work/out-before/data" && find reports -name 'report-region-*.html' | sort | tail -1)
diff <(grep -v 'class="meta"' "$work/out-before/data/$report") <(grep -v 'class="meta"' "$work/out-after/data/$report") >/dev/null || { echo "differs: $report"; status=1; }
echo "rollups compared: $(dump before | wc -l) rows; $( [ $status = 0 ] && echo same || echo DIFFERENT )"
exit $status
