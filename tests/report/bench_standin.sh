#!/usr/bin/env bash
# Stands in for `scripts/bench --ab` where check_gate_script.sh drives the gate's paired
# confirmation (gate_confirm runs RCUBENCH_BENCH): no build and no measurement, but the
# same command line, output directory layout and exit codes. It appends its arguments to
# STANDIN_LOG, then does what STANDIN says:
#
#   run:DIR  writes the recorded A/B run DIR (a/results.csv, b/results.csv) into --out as
#            a complete run, with only the primitives of --primitives if given (and
#            hand-bare with bare, as rcubench registers it beside bare's read-only runs);
#            exits as scripts/bench --ab does: 1 when the paired comparison flags a
#            regression
#   fail     a failed build: scripts/bench's run_step says so and exits 1, writing no run
#
# Like rcubench, it refuses a primitive that is not in the registry (the primitives of
# DIR other than hand-bare), exiting 2.
set -euo pipefail
printf '%s\n' "$*" >>"${STANDIN_LOG:-/dev/null}"
out='' primitives=''
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --primitives) primitives=$2; shift 2 ;;
    --ab|--arch|--config) shift 2 ;;
    *) shift ;;
  esac
done
[ -n "$out" ] || { echo "bench stand-in: no --out" >&2; exit 2; }
case ${STANDIN:-} in
  fail)
    echo "error: build side A (HEAD) x86_64 failed (exit 1); full log: build/logs/ab-a-x86_64-build.log" >&2
    exit 1 ;;
  run:*) recorded=${STANDIN#run:} ;;
  *) echo "bench stand-in: STANDIN must be run:DIR or fail, not '${STANDIN:-}'" >&2; exit 2 ;;
esac

# column NAME FILE: the index of a column of a results CSV.
column() { head -n 1 "$2" | tr ',' '\n' | grep -nx -- "$1" | cut -d: -f1; }
col=$(column primitive "$recorded/a/results.csv")
registry=$(tail -n +2 "$recorded/a/results.csv" | cut -d, -f"$col" | grep -vx hand-bare | sort -u)
wanted=()
IFS=, read -r -a asked <<<"$primitives"
for p in "${asked[@]}"; do
  grep -qx -- "$p" <<<"$registry" ||
    { echo "rcubench: error: --primitives: unknown primitive '$p' (rcubench --list shows them)" >&2; exit 2; }
  wanted+=("$p")
  [ "$p" != bare ] || wanted+=(hand-bare)
done

run=$out/20261125T040002Z-standin-ab-headheadhead
mkdir -p "$run/a" "$run/b"
for side in a b; do
  awk -F, -v col="$col" -v want="$(IFS=,; echo "${wanted[*]}")" '
    BEGIN { n = split(want, w, ","); for (i = 1; i <= n; i++) keep[w[i]] = 1 }
    NR == 1 || n == 0 || keep[$col]' "$recorded/$side/results.csv" >"$run/$side/results.csv"
done
status=0
"$RCUBENCH_REPORT" compare --paired --baseline "$run/a" --current "$run/b" >"$run/compare.txt" 2>&1 ||
  status=$?
[ "$status" -le 1 ] || { cat "$run/compare.txt" >&2; exit 1; }
exit "$status"
