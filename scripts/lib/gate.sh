# The gate's verdicts as scripts read them: `rcubench-report compare --format csv` on
# standard input, and the confirmation of a history's timing suspects by a paired run.
# Sourced after common.sh, not run.
#
# Why confirm: a history's runs were measured minutes to days before the current one, and
# on a shared machine a benchmark's speed moves between runs by far more than within one
# (one series sat at 2x its usual grace-period latency for one whole run, then came
# back: docs/regression-gate.md). A timing regression against a history is therefore a
# suspect; it fails the gate only if a paired A/B run in lockstep (scripts/bench --ab REF)
# of the suspect primitives flags the same series. Instruction counts are exact and a
# missing series is a failure by itself: neither needs confirming.

# columns: an awk prologue that sets c[NAME] to each column's index from the header, so
# the fields are read by name (no field before `note` holds a comma).
gate_columns() { echo 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }'; }

# gate_failures: "primitive/workload/metric" of every gated series that fails, one per
# line (a gated regression, or a gated series gone missing).
gate_failures() {
  awk -F, "$(gate_columns)"'
    $c["gated"] == "yes" && ($c["verdict"] == "regression" || $c["verdict"] == "missing") {
      print $c["primitive"] "/" $c["workload"] "/" $c["metric"] }'
}

# gate_series_key (awk): the series of a row, the same in a history comparison and in a
# paired one: workload, primitive, threads, parameters and metric.
gate_series_key='$c["primitive"] "/" $c["workload"] "/" $c["readers"] "r" $c["updaters"] "u/" $c["params"] "/" $c["metric"]'

# gate_primitives_list: the primitive names on standard input (one per line) as a
# --primitives list. hand-bare is no registry primitive: it is the hand-written loop
# rcubench measures beside every read-only run of bare, so running bare measures it.
gate_primitives_list() { sed 's/^hand-bare$/bare/' | sort -u | paste -sd, -; }

# gate_complete_run DIR: the newest complete run directory that scripts/bench --out DIR
# wrote (no trailing slash), or nothing.
gate_complete_run() {
  local run
  run=$(ls -d "$1"/*/ 2>/dev/null | grep -v '\.incomplete/$' | tail -n 1 || true)
  printf '%s' "${run%/}"
}

# gate_timing_suspects: the series key of every gated timing regression of a native
# series, one per line.
gate_timing_suspects() {
  awk -F, "$(gate_columns)"'
    $c["gated"] == "yes" && $c["verdict"] == "regression" && $c["exec"] == "native" &&
    $c["test"] != "count" { print '"$gate_series_key"' }'
}

# gate_unconfirmable: the failures that need no confirmation (instruction counts, missing
# series) or cannot have one (a board's timings, exec remote: a paired run here measures
# another machine), as "primitive/workload/metric", one per line.
gate_unconfirmable() {
  awk -F, "$(gate_columns)"'
    $c["gated"] == "yes" && (($c["verdict"] == "regression" && ($c["exec"] != "native" ||
    $c["test"] == "count")) || $c["verdict"] == "missing") {
      print $c["primitive"] "/" $c["workload"] "/" $c["metric"] }'
}

# gate_confirm SUSPECTS REF OUT BENCH_ARGS...: runs `scripts/bench --ab REF` on the
# primitives of SUSPECTS (series keys, one per line) with BENCH_ARGS (--arch, --config...)
# into OUT, emptied first, and prints the suspects that its paired comparison flags too,
# one per line. The A/B run's own output goes to OUT/bench.log. Returns 0 whether or not
# any suspect is confirmed, 2 if the A/B run or its comparison failed.
gate_confirm() {
  local suspects=$1 ref=$2 out=$3; shift 3
  local prims run csv rc=0
  prims=$(cut -d/ -f1 <<<"$suspects" | gate_primitives_list)
  # scripts/bench exits 1 both on a regression and on a failure, so only the presence of
  # a complete run tells them apart: one left here by an earlier confirmation must not be
  # taken for this one's.
  rm -rf -- "${out:?}"
  mkdir -p "$out"
  "$(gate_bench_path)" --ab "$ref" --no-insn-counts --primitives "$prims" \
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
  # Exit 1 of the paired comparison is its verdict (a regression), not a failure; read
  # under pipefail it would be taken for one.
  rc=0
  csv=$("$(gate_report_path)" compare --paired --baseline "$run/a" --current "$run/b" \
    --format csv 2>"$out/paired-compare.log") || rc=$?
  if [ "$rc" -gt 1 ]; then
    printf 'error: the paired comparison of %s failed (exit %s); see %s\n' "$run" "$rc" \
      "$out/paired-compare.log" >&2
    return 2
  fi
  gate_confirmed "$suspects" <<<"$csv"
}

# gate_confirmed SUSPECTS: of SUSPECTS (series keys, one per line), those that the paired
# comparison on standard input flags as timing regressions too, one per line.
gate_confirmed() {
  gate_timing_suspects | grep -Fx -f <(printf '%s\n' "$1") || true
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
