#!/usr/bin/env bash
# scripts/peer-gc end to end, from the host preset's build:
#   - bad input (--rounds 0, -3, x; an unknown flag; a stand-in that is not executable):
#     exit 1, one error naming the value, nothing written;
#   - three rounds against a stand-in test_urcu_gc with known figures: rounds.csv has one
#     row per round in alternating order, where-from columns filled in, each share equal
#     to rcu-memb-batch's updates/s over the stand-in's, and summary.txt the median of
#     the shares;
#   - a stand-in that fails, prints no SUMMARY or counts no update: exit 1, an error
#     naming it, the run left .incomplete, the earlier run untouched;
#   - one round with the real test_urcu_gc, built from the liburcu source scripts/setup
#     unpacked.
#   check_peer_gc.sh WORK
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/support/checks.sh"
work=$(fresh_dir "$1")
# The script's step logs go here, not over scripts/test's in build/logs.
export RCUBENCH_LOG_DIR=$work/logs
peer_gc() { "$root/scripts/peer-gc" "$@"; }

# A stand-in for test_urcu_gc: 3 s worth of fixed counts in liburcu's SUMMARY format.
cat >"$work/standin" <<'SH'
#!/bin/sh
[ "$*" = "1 1 3 -b 4096" ] || { echo "unexpected arguments: $*" >&2; exit 9; }
echo "SUMMARY $0 testdur    3 nr_readers   1 rdur      0 wdur      0 nr_writers   1 wdelay      0 nr_reads    900000000 nr_writes     30000000 nr_ops    930000000 batch 4096"
SH
printf '#!/bin/sh\necho boom >&2\nexit 3\n' >"$work/standin-fails"
printf '#!/bin/sh\necho "no summary here"\n' >"$work/standin-silent"
sed 's/nr_writes     30000000/nr_writes     0/' "$work/standin" >"$work/standin-idle"
chmod +x "$work/standin" "$work/standin-fails" "$work/standin-silent" "$work/standin-idle"
touch "$work/not-executable"

# --- bad input -------------------------------------------------------------------------
out=$work/out
bad() {  # bad NAME REGEX ARGS...
  local name=$1 regex=$2; shift 2
  "$@" >"$work/bad.out" 2>"$work/bad.err"
  check "$name: exit 1" 1 $?
  check "$name: one error line" 1 "$(wc -l <"$work/bad.err")"
  has "$name: the error names it" "$work/bad.err" "$regex"
  check "$name: nothing written" "" "$(ls -A "$out" 2>/dev/null)"
}
bad "--rounds 0" "--rounds: .*'0'" peer_gc --rounds 0 --out "$out"
bad "--rounds -3" "--rounds: .*'-3'" peer_gc --rounds -3 --out "$out"
bad "--rounds x" "--rounds: .*'x'" peer_gc --rounds x --out "$out"
bad "unknown flag" "unknown argument '--roundz'" peer_gc --roundz 2 --out "$out"
touch "$work/a-file"
bad "--out a file" "--out: cannot make a directory '$work/a-file/runs'" peer_gc --rounds 1 --out "$work/a-file/runs"
bad "stand-in not executable" "PEER_GC_TEST_URCU_GC: .*not-executable" \
  env PEER_GC_TEST_URCU_GC="$work/not-executable" "$root/scripts/peer-gc" --rounds 1 --out "$out"

# --- three rounds against the stand-in (a relative path, from another directory) ----------
(cd "$work" && PEER_GC_TEST_URCU_GC=standin "$root/scripts/peer-gc" --rounds 3 --out out) >"$work/run1.out" 2>&1
check "three rounds: exit 0" 0 $?
runs=("$out"/peer-gc-*)
check "three rounds: one run directory, complete, where --out said" 1 "$(ls -d "$out"/peer-gc-* 2>/dev/null | grep -vc incomplete)"
run=${runs[0]}
csv=$run/rounds.csv
check "rounds.csv: a header and three rows" 4 "$(wc -l <"$csv" 2>/dev/null)"
# Columns: arch,exec,cpu_model(quoted),compiler,build_type,commit,test_urcu_gc(quoted),
# round,order,... parsed from the end, which has no quoted field.
check "rounds: in alternating order" "1 test_urcu_gc rcubench|2 rcubench test_urcu_gc|3 test_urcu_gc rcubench|" \
  "$(tail -n +2 "$csv" | awk -F, '{ printf "%s %s|", $(NF - 7), $(NF - 6) }')"
check "rows: arch and exec" "$(uname -m),native|$(uname -m),native|$(uname -m),native|" \
  "$(tail -n +2 "$csv" | awk -F, '{ printf "%s,%s|", $1, $2 }')"
check "rows: the stand-in's figures (30 M / 3 s, 900 M / 3 s)" "10000000 300000000|10000000 300000000|10000000 300000000|" \
  "$(tail -n +2 "$csv" | awk -F, '{ printf "%s %s|", $(NF - 5), $(NF - 4) }')"
check "rows: each share is rcu-memb-batch's updates/s over test_urcu_gc's" "ok|ok|ok|" \
  "$(tail -n +2 "$csv" | awk -F, '{ d = $(NF - 3) / $(NF - 5) - $NF; printf "%s|", ($(NF - 3) > 0 && d < 0.0005 && d > -0.0005) ? "ok" : "off by " d }')"
has "rows: the commit and the stand-in named" "$csv" ",$(git -C "$root" rev-parse --short=12 HEAD)(-dirty)?,\"$work/standin\","
# The median of rcu-memb-batch's updates/s over test_urcu_gc's, from the rows' figures.
median=$(tail -n +2 "$csv" | awk -F, '{ printf "%.17g\n", $(NF - 3) / $(NF - 5) }' | LC_ALL=C sort -g |
  sed -n 2p | awk '{ printf "%.2f", $1 }')
has "summary: the median of the three shares" "$run/summary.txt" "^median share of test_urcu_gc's updates/s: $median over 3 rounds"
has "summary: where the numbers came from" "$run/summary.txt" "^$(uname -m), native, .*; rcubench: .*release"
check "output: the run directory last" "run: $run" "$(tail -n 1 "$work/run1.out" | sed 's/^\[ *[0-9]*s\] //')"

# --- failures leave .incomplete, the earlier run untouched -----------------------------
before=$(cd "$run" && find . -type f | sort | xargs md5sum)
PEER_GC_TEST_URCU_GC=$work/standin-fails peer_gc --rounds 1 --out "$out" >"$work/fail.out" 2>"$work/fail.err"
check "failing stand-in: exit 1" 1 $?
has "failing stand-in: the error names test_urcu_gc and its exit" "$work/fail.err" "test_urcu_gc exited 3 \(round 1\)"
check "failing stand-in: the file the error names exists" 1 \
  "$(f=$(sed -n 's/.*: see \(.*\); the run is left as .*/\1/p' "$work/fail.err"); [ -f "$f" ] && echo 1 || echo "none: $f")"
check "failing stand-in: left as .incomplete" 1 "$(ls -d "$out"/peer-gc-*.incomplete 2>/dev/null | wc -l)"
rm -rf "$out"/peer-gc-*.incomplete
PEER_GC_TEST_URCU_GC=$work/standin-silent peer_gc --rounds 1 --out "$out" >"$work/silent.out" 2>"$work/silent.err"
check "silent stand-in: exit 1" 1 $?
has "silent stand-in: the error says no SUMMARY" "$work/silent.err" "no SUMMARY line from test_urcu_gc"
rm -rf "$out"/peer-gc-*.incomplete
PEER_GC_TEST_URCU_GC=$work/standin-idle peer_gc --rounds 1 --out "$out" >"$work/idle.out" 2>"$work/idle.err"
check "stand-in with no updates: exit 1" 1 $?
has "stand-in with no updates: the error says so" "$work/idle.err" "test_urcu_gc made no updates in round 1"
check "stand-in with no updates: left as .incomplete" 1 "$(ls -d "$out"/peer-gc-*.incomplete 2>/dev/null | wc -l)"
check "earlier run untouched" "$before" "$(cd "$run" && find . -type f | sort | xargs md5sum)"
rm -rf "$out"/peer-gc-*.incomplete

# --- one round with the real test_urcu_gc ------------------------------------------------
peer_gc --rounds 1 --out "$work/real" >"$work/real.out" 2>&1
check "real test_urcu_gc: exit 0" 0 $?
has "real test_urcu_gc: liburcu's, named in the summary" "$work/real/"peer-gc-*/summary.txt "; test_urcu_gc: liburcu [0-9][^,]*, gcc -O2\$"
check "real test_urcu_gc: built under the dependency cache" 1 \
  "$(ls "${RCUBENCH_DEPS:-$root/.deps}"/peer-gc/"$(uname -m)"/liburcu-*/tests/benchmark/test_urcu_gc 2>/dev/null | wc -l)"
has "real test_urcu_gc: a share" "$work/real/"peer-gc-*/summary.txt "^median share of test_urcu_gc's updates/s: [0-9.]+ over 1 round"

checks_done
