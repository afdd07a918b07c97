# cmake -P check of `rcubench-report compare`: exit 1 on a native regression only,
# emulated regressions reported but not gated, too few repetitions never gated, the
# three formats, a history directory as baseline, and exit 2 on bad input.
include("${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake")

set(c ${DATA}/compare)

# A 10 % read throughput drop on x86_64 (native): regression, gated, exit 1. The 50 %
# drop on aarch64 (qemu) is a regression too, but not gated.
report(1 compare --baseline "${c}/baseline" --current "${c}/regressed")
expect("${out}"
  "aarch64 ran under qemu: emulated: timings are not hardware performance, not gated"
  "Regressions \\(2\\):"
  "Improvements \\(1\\):"
  "Unchanged \\(1\\):"
  "2 regression\\(s\\) \\(1 gated\\), 1 improvement\\(s\\)"
  ": FAIL")

report(1 compare --baseline "${c}/baseline" --current "${c}/regressed" --format csv)
expect("${out}"
  "^verdict,gated,arch,exec,workload,primitive,readers,updaters,metric,unit,n_baseline,n_current,median_baseline,median_current,change,p_value,test,note\n"
  # medians 400.5M -> 360.5M; 6 against 6 fully separated: exact p = 2/924
  "\nregression,yes,x86_64,native,read-side,rcu-memb,1,0,reads_per_s,1/s,6,6,400500000,360500000,-0\\.0998[0-9]*,0\\.00216[0-9]*,exact,"
  # the note holds a comma: quoted
  "\nregression,no,aarch64,qemu,read-side,rcu-memb,1,0,reads_per_s,1/s,6,6,[^\n]*,\"emulated: timings are not hardware performance, not gated"
  "\nimprovement,yes,x86_64,native,read-side,rwlock-pthread,"
  "\nunchanged,yes,x86_64,native,read-side,rcu-memb,1,0,read_p99_ns,ns,6,6,")

report(1 compare --baseline "${c}/baseline" --current "${c}/regressed" --format markdown
       --out "${WORK}/compare.md")
file(READ "${WORK}/compare.md" md)
expect("${md}" "## Regressions \\(2\\)" "\\| yes \\| x86_64 \\| native \\| read-side \\| rcu-memb \\|")

# Nothing native moved: exit 0, though the emulated series still shows its drop.
report(0 compare --baseline "${c}/baseline" --current "${c}/unchanged")
expect("${out}" "1 regression\\(s\\) \\(0 gated\\)" ": pass" "not gated")

# Four repetitions, a 50 % drop: insufficient, never a regression.
report(0 compare --baseline "${c}/baseline" --current "${c}/few/results.csv")
expect("${out}" "Insufficient repetitions \\(1\\):" "fewer than 5 repetitions"
       "Only in the baseline \\(3\\):")

# Stricter settings: the 10 % drop is below a 20 % minimum effect.
report(0 compare --baseline "${c}/baseline" --current "${c}/regressed" --min-effect 0.2)
report(0 compare --baseline "${c}/baseline" --current "${c}/regressed" --alpha=0.001)

# A history directory as baseline: the last 2 runs of the same machine; the later run
# of another CPU model stays out (10 = 2 runs x 5 repetitions).
report(1 compare --baseline "${DATA}/history" --current "${c}/regressed" --last 2 --format csv)
expect("${out}"
  "\nregression,yes,x86_64,native,read-side,rcu-memb,1,0,reads_per_s,1/s,10,6,"
  "\nimprovement,yes,x86_64,native,read-side,rwlock-pthread,1,0,reads_per_s,1/s,10,6,")
expect("${err}"
  "x86_64 \\(native\\), cpu 'Sample CPU', gcc 12.2.0: baseline from 2 run\\(s\\): 20261112T040000Z-000000000002, 20261113T040000Z-000000000003")
report(1 compare --baseline "${DATA}/history" --current "${c}/regressed")
expect("${out}" "baseline from 3 run\\(s\\)")

# JSON run directories convert on the fly (their 1-2 repetitions are insufficient).
report(0 compare --baseline "${DATA}/run" --current "${DATA}/run")
expect("${out}" "Insufficient repetitions")

# An empty history: nothing to compare against, not a failure.
file(MAKE_DIRECTORY "${WORK}/empty-history")
report(0 compare --baseline "${WORK}/empty-history" --current "${c}/regressed")
expect("${out}" "no earlier run of this machine" "Only in the current run")

# Bad input: exit 2.
report(2 compare --baseline "${WORK}/nowhere" --current "${c}/regressed")
expect("${err}" "nowhere: no such file or directory")
report(2 compare --baseline "${c}/baseline")
expect("${err}" "--baseline and --current are required")
report(2 compare --baseline "${c}/baseline" --current "${c}/regressed" --alpha 2)
expect("${err}" "--alpha '2'")
report(2 compare --baseline "${c}/baseline" --current "${c}/regressed" --format xml)
expect("${err}" "--format 'xml'")
report(2 compare --baseline "${c}/baseline" --current "${c}/regressed" --last 0)
file(MAKE_DIRECTORY "${WORK}/empty-run")
report(2 compare --baseline "${c}/baseline" --current "${WORK}/empty-run")
expect("${err}" "empty-run: neither results.csv nor \\*.json")
file(WRITE "${WORK}/broken/results.csv" "run_id,date\n")
report(2 compare --baseline "${WORK}/broken" --current "${c}/regressed")
expect("${err}" "broken/results.csv:1: not a results CSV")
message(STATUS "ok: compare verdicts, gating and formats")
