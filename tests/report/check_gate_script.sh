#!/usr/bin/env bash
# Checks scripts/gate and scripts/lib/gate.sh: which verdicts are timing suspects, which
# fail without confirmation, which suspects a paired comparison confirms (and, as the
# negative control, that an unchanged paired comparison confirms none), the gate's exit
# codes, and one clear error for each bad input. The confirming A/B run is driven end to
# end through scripts/gate with a stand-in for scripts/bench (bench_standin.sh); the A/B
# run itself is a benchmark (scripts/gate-selftest), not run here.
#   check_gate_script.sh DATA WORK   (RCUBENCH_REPORT: the report tool)
set -uo pipefail
data=$1 work=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/support/checks.sh"
source "$root/scripts/lib/common.sh"
source "$root/scripts/lib/gate.sh"
rm -rf "$work" && mkdir -p "$work"
report() { "$RCUBENCH_REPORT" "$@" 2>/dev/null; }

suspect=x86_64/native/rcu-memb/read-side/1r0u/-/reads_per_s
# Recorded paired runs: tests/report/data/ab with the params of data/compare's series:
# regressed (rcu-memb 20 % slower in every pair) and unchanged (side A against itself).
for side in a b; do
  mkdir -p "$work/ab-regressed/$side" "$work/ab-unchanged/$side"
  sed 's/,3fa2c1d0,/,-,/' "$data/ab/$side/results.csv" >"$work/ab-regressed/$side/results.csv"
  sed 's/,3fa2c1d0,/,-,/' "$data/ab/a/results.csv" >"$work/ab-unchanged/$side/results.csv"
done

# compare --write: the gate's files as the scripts read them (which finding is which:
# gate_test.cc). The native regression is the only suspect; the emulated one is
# information.
gate_dir=$work/regressed-gate
check "write: exit 1" 1 "$(report compare --baseline "$data/compare/baseline" --current "$data/compare/regressed" --write "$gate_dir" >/dev/null; echo $?)"
check "write: the native regression is the only suspect" "$suspect" "$(cat "$gate_dir/suspects.txt")"
check "write: nothing unconfirmable" "" "$(cat "$gate_dir/unconfirmable.txt")"
check "write: status" fail "$(gate_value "$gate_dir/gate.txt" status)"
check "write: suspect primitives to run" rcu-memb "$(gate_value "$gate_dir/gate.txt" suspect_primitives)"
for f in compare.txt compare.md compare.csv findings.tsv findings.md failing.txt bisect-ids.txt; do
  [ -f "$gate_dir/$f" ]; check "write: $f" 0 $?
done
grep -q '^- `x86_64/rcu-memb/read-side/reads_per_s` 1r0u (timing): -10.0% (detectable -5.0%)$' "$gate_dir/findings.md"
check "write: findings.md names it" 0 $?

# confirm: the paired run that flags the same series confirms it; the unchanged one
# confirms nothing (negative control); suspects and no paired run is bad input.
cp -r "$gate_dir" "$work/regressed-gate-2"
check "confirm: confirmed: exit 1" 1 "$(report confirm --gate "$gate_dir" --paired-run "$work/ab-regressed" >"$work/out.txt"; echo $?)"
check "confirm: confirmed.txt" "$suspect" "$(cat "$gate_dir/confirmed.txt")"
grep -qx 'Gate: FAILED.' "$gate_dir/gate.md"; check "confirm: gate.md says FAILED" 0 $?
check "confirm: unchanged: exit 0" 0 "$(report confirm --gate "$work/regressed-gate-2" --paired-run "$work/ab-unchanged" >"$work/out.txt"; echo $?)"
check "confirm: unchanged confirms nothing" "" "$(cat "$work/regressed-gate-2/confirmed.txt")"
grep -qx -- "- not confirmed (the paired run saw no regression): $suspect" "$work/out.txt"
check "confirm: says not confirmed" 0 $?
check "confirm: no paired run: exit 2" 2 "$("$RCUBENCH_REPORT" confirm --gate "$gate_dir" >"$work/out.txt" 2>&1; echo $?)"
grep -q "$gate_dir/suspects.txt holds suspects" "$work/out.txt"; check "confirm: names the suspects file" 0 $?
# A paired run too small to flag anything, or one that did not measure the suspect, is no
# verdict: exit 2, never a pass.
for side in a b; do
  mkdir -p "$work/ab-tiny/$side" "$work/ab-other/$side"
  awk -F, 'NR == 1 || $16 < 4' "$work/ab-unchanged/$side/results.csv" >"$work/ab-tiny/$side/results.csv"
  awk -F, 'NR == 1 || $10 != "rcu-memb"' "$work/ab-unchanged/$side/results.csv" >"$work/ab-other/$side/results.csv"
done
cp -r "$work/regressed-gate-2" "$work/regressed-gate-3"
check "confirm: NO POWER paired run: exit 2" 2 "$("$RCUBENCH_REPORT" confirm --gate "$work/regressed-gate-3" --paired-run "$work/ab-tiny" >"$work/out.txt" 2>&1; echo $?)"
grep -q "cannot judge the suspects" "$work/out.txt"; check "confirm: says it cannot judge" 0 $?
check "confirm: suspect not measured: exit 2" 2 "$("$RCUBENCH_REPORT" confirm --gate "$work/regressed-gate-3" --paired-run "$work/ab-other" >"$work/out.txt" 2>&1; echo $?)"
grep -q "did not measure the suspect $suspect" "$work/out.txt"; check "confirm: names the unmeasured suspect" 0 $?

# compare --accepts: a Bench-Accept trailer accepts the regression it matches (exit 0,
# listed as accepted), one that matches nothing changes nothing, a malformed file is bad
# input that writes nothing.
printf '*/rcu-memb/read-side/reads_per_s\tnew read path\t0123456789abcdef\n' >"$work/accepts.tsv"
check "accepts: matched: exit 0" 0 "$(report compare --baseline "$data/compare/baseline" --current "$data/compare/regressed" --accepts "$work/accepts.tsv" --write "$work/accepted-gate" >/dev/null; echo $?)"
check "accepts: no suspect left" "" "$(cat "$work/accepted-gate/suspects.txt")"
grep -q 'accepted by 0123456789ab (Bench-Accept: \*/rcu-memb/read-side/reads_per_s: new read path)' "$work/accepted-gate/findings.md"
check "accepts: findings say who accepted it" 0 $?
printf 'aarch64/*\tanother arch\t0123456789abcdef\n' >"$work/other-accepts.tsv"
check "accepts: unmatched: exit 1" 1 "$(report compare --baseline "$data/compare/baseline" --current "$data/compare/regressed" --accepts "$work/other-accepts.tsv" >/dev/null; echo $?)"
printf 'no tabs here\n' >"$work/bad-accepts.tsv"
check "accepts: malformed file: exit 2" 2 "$("$RCUBENCH_REPORT" compare --baseline "$data/compare/baseline" --current "$data/compare/regressed" --accepts "$work/bad-accepts.tsv" --write "$work/bad-gate" >"$work/out.txt" 2>&1; echo $?)"
grep -q "bad-accepts.tsv:1: want PATTERN<TAB>REASON<TAB>COMMIT" "$work/out.txt"; check "accepts: names the file and line" 0 $?
check "accepts: malformed file: nothing written" no "$([ -e "$work/bad-gate" ] && echo yes || echo no)"

# scripts/gate: the verdict's exit code, and bad input. It writes RUN/gate/ into the run
# it judges: copies, never the test data.
cp -r "$data/compare" "$work/compare"
gate() { "$root/scripts/gate" "$@" >"$work/out.txt" 2>&1; echo $?; }
check "gate: regression, no --confirm: exit 1" 1 "$(gate --baseline "$data/compare/baseline" --current "$work/compare/regressed")"
check "gate: unchanged: exit 0" 0 "$(gate --baseline "$data/compare/baseline" --current "$work/compare/unchanged")"
check "gate: markdown written" 1 "$(gate --baseline "$data/compare/baseline" --current "$work/compare/regressed" --markdown "$work/gate.md")"
grep -q '## Regressions (1)' "$work/gate.md"; check "gate: markdown holds the regression" 0 $?
check "gate: the gate's files in RUN/gate" fail "$(gate_value "$work/compare/regressed/gate/gate.txt" status)"
check "gate: no --current: exit 2" 2 "$(gate --baseline "$data/compare/baseline")"
grep -q -- '--current is required' "$work/out.txt"; check "gate: names --current" 0 $?
check "gate: missing directory: exit 2" 2 "$(gate --baseline "$work/nope" --current "$work/compare/regressed")"
grep -q "no such directory '$work/nope'" "$work/out.txt"; check "gate: names the directory" 0 $?
check "gate: unknown revision: exit 2" 2 "$(gate --baseline "$data/compare/baseline" --current "$work/compare/regressed" --confirm no-such-rev-x)"
grep -q "unknown revision 'no-such-rev-x'" "$work/out.txt"; check "gate: names the revision" 0 $?
check "gate: unknown option: exit 2" 2 "$(gate --frobnicate)"
# The paired confirmation end to end: scripts/gate --confirm runs gate_confirm_run, which
# runs a stand-in for scripts/bench --ab (bench_standin.sh: a recorded A/B run above in
# place of a build and a measurement, the same exit codes).
export RCUBENCH_BENCH=$root/tests/report/bench_standin.sh STANDIN_LOG=$work/standin.log
# current_run NAME: a fresh copy of data/compare/regressed (the gate writes RUN/gate/).
current_run() { rm -rf "${work:?}/$1"; mkdir -p "$work/$1"; cp "$data/compare/regressed/results.csv" "$work/$1/"; }

# A confirmed timing regression fails the gate: exit 1, with the FAILED line and both
# lists written (the paired comparison's own exit 1 is its verdict, not a failure).
current_run confirmed
: >"$STANDIN_LOG"
check "confirm: confirmed regression: exit 1" 1 "$(STANDIN=run:$work/ab-regressed gate --baseline "$data/compare/baseline" --current "$work/confirmed" --confirm HEAD --markdown "$work/confirmed.md")"
grep -q -- '--ab HEAD --no-insn-counts --primitives rcu-memb ' "$STANDIN_LOG"; check "confirm: A/B run of the suspect primitive against REF" 0 $?
grep -qx 'Gate: FAILED.' "$work/out.txt"; check "confirm: says FAILED" 0 $?
grep -qx -- "- confirmed regression: $suspect" "$work/out.txt"; check "confirm: names the confirmed series" 0 $?
check "confirm: suspects.txt" "$suspect" "$(cat "$work/confirmed/gate/suspects.txt" 2>&1)"
check "confirm: confirmed.txt" "$suspect" "$(cat "$work/confirmed/gate/confirmed.txt" 2>&1)"
grep -qx 'Gate: FAILED.' "$work/confirmed.md"; check "confirm: markdown says FAILED" 0 $?

# Negative control: the paired run sees no change, the suspect is not confirmed: exit 0.
current_run unconfirmed
check "confirm: unconfirmed suspect: exit 0" 0 "$(STANDIN=run:$work/ab-unchanged gate --baseline "$data/compare/baseline" --current "$work/unconfirmed" --confirm HEAD)"
grep -qx 'Gate: passed (no timing regression confirmed by the paired run).' "$work/out.txt"; check "confirm: says passed" 0 $?
check "confirm: suspects.txt of the unconfirmed" "$suspect" "$(cat "$work/unconfirmed/gate/suspects.txt" 2>&1)"
check "confirm: confirmed.txt empty" "" "$(cat "$work/unconfirmed/gate/confirmed.txt" 2>&1)"

# As scripts/gate-selftest calls it: gate_confirm_run prints the complete run it wrote.
cp -r "$gate_dir" "$work/direct"
run=$(STANDIN=run:$work/ab-regressed gate_confirm_run "$work/direct" HEAD --arch x86_64 2>"$work/direct.err")
check "gate_confirm_run: status 0" 0 $?
check "gate_confirm_run: prints the run it wrote" yes "$([ -f "$run/b/results.csv" ] && [[ $run == "$work/direct/confirm/"* ]] && echo yes)"

# A confirming run that fails (here its build) is exit 2, even where an earlier
# invocation left a complete A/B run in GATE/confirm/: that run is not this one's.
check "confirm: stale run left by an earlier confirmation: exit 0" 0 "$(STANDIN=run:$work/ab-unchanged gate --baseline "$data/compare/baseline" --current "$work/unconfirmed" --confirm HEAD)"
cp -r "$work/unconfirmed/gate" "$work/stale-gate"
[ -n "$(gate_complete_run "$work/stale-gate/confirm")" ]; check "confirm: the earlier run is there" 0 $?
check "gate_confirm_run: failed run beside a stale one: exit 2" 2 "$(STANDIN=fail gate_confirm_run "$work/stale-gate" HEAD --arch x86_64 >/dev/null 2>&1; echo $?)"
check "confirm: failed confirming build: exit 2" 2 "$(STANDIN=fail gate --baseline "$data/compare/baseline" --current "$work/unconfirmed" --confirm HEAD)"
grep -q "error: the confirming A/B run wrote no complete run (exit 1); see $work/unconfirmed/gate/confirm/bench.log" "$work/out.txt"; check "confirm: names the log" 0 $?
grep -q '^Gate:' "$work/out.txt"; check "confirm: no verdict from a failed run" 1 $?
check "confirm: no stale verdict" "" "$(ls "$work/unconfirmed/gate/confirmed.txt" 2>/dev/null)"

# hand-bare is no registry primitive: rcubench measures it beside bare's read-only runs,
# so a hand-bare suspect is confirmed by an A/B run of bare.
for f in baseline regressed; do
  mkdir -p "$work/hand-$f"
  sed 's/,memb,rcu-memb,/,-,hand-bare,/; s/,-,rwlock-pthread,/,-,bare,/' "$data/compare/$f/results.csv" >"$work/hand-$f/results.csv"
done
for side in a b; do
  mkdir -p "$work/ab-hand/$side"
  sed 's/,memb,rcu-memb,/,-,hand-bare,/; s/,-,rwlock-pthread,/,-,bare,/' "$work/ab-regressed/$side/results.csv" >"$work/ab-hand/$side/results.csv"
done
: >"$STANDIN_LOG"
check "confirm: hand-bare suspect confirmed: exit 1" 1 "$(STANDIN=run:$work/ab-hand gate --baseline "$work/hand-baseline" --current "$work/hand-regressed" --confirm HEAD)"
grep -q -- '--primitives bare ' "$STANDIN_LOG"; check "confirm: hand-bare runs as bare" 0 $?
check "confirm: hand-bare in confirmed.txt" "x86_64/native/hand-bare/read-side/1r0u/-/reads_per_s" "$(cat "$work/hand-regressed/gate/confirmed.txt" 2>&1)"

# scripts/gate-selftest's paired path counts the run its own A/B run wrote: a failed one
# ends the self-test (exit 1) instead of counting the run an earlier one left behind.
selftest() { "$root/scripts/gate-selftest" --only ab --pairs 1 --out "$work/selftest" >"$work/out.txt" 2>&1; echo $?; }
check "selftest: one A/B run: exit 0" 0 "$(STANDIN=run:$work/ab-unchanged selftest)"
grep -q '^A/A, paired A/B: *0 of 1 runs had a gated regression' "$work/selftest/summary.txt"; check "selftest: counts it" 0 $?
check "selftest: failed A/B run: exit 1" 1 "$(STANDIN=fail selftest)"
grep -q "error: bench --ab failed: $work/selftest/ab-aa-1.log" "$work/out.txt"; check "selftest: says so" 0 $?
# --- scripts/gate --against REF: the working tree judged against REF, end to end through
# the stand-in bench. A regression exits 1 and names the series; an unchanged A/B exits 0
# (negative control); a failed A/B run, an unknown REF and a paired run too small to
# flag anything (NO POWER) exit 2; --verdict and --markdown are written in every case.
against() {  # against STANDIN ARGS...: prints the exit status; output in $work/out.txt
  local standin=$1; shift
  STANDIN=$standin "$root/scripts/gate" --against HEAD --out "$work/against" --no-bisect \
    --verdict "$work/verdict" --markdown "$work/verdict.md" "$@" >"$work/out.txt" 2>&1
  echo $?
}
field() { sed -n "s/^$1=//p" "$work/verdict"; }
check "against: regression: exit 1" 1 "$(against "run:$work/ab-regressed")"
grep -q -- '--ab [0-9a-f]\{40\} --config .*ci.toml --out .* --arch x86_64,aarch64,riscv64$' "$STANDIN_LOG"
check "against: A/B run against REF's commit, counts on every arch" 0 $?
grep -q '^- `x86_64/rcu-memb/read-side/reads_per_s` 1r0u (timing): -20.0% (detectable -5.0%)$' "$work/out.txt"
check "against: names the series, its change and the detectable size" 0 $?
check "against: verdict status 1" 1 "$(field status)"
check "against: verdict base is REF" "$(git -C "$root" rev-parse HEAD)" "$(field base)"
run=$(field run)
check "against: verdict names the complete run" yes "$([ -f "$run/b/results.csv" ] && echo yes)"
grep -q '^## Regression gate: FAILED$' "$work/verdict.md"; check "against: markdown says FAILED" 0 $?
grep -q '^Compared: base `' "$work/verdict.md"; check "against: markdown says what was compared" 0 $?
check "against: unchanged: exit 0" 0 "$(against "run:$work/ab-unchanged")"
check "against: verdict status 0" 0 "$(field status)"
grep -q '^## Regression gate: passed$' "$work/verdict.md"; check "against: markdown says passed" 0 $?
check "against: failed A/B run: exit 2" 2 "$(against fail)"
check "against: verdict status 2" 2 "$(field status)"
check "against: no run" "" "$(field run)"
grep -q '^reason=the A/B run against [0-9a-f]\{12\} failed: build side A (HEAD) x86_64 failed (exit 1); full log: .* (all of its output: .*/bench.log)$' "$work/verdict"; check "against: says why, with the bench's own error" 0 $?
grep -q '^## Regression gate: could not judge$' "$work/verdict.md"; check "against: markdown says it could not judge" 0 $?
check "against: unknown REF: exit 2" 2 "$(STANDIN=fail "$root/scripts/gate" --against no-such-rev-x --verdict "$work/verdict" >"$work/out.txt" 2>&1; echo $?)"
grep -q "unknown revision 'no-such-rev-x'" "$work/out.txt"; check "against: names the revision" 0 $?
check "against: unknown REF: verdict status 2" 2 "$(field status)"
check "against: unknown arch: exit 2" 2 "$(against "run:$work/ab-unchanged" --arch x86_64,mips)"
grep -q "'x86_64,mips'" "$work/out.txt"; check "against: names the arch list" 0 $?
: >"$STANDIN_LOG"
check "against: counts only: exit 0" 0 "$(against "run:$work/ab-unchanged" --counts-only --arch aarch64)"
grep -q -- '--arch aarch64 --no-timings$' "$STANDIN_LOG"; check "against: counts only: bench runs no timings" 0 $?
check "counts-only without --against: exit 2" 2 "$("$root/scripts/gate" --counts-only --baseline "$data/compare/baseline" --current "$data/compare/regressed" >/dev/null 2>&1; echo $?)"
rm -f "$work/verdict"
check "against: with --baseline: exit 2" 2 "$(against "run:$work/ab-unchanged" --baseline "$data/compare/baseline")"
check "against: bad input: verdict written, status 2" 2 "$(field status)"
grep -q '^reason=--against judges the working tree by itself' "$work/verdict"; check "against: bad input: verdict says why" 0 $?
# Four pairs reach p = 2/16 at best: no change can be flagged, which is no pass.
for side in a b; do
  mkdir -p "$work/ab-few/$side"
  awk -F, 'NR == 1 || $16 < 4' "$work/ab-unchanged/$side/results.csv" >"$work/ab-few/$side/results.csv"
done
check "against: NO POWER: exit 2" 2 "$(against "run:$work/ab-few")"
grep -q '^reason=the paired timings had too few pairs' "$work/verdict"; check "against: says NO POWER" 0 $?

# A regression with no commit in REF..HEAD: the uncommitted changes brought it, and in a
# clean tree (the same code on both sides: a false alarm) nothing did. Run in a throwaway
# repository holding the scripts, whose cleanliness the test controls.
clean=$work/clean-repo
git init -q "$clean" && cp -r "$root/scripts" "$clean/" && mkdir -p "$clean/configs" &&
  cp "$root/configs/ci.toml" "$clean/configs/" && printf 'results/\nbuild/\n' >"$clean/.gitignore" &&
  git -C "$clean" add -A && git -C "$clean" -c user.name=t -c user.email=t@t commit -qm base
in_clean() {  # in_clean: scripts/gate --against HEAD (bisecting) in the throwaway repository
  (cd "$clean" && STANDIN=run:$work/ab-regressed scripts/gate --against HEAD --arch x86_64 \
    --out "$work/clean-out" --verdict "$work/verdict") >"$work/out.txt" 2>&1
  echo $?
}
check "against, clean tree: exit 1" 1 "$(in_clean)"
check "against, clean tree: no culprit" "" "$(field culprit)"
grep -q '^Not bisected: the range holds no commit and the working tree has no uncommitted change' "$work/out.txt"
check "against, clean tree: says nothing was bisected, and why" 0 $?
echo "# edited" >>"$clean/configs/ci.toml"
check "against, uncommitted change: exit 1" 1 "$(in_clean)"
check "against, uncommitted change: the culprit" uncommitted "$(field culprit)"

# Bench-Accept trailers of the range: pattern, reason and commit; a malformed one is
# reported and left out.
repo=$work/accept-repo
git init -q "$repo" && git -C "$repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m base
git -C "$repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m "faster reads

Bench-Accept: */rcu-memb/*/reads_per_s: new read path
Bench-Accept: no reason here"
accepts=$(RCUBENCH_ROOT=$repo gate_accepts HEAD~1..HEAD 2>"$work/accept.err")
check "accepts: pattern, reason, commit" "*/rcu-memb/*/reads_per_s	new read path	$(git -C "$repo" rev-parse HEAD)" "$accepts"
grep -q 'Bench-Accept: no reason here: not "<pattern>: <reason>"; ignored' "$work/accept.err"; check "accepts: malformed one reported" 0 $?
check "accepts: none outside the range" "" "$(RCUBENCH_ROOT=$repo gate_accepts HEAD~1 2>/dev/null | head -c 0; RCUBENCH_ROOT=$repo gate_accepts HEAD~1~0..HEAD~1 2>/dev/null)"
unset RCUBENCH_BENCH STANDIN_LOG

check "bench: --confirm without --baseline" 1 "$("$root/scripts/bench" --confirm HEAD >"$work/out.txt" 2>&1; echo $?)"
grep -q -- '--confirm needs --baseline' "$work/out.txt"; check "bench: says so" 0 $?

checks_done
