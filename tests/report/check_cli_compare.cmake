# cmake -P check of `rcubench-report compare`: exit 1 on a gated native regression only,
# emulated and secondary metrics reported but not gated, too few process samples never
# gated, the paired mode, the three formats, a history directory as baseline (its band,
# accepted runs), and exit 2 on bad input.
include("${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake")

set(c ${DATA}/compare)

# A 10 % read throughput drop on x86_64 (native, six processes a side): regression,
# gated, exit 1. The 50 % drop on aarch64 (qemu) is reported as information only, like
# the read latency (not the read-side workload's primary metric).
report(1 compare --baseline "${c}/baseline" --current "${c}/regressed")
expect("${out}"
  "aarch64 ran under qemu: emulated: timings are not hardware performance, not gated"
  "Regressions \\(1\\):"
  "Improvements \\(1\\):"
  "Information \\(not gated\\) \\(2\\):"
  "2 gated series: 1 regression\\(s\\), 1 improvement\\(s\\)"
  "1 regression\\(s\\) as information"
  "Holm family-wise error 0.05"
  ": FAIL")

report(1 compare --baseline "${c}/baseline" --current "${c}/regressed" --format csv)
expect("${out}"
  "^verdict,gated,arch,exec,workload,primitive,readers,updaters,params,metric,unit,n_baseline,n_current,median_baseline,median_current,change,detectable,p_value,p_adjusted,test,note\n"
  # medians 400.5M -> 360.5M; 6 against 6 fully separated: exact p = 2/924, Holm x 2;
  # detectable: samples this close separate at the 5 % minimum effect
  "\nregression,yes,x86_64,native,read-side,rcu-memb,1,0,-,reads_per_s,1/s,6,6,400500000,360500000,-0\\.0998[0-9]*,-0\\.05,0\\.00216[0-9]*,0\\.00432[0-9]*,exact,"
  "\nimprovement,yes,x86_64,native,read-side,rwlock-pthread,"
  # the note holds a comma: quoted
  "\nregression,no,aarch64,qemu,read-side,rcu-memb,1,0,-,reads_per_s,1/s,6,6,[^\n]*,\"emulated: timings are not hardware performance, not gated"
  "\nunchanged,no,x86_64,native,read-side,rcu-memb,1,0,-,read_p99_ns,ns,6,6,")

report(1 compare --baseline "${c}/baseline" --current "${c}/regressed" --format markdown
       --out "${WORK}/compare.md")
file(READ "${WORK}/compare.md" md)
expect("${md}" "## Regressions \\(1\\)" "\\| yes \\| x86_64 \\| native \\| read-side \\| rcu-memb \\|")

# Nothing native moved: exit 0, though the emulated series still shows its drop.
report(0 compare --baseline "${c}/baseline" --current "${c}/unchanged")
expect("${out}" "0 regression\\(s\\), 0 improvement" ": pass" "not gated")

# Four processes, a 50 % drop: insufficient, never a regression. The series missing
# from that run fail the gate, loudly and first.
report(1 compare --baseline "${c}/baseline" --current "${c}/few/results.csv")
expect("${out}" "\n\nMISSING from the current run \\(3\\):" "Insufficient samples \\(1\\):"
       "fewer than 5 process samples" "gated series missing from the current run"
       "1 missing" ": FAIL")

# A single-process run (its repetitions in one process, process '-') is one sample.
report(0 compare --baseline "${DATA}/history/20261111T040000Z-000000000001.csv"
       --current "${DATA}/history/20261112T040000Z-000000000002.csv")
expect("${out}" "in-process repetitions of one process are one sample")

# Paired: the processes of a and b ran interleaved; the machine state moves each pair by
# up to 2x, so unpaired the 20 % drop of rcu-memb is not significant, paired it is
# (eight pairs, W+ = 0: p = 2/256, Holm x 2). b's ninth process has no pair.
report(0 compare --baseline "${DATA}/ab/a" --current "${DATA}/ab/b")
report(1 compare --paired --baseline "${DATA}/ab/a" --current "${DATA}/ab/b" --format csv)
expect("${out}"
  "\nregression,yes,x86_64,native,read-side,rcu-memb,1,0,3fa2c1d0,reads_per_s,1/s,8,8,[0-9]+,[0-9]+,-0\\.1999[0-9]*,-0\\.05,0\\.0078125,0\\.015625,signed-rank,1 unpaired process\\(es\\) dropped"
  "\nunchanged,yes,x86_64,native,read-side,rwlock-pthread,")
expect("${err}" "paired signed-rank test of process pairs")
report(2 compare --paired --baseline "${DATA}/history" --current "${DATA}/ab/b")
expect("${err}" "--paired needs a run as baseline")
file(READ "${DATA}/ab/a/results.csv" a_rows)
file(READ "${DATA}/ab/b/results.csv" b_rows)
string(FIND "${b_rows}" "\n" header_end)  # drop b's header line
math(EXPR header_end "${header_end} + 1")
string(SUBSTRING "${b_rows}" ${header_end} -1 b_rows)
file(WRITE "${WORK}/two-runs.csv" "${a_rows}${b_rows}")
report(2 compare --paired --baseline "${WORK}/two-runs.csv" --current "${DATA}/ab/b")
expect("${err}" "two-runs.csv: --paired wants one run per side, this holds 2")
report(2 compare --paired=yes --baseline "${DATA}/ab/a" --current "${DATA}/ab/b")

# Stricter settings: the 10 % drop is below a 20 % minimum effect.
report(0 compare --baseline "${c}/baseline" --current "${c}/regressed" --min-effect 0.2)
report(0 compare --baseline "${c}/baseline" --current "${c}/regressed" --alpha=0.001)

# A history directory as baseline: the run medians of the last runs of the same machine;
# the later run of another CPU model stays out. Two runs are too few for a band.
report(0 compare --baseline "${DATA}/history" --current "${c}/regressed" --last 2 --format csv)
expect("${out}"
  "\ninsufficient,yes,x86_64,native,read-side,rcu-memb,1,0,-,reads_per_s,1/s,2,6,[^\n]*,band,fewer than 5 history runs")
expect("${err}"
  "x86_64 \\(native\\), cpu 'Sample CPU', gcc 12.2.0, fingerprint -: 5 comparable run\\(s\\) in the history; baseline from 2 run\\(s\\): 20261114T040000Z-000000000004, 20261115T040000Z-000000000005")
# Five runs: medians 400M, 401M, 400M, 400M, 402.5M; MAD 0, so the floor makes the band
# 400M +- 5 %:
# 360.5M is below it.
report(1 compare --baseline "${DATA}/history" --current "${c}/regressed" --format csv)
expect("${out}"
  "\nregression,yes,x86_64,native,read-side,rcu-memb,1,0,-,reads_per_s,1/s,5,6,400000000,360500000,[^\n]*,band,band 380M \\.\\. 420M")
expect("${err}" "baseline from 5 run\\(s\\)" "history band median \\+- 5 x 1.4826 MAD")
report(0 compare --baseline "${DATA}/history" --current "${c}/regressed" --band-k 20)
report(2 compare --baseline "${DATA}/history" --current "${c}/regressed" --band-k 0)
expect("${err}" "--band-k '0'")

# Accepting the regressed run rebaselines: the runs before it leave the baseline.
file(COPY "${DATA}/history/" DESTINATION "${WORK}/history")
report(2 accept --history "${WORK}/history" "${c}/regressed")
expect("${err}" "is not recorded in this history \\(record it first\\)")
report(0 record --history "${WORK}/history" "${c}/regressed")
report(0 accept --history "${WORK}/history" "${c}/regressed")
expect("${out}" "accepted 20261121T040000Z-bbbbbbbbbbbb: earlier runs of its machines leave the baseline")
report(0 accept --history "${WORK}/history" 20261121T040000Z-bbbbbbbbbbbb)
expect("${out}" "was accepted already")
report(0 compare --baseline "${WORK}/history" --current "${c}/unchanged")
expect("${out}" "5 run\\(s\\) before the accepted run 20261121T040000Z-bbbbbbbbbbbb left out"
       "fewer than 5 history runs")
report(2 accept --history "${WORK}/history")
report(2 accept --history "${WORK}/nowhere" 20261121T040000Z-bbbbbbbbbbbb)

# JSON run directories convert on the fly (one process each: insufficient).
report(0 compare --baseline "${DATA}/run" --current "${DATA}/run")
expect("${out}" "Insufficient samples" "in-process repetitions of one process are one sample")

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
