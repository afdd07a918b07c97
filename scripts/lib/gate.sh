# shellcheck shell=bash
# The gate's processes as scripts run them: the report tool, the confirming A/B run and
# the Bench-Accept trailers of a range. What fails, what is a suspect and what a paired run
# confirms is decided by rcubench-report (src/report/gate.h), never here. Sourced after
# common.sh, not run.
#
# Why confirm: a history's runs were measured minutes to days before the current one, and
# on a shared machine a benchmark's speed moves between runs by far more than within one
# (one series sat at 2x its usual grace-period latency for one whole run, then came
# back: docs/regression-gate.md). A timing regression against a history is therefore a
# suspect; it fails the gate only if a paired A/B run in lockstep (scripts/bench --ab REF)
# of the suspect primitives flags the same series. Instruction counts are exact and a
# missing series is a failure by itself: neither needs confirming.

# gate_value FILE KEY: the value of KEY in a key=value file rcubench-report wrote
# (gate.txt: src/report/gate.h), or nothing.
gate_value() { sed -n "s/^$2=//p" "$1"; }

# gate_complete_run DIR: the newest complete run directory that scripts/bench --out DIR
# wrote (no trailing slash), or nothing.
gate_complete_run() {
  local run
  run=$(ls -d "$1"/*/ 2>/dev/null | grep -v '\.incomplete/$' | tail -n 1 || true)
  printf '%s' "${run%/}"
}

# gate_confirm_run GATE REF BENCH_ARGS...: the paired A/B run that confirms the timing
# suspects of GATE (a directory `rcubench-report compare --write` wrote): `scripts/bench
# --ab REF` of the suspects' primitives with BENCH_ARGS (--arch, --config...) into
# GATE/confirm, emptied first, its output in GATE/confirm/bench.log. Prints the complete
# run it wrote, for `rcubench-report confirm --paired-run`; returns 2 when it wrote none.
gate_confirm_run() {
  local gate=$1 ref=$2 out=$1/confirm rc=0 run; shift 2
  # scripts/bench exits 1 both on a regression and on a failure, so only the presence of
  # a complete run tells them apart: one left here by an earlier confirmation must not be
  # taken for this one's.
  rm -rf -- "${out:?}"
  mkdir -p "$out"
  "$(gate_bench_path)" --ab "$ref" --no-insn-counts \
    --primitives "$(gate_value "$gate/gate.txt" suspect_primitives)" \
    --out "$out" "$@" >"$out/bench.log" 2>&1 || rc=$?
  run=$(gate_complete_run "$out")
  if [ "$rc" -gt 1 ]; then
    printf 'error: the confirming A/B run failed (exit %s); see %s\n' "$rc" "$out/bench.log" >&2
    return 2
  elif [ -z "$run" ]; then
    printf 'error: the confirming A/B run wrote no complete run (exit %s); see %s\n' "$rc" \
      "$out/bench.log" >&2
    return 2
  fi
  printf '%s\n' "$run"
}

# gate_bench_path: scripts/bench (RCUBENCH_BENCH overrides it: the tests' stand-in).
gate_bench_path() { echo "${RCUBENCH_BENCH:-$RCUBENCH_ROOT/scripts/bench}"; }

# gate_report_path: the host's report tool (RCUBENCH_REPORT overrides it).
gate_report_path() {
  echo "${RCUBENCH_REPORT:-$RCUBENCH_ROOT/build/$(host_arch)/src/report/rcubench-report}"
}

# gate_accepts RANGE: the `Bench-Accept: <pattern>: <reason>` trailers of the commits in
# RANGE (git revision range), one per line: pattern, reason, commit, tab-separated. A
# trailer without ": " between a pattern and a reason is reported on standard error and
# left out: a commit cannot be amended once on main, and failing every later gate for
# its message would help no one.
gate_accepts() {
  local commit value
  git -C "$RCUBENCH_ROOT" rev-list "$1" | while read -r commit; do
    git -C "$RCUBENCH_ROOT" log -1 --format='%(trailers:key=Bench-Accept,valueonly,unfold)' "$commit" |
      while IFS= read -r value; do
        [ -n "$value" ] || continue
        # A tab would split the line rcubench-report reads (--accepts): a blank instead.
        value=${value//$'\t'/ }
        if [[ $value =~ ^([^[:space:]][^:]*):\ +(.*[^[:space:]]) ]]; then
          printf '%s\t%s\t%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "$commit"
        else
          printf 'warning: commit %s: Bench-Accept: %s: not "<pattern>: <reason>"; ignored\n' \
            "${commit:0:12}" "$value" >&2
        fi
      done
  done
}

# commit_line REV: "`abc1234` subject", as summaries name a commit.
commit_line() { git -C "$RCUBENCH_ROOT" log -1 --format='`%h` %s' "$1"; }
