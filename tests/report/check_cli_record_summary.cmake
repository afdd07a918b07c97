# cmake -P check of `rcubench-report record` (one compact file per run, never rewritten,
# the same verdicts as the whole CSV, accepts) and `rcubench-report summary` (per arch and
# workload, ratios to rwlock-pthread).
include("${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake")

set(history ${WORK}/history)
set(id 20261128T040512Z-e994f8f3aaad)
# A malformed --accept is refused before anything is written.
foreach(bad "no separator" ": no pattern" "x86_64/*:" "x86_64/*: ")
  report(2 record --history "${history}" "${DATA}/run" --accept "${bad}")
  expect("${err}" "^rcubench-report: error: --accept '[^']*': want 'PATTERN: REASON'")
endforeach()
if(EXISTS "${history}")
  message(FATAL_ERROR "a refused record created ${history}")
endif()
# A run directory of JSON files: recorded compact, with its accepts and the machine's
# fingerprint fields.
report(0 record --history "${history}" "${DATA}/run" --accept "x86_64/rcu-memb/*: new algorithm"
       --accept "*/bare/*/reads_per_s: floor moved")
expect("${out}" "recorded ${history}/${id}.csv")
file(READ "${history}/${id}.csv" recorded)
expect("${recorded}"
  "^# rcubench-history v1\n# machines\nrun_id,date,commit,arch,exec,cpu_model,compiler,build_type,fingerprint,kernel,runner,deps\n"
  "\n${id},2026-11-28T04:05:12\\+00:00,e994f8f3aaad,x86_64,native,\"Sample CPU, \"\"x86\"\" 2.60GHz\",gcc 12.2.0,release,-,-,-,\"liburcu 0.13.2, benchmark 1.7.1, fmt 9.1.0\"\n"
  "\n# accepts\npattern,reason,commit\nx86_64/rcu-memb/\\*,new algorithm,e994f8f3aaad\n\\*/bare/\\*/reads_per_s,floor moved,e994f8f3aaad\n# series\n"
  # rcu-memb, 1 reader, x86_64: one process (repetitions 410M, 400M): n 1, median 405M
  "\nx86_64,native,read-side,rcu-memb,1,0,3fa2c1d0,0,0,64,-,reads_per_s,1/s,1,405000000,405000000,405000000,-\n")
file(SIZE "${history}/${id}.csv" compact_size)
file(SIZE "${DATA}/sample.csv" whole_size)
math(EXPR limit "${whole_size} / 2")
if(compact_size GREATER limit)
  message(FATAL_ERROR "compact ${compact_size} bytes, more than half the whole CSV's ${whole_size}")
endif()
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

# A history of whole results CSVs (as record wrote them before) and the same runs
# recorded compact give the same comparison, line by line.
set(compact ${WORK}/compact-history)
set(all_out "")
file(GLOB old_runs "${DATA}/history/*.csv")
foreach(f IN LISTS old_runs)
  report(0 record --history "${compact}" "${f}")
endforeach()
foreach(current regressed unchanged)
  foreach(last 10 2)
    execute_process(COMMAND "${REPORT}" compare --baseline "${DATA}/history" --current
                    "${DATA}/compare/${current}" --last ${last} --format csv
                    OUTPUT_VARIABLE whole_out ERROR_VARIABLE whole_err RESULT_VARIABLE whole_rc)
    execute_process(COMMAND "${REPORT}" compare --baseline "${compact}" --current
                    "${DATA}/compare/${current}" --last ${last} --format csv
                    OUTPUT_VARIABLE compact_out ERROR_VARIABLE compact_err RESULT_VARIABLE compact_rc)
    if(NOT whole_out STREQUAL compact_out OR NOT whole_rc STREQUAL compact_rc
       OR NOT whole_err STREQUAL compact_err)
      message(FATAL_ERROR "compact and whole histories differ against ${current}:\n${whole_out}${whole_err}\n--- compact:\n${compact_out}${compact_err}")
    endif()
    string(APPEND all_out "${whole_out}")
  endforeach()
endforeach()
# Not vacuous: the band found the regression, and passed the unchanged run.
expect("${all_out}" "\nregression,yes,x86_64,native,read-side,rcu-memb," "\nunchanged,yes,x86_64,")

# Summary of the sample run (JSON directory) and of its CSV: the same tables.
report(0 summary "${DATA}/run")
set(from_json "${out}")
report(0 summary "${DATA}/sample.csv")
if(NOT out STREQUAL from_json)
  message(FATAL_ERROR "summary differs between the JSON run and its CSV")
endif()
# A CSV from before the fingerprint and the primitive columns (23 columns) reads the same as
# the sample with its primitives undescribed: what a primitive is comes from those columns.
file(READ "${DATA}/sample.csv" described)
string(FIND "${described}" "\n" header_end)
string(SUBSTRING "${described}" 0 ${header_end} header)
string(SUBSTRING "${described}" ${header_end} -1 body)
string(REGEX REPLACE ",[^,\n]*,[^,\n]*,[^,\n]*,[^,\n]*,[^,\n]*,[^,\n]*,([^,\n]*)\n" ",-,-,-,-,-,-,\\1\n" body "${body}")
file(WRITE "${WORK}/undescribed.csv" "${header}${body}")
report(0 summary "${WORK}/undescribed.csv")
set(from_undescribed "${out}")
report(0 summary "${DATA}/sample-v23.csv")
if(NOT out STREQUAL from_undescribed)
  message(FATAL_ERROR "summary differs between the 23-column CSV and the undescribed sample")
endif()
# Not vacuous: described, Rcu<P> is paired with raw liburcu; undescribed, it is not.
expect("${from_json}" "\nrcu-memb / urcu-memb")
if(out MATCHES "rcu-memb / urcu-memb")
  message(FATAL_ERROR "undescribed primitives were paired by name:\n${out}")
endif()
set(out "${from_json}")
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
