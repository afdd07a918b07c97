# cmake -P check of `rcubench-report record` (one CSV per run, never rewritten) and
# `rcubench-report summary` (per arch and workload, ratios to rwlock-pthread).
include("${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake")

set(history ${WORK}/history)
set(id 20261128T040512Z-e994f8f3aaad)
# A run directory of JSON files: recorded as the same rows `csv` writes.
report(0 record --history "${history}" "${DATA}/run")
expect("${out}" "recorded ${history}/${id}.csv")
# The arch files are read in name order, so compare the lines as sets.
file(STRINGS "${history}/${id}.csv" recorded_lines)
file(STRINGS "${DATA}/sample.csv" golden_lines)
list(SORT recorded_lines)
list(SORT golden_lines)
if(NOT recorded_lines STREQUAL golden_lines)
  message(FATAL_ERROR "${history}/${id}.csv holds other rows than ${DATA}/sample.csv")
endif()
file(READ "${history}/${id}.csv" recorded)
# Never rewritten: the same run again, or another form of it, is refused.
report(2 record --history "${history}" "${DATA}/sample.csv")
expect("${err}" "${id} is already recorded")
file(READ "${history}/${id}.csv" again)
if(NOT again STREQUAL recorded)
  message(FATAL_ERROR "a refused record changed ${history}/${id}.csv")
endif()
report(0 record --history "${history}" "${DATA}/compare/baseline")
report(2 record --history "${history}")
report(2 record "${DATA}/run")
# A run that scripts/bench left unfinished (renamed to <name>.incomplete on failure, or
# still assembled as .<name>.incomplete) is never recorded: it would become a baseline.
set(unfinished ${WORK}/20261129T040000Z-e994f8f3aaad.incomplete)
file(COPY "${DATA}/compare/unchanged/" DESTINATION "${unfinished}")
report(2 record --history "${history}" "${unfinished}")
expect("${err}" "^rcubench-report: error: ${unfinished}: an incomplete run")
report(2 record --history "${history}" "${unfinished}/results.csv")
expect("${err}" "${unfinished}/results.csv: an incomplete run")
file(COPY "${DATA}/compare/unchanged/" DESTINATION "${WORK}/.20261129T040000Z-e994f8f3aaad.incomplete")
report(2 record --history "${history}" "${WORK}/.20261129T040000Z-e994f8f3aaad.incomplete")
expect("${err}" "an incomplete run")
file(GLOB files RELATIVE "${history}" "${history}/*" "${history}/.*")
list(LENGTH files n)
if(NOT n EQUAL 2)
  message(FATAL_ERROR "want exactly the two run files in ${history}, got: ${files}")
endif()
# The recorded history serves as a baseline: one run of that machine is too few for a band.
report(0 compare --baseline "${history}" --current "${DATA}/compare/regressed")
expect("${out}" "baseline from 1 run\\(s\\)" "fewer than 5 history runs")

# Summary of the sample run (JSON directory) and of its CSV: the same tables.
report(0 summary "${DATA}/run")
set(from_json "${out}")
report(0 summary "${DATA}/sample.csv")
if(NOT out STREQUAL from_json)
  message(FATAL_ERROR "summary differs between the JSON run and its CSV")
endif()
expect("${out}"
  "x86_64 \\(native\\), workload read-side\n"
  "aarch64 \\(emulated\\), workload read-side: timings are not hardware performance\n"
  "x86_64 \\(native\\), workload update-side\n"
  # rcu-memb, 1 reader: median(410M, 400M) = 405M against rwlock-pthread's 31.5M: 12.86x
  "rcu-memb +1 +0 +405M +12\\.9x\n"
  "rwlock-pthread +1 +0 +31\\.5M +1\\.00x"
  # update-side, 1 reader 1 updater: 9.8M updates/s against 2.8M: 3.50x
  "rcu-memb-defer +1 +1 +360M +18\\.0x +9\\.8M +3\\.50x\n"
  # Rcu<P> against raw liburcu per arch, the emulated one marked; urcu-qsbr ran only the
  # read side and rcu-qsbr only the update side, so their row has no ratio at all.
  "x86_64 \\(native\\), Rcu<P> against raw liburcu of the same flavor\n"
  "aarch64 \\(emulated\\), Rcu<P> against raw liburcu of the same flavor: time ratios are not hardware performance\n"
  "rcu-qsbr / urcu-qsbr +- +- +- +- +-\n")
report(2 summary "${WORK}/nothing-here")
report(2 summary)
message(STATUS "ok: record and summary")
