#!/usr/bin/env bash
# Checks scripts/gate and scripts/lib/gate.sh: which verdicts are timing suspects, which
# fail without confirmation, which suspects a paired comparison confirms (and, as the
# negative control, that an unchanged paired comparison confirms none), the gate's exit
# codes, and one clear error for each bad input. The confirming A/B run itself is a
# benchmark (scripts/gate-selftest), not run here.
#   check_gate_script.sh DATA WORK   (RCUBENCH_REPORT: the report tool)
set -uo pipefail
data=$1 work=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/scripts/lib/common.sh"
source "$root/scripts/lib/gate.sh"
rm -rf "$work" && mkdir -p "$work"
failures=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then echo "ok: $1"
  else printf 'FAIL: %s\n  expected: %q\n  actual:   %q\n' "$1" "$2" "$3"; failures=$((failures + 1)); fi
}
report() { "$RCUBENCH_REPORT" "$@" 2>/dev/null; }

# A gated native regression is a suspect; the emulated one (information) is not, and
# nothing here fails without confirmation.
report compare --baseline "$data/compare/baseline" --current "$data/compare/regressed" --format csv >"$work/regressed.csv"
check "native regression is the only suspect" "rcu-memb/read-side/1r0u/-/reads_per_s" "$(gate_timing_suspects <"$work/regressed.csv")"
check "nothing unconfirmable" "" "$(gate_unconfirmable <"$work/regressed.csv")"
check "gate_failures names it" "rcu-memb/read-side/reads_per_s" "$(gate_failures <"$work/regressed.csv")"

# Instruction counts and missing series fail by themselves, and are never suspects.
{ head -n 1 "$work/regressed.csv"
  echo 'regression,yes,x86_64,qemu-insn-count,read-path,rcu-memb,1,0,-,read_insns,instructions,1,1,40,41,0.025,-,-,-,count,'
  echo 'missing,yes,x86_64,native,update-side,arc-swap,1,1,-,updates_per_s,1/s,6,0,1,-,-,-,-,-,-,'
} >"$work/hard.csv"
check "counts and missing are not suspects" "" "$(gate_timing_suspects <"$work/hard.csv")"
check "counts and missing fail unconfirmed" "rcu-memb/read-path/read_insns
arc-swap/update-side/updates_per_s" "$(gate_unconfirmable <"$work/hard.csv")"

# Confirmation: the paired comparison that flags the same series confirms it (its params
# column set to the suspect's, as one config gives both); the unchanged one confirms
# nothing (negative control), and a suspect the paired run did not test stays unconfirmed.
report compare --paired --baseline "$data/ab/a" --current "$data/ab/b" --format csv |
  sed 's/,3fa2c1d0,/,-,/' >"$work/paired-regressed.csv"
report compare --paired --baseline "$data/ab/a" --current "$data/ab/a" --format csv |
  sed 's/,3fa2c1d0,/,-,/' >"$work/paired-unchanged.csv"
suspects=$(printf '%s\n' "rcu-memb/read-side/1r0u/-/reads_per_s" "arc-swap/read-side/1r0u/-/reads_per_s")
check "paired regression confirms its suspect only" "rcu-memb/read-side/1r0u/-/reads_per_s" \
  "$(gate_confirmed "$suspects" <"$work/paired-regressed.csv")"
check "unchanged paired run confirms nothing" "" "$(gate_confirmed "$suspects" <"$work/paired-unchanged.csv")"

# scripts/gate: the verdict's exit code, and bad input.
gate() { "$root/scripts/gate" "$@" >"$work/out.txt" 2>&1; echo $?; }
check "gate: regression, no --confirm: exit 1" 1 "$(gate --baseline "$data/compare/baseline" --current "$data/compare/regressed")"
check "gate: unchanged: exit 0" 0 "$(gate --baseline "$data/compare/baseline" --current "$data/compare/unchanged")"
check "gate: markdown written" 1 "$(gate --baseline "$data/compare/baseline" --current "$data/compare/regressed" --markdown "$work/gate.md")"
grep -q '## Regressions (1)' "$work/gate.md"; check "gate: markdown holds the regression" 0 $?
check "gate: no --current: exit 2" 2 "$(gate --baseline "$data/compare/baseline")"
grep -q -- '--current is required' "$work/out.txt"; check "gate: names --current" 0 $?
check "gate: missing directory: exit 2" 2 "$(gate --baseline "$work/nope" --current "$data/compare/regressed")"
grep -q "no such directory '$work/nope'" "$work/out.txt"; check "gate: names the directory" 0 $?
check "gate: unknown revision: exit 2" 2 "$(gate --baseline "$data/compare/baseline" --current "$data/compare/regressed" --confirm no-such-rev-x)"
grep -q "unknown revision 'no-such-rev-x'" "$work/out.txt"; check "gate: names the revision" 0 $?
check "gate: unknown option: exit 2" 2 "$(gate --frobnicate)"
check "bench: --confirm without --baseline" 1 "$("$root/scripts/bench" --confirm HEAD >"$work/out.txt" 2>&1; echo $?)"
grep -q -- '--confirm needs --baseline' "$work/out.txt"; check "bench: says so" 0 $?

[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
