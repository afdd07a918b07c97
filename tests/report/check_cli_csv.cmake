# cmake -P check of `rcubench-report csv`: the sample run converts to exactly
# data/sample.csv (to a file and to standard output); bad input exits 2 with one error
# naming the file (and key or entry) and leaves no output file, nor a partial one.
include("${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake")

# expect_error(PATTERN ARGS...): exit 2, PATTERN in stderr, no ${WORK}/out.csv.
function(expect_error pattern)
  report(2 ${ARGN})
  if(NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "rcubench-report ${ARGN}: stderr lacks '${pattern}':\n${err}")
  endif()
  if(EXISTS "${WORK}/out.csv")
    message(FATAL_ERROR "rcubench-report ${ARGN}: failed but wrote ${WORK}/out.csv")
  endif()
endfunction()

set(run ${DATA}/run)
file(READ "${DATA}/sample.csv" golden)

report(0 csv -o "${WORK}/sample.csv" "${run}/x86_64.json" "${run}/aarch64.json")
file(READ "${WORK}/sample.csv" got)
if(NOT got STREQUAL golden)
  message(FATAL_ERROR "${WORK}/sample.csv differs from ${DATA}/sample.csv")
endif()
if(NOT err MATCHES "benchmarks\\[30\\] 'update-side/arc-swap/readers:1/updaters:2/updater_delay_us:0/read_work:0/payload_bytes:64/manual_time': skipped, the benchmark reported an error")
  message(FATAL_ERROR "no warning for the failed benchmark entry:\n${err}")
endif()
report(0 csv "${run}/x86_64.json" "${run}/aarch64.json")
if(NOT out STREQUAL golden)
  message(FATAL_ERROR "csv to standard output differs from ${DATA}/sample.csv")
endif()

# Bad inputs.
expect_error("no-such.json: cannot read" csv -o "${WORK}/out.csv" "${WORK}/no-such.json")
file(WRITE "${WORK}/broken.json" "{\"context\": {\"date\": ")
expect_error("broken.json: not valid JSON" csv -o "${WORK}/out.csv" "${WORK}/broken.json")
file(READ "${run}/aarch64.json" aarch64)
string(REGEX REPLACE "\"rcubench_run_id\": \"[^\"]*\",?" "" no_run_id "${aarch64}")
string(REPLACE "\"rcubench_membarrier\": \"yes\"," "\"rcubench_membarrier\": \"yes\"" no_run_id "${no_run_id}")
file(WRITE "${WORK}/no-run-id.json" "${no_run_id}")
expect_error("no-run-id.json: context.rcubench_run_id is missing"
             csv -o "${WORK}/out.csv" "${WORK}/no-run-id.json")
string(REPLACE "\"run_name\": \"read-side/rcu-memb/readers:2/updaters:0\""
               "\"run_name\": \"read-side/rcu-memb\"" bad_name "${aarch64}")
file(WRITE "${WORK}/bad-name.json" "${bad_name}")
expect_error("bad-name.json: benchmarks\\[3\\] 'read-side/rcu-memb/readers:2/updaters:0': run_name 'read-side/rcu-memb' does not match"
             csv -o "${WORK}/out.csv" "${WORK}/bad-name.json")
# A good file and a bad one: nothing written.
expect_error("bad-name.json" csv -o "${WORK}/out.csv" "${run}/x86_64.json" "${WORK}/bad-name.json")
# A CSV given where JSON is expected.
expect_error("sample.csv: not valid JSON" csv -o "${WORK}/out.csv" "${DATA}/sample.csv")
expect_error("csv: no JSON files given" csv -o "${WORK}/out.csv")
expect_error("unknown option '--bogus'" csv --bogus "${run}/x86_64.json")
expect_error("unknown command 'frobnicate'" frobnicate)

# An existing output survives a failed conversion whole, and no temporary is left.
file(WRITE "${WORK}/keep.csv" "old contents\n")
report(2 csv -o "${WORK}/keep.csv" "${WORK}/bad-name.json")
file(READ "${WORK}/keep.csv" kept)
if(NOT kept STREQUAL "old contents\n")
  message(FATAL_ERROR "a failed conversion changed ${WORK}/keep.csv")
endif()
# ... and a successful one replaces it.
report(0 csv -o "${WORK}/keep.csv" "${run}/aarch64.json")
file(READ "${WORK}/keep.csv" kept)
if(NOT kept MATCHES "^run_id,date,")
  message(FATAL_ERROR "${WORK}/keep.csv was not replaced")
endif()
file(GLOB leftovers "${WORK}/.*")
if(leftovers)
  message(FATAL_ERROR "temporary files left behind: ${leftovers}")
endif()
message(STATUS "ok: csv output and errors")
