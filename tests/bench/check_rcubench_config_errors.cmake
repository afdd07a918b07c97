# cmake -P check: every bad configuration in tests/data/configs/ makes rcubench exit with
# status 2 and one error naming the file, line and key, and write nothing to its
# --benchmark_out file. Runs through EMULATOR when cross-compiled.
set(cases
  "unknown_key.toml|unknown_key.toml:3:1: unknown key 'readerz' in \\[global\\]"
  "wrong_type.toml|wrong_type.toml:2:14: \\[global\\] duration_s: expected a number"
  "negative_count.toml|negative_count.toml:2:11: \\[scenario.a\\] readers: -1 is negative"
  "zero_count.toml|zero_count.toml:3:16: \\[scenario.a\\] sample_every: 0 is too small"
  "unknown_primitive.toml|unknown_primitive.toml:3:27: \\[scenario.a\\] primitives: unknown primitive 'rcu-nope'"
  "does_not_parse.toml|does_not_parse.toml:3:16: Error while parsing array"
  "bare_with_updaters.toml|bare_with_updaters.toml:1:1: \\[scenario.a\\]: primitive 'bare' is read-only"
  "floor_two_updaters.toml|floor_two_updaters.toml:1:1: \\[scenario.a\\]: primitive 'bare-update' is the update-side floor and runs with exactly one updater"
  "bad_count_expression.toml|bad_count_expression.toml:2:11: \\[scenario.a\\] readers: 'cpus%2' is not a count"
  "empty_count_range.toml|empty_count_range.toml:2:22: \\[scenario.a\\] readers: 'cpus..1' is an empty range"
  "empty_sweep.toml|empty_sweep.toml:3:20: \\[scenario.a\\] updater_delay_us: empty list"
  "sweep_wrong_type.toml|sweep_wrong_type.toml:2:21: \\[scenario.a\\] read_work: expected an integer"
  "two_sweeps.toml|two_sweeps.toml:5:13: \\[scenario.a\\]: payload_bytes and read_work are both swept"
  "seqlock_workload_payload.toml|seqlock_workload_payload.toml:1:1: \\[scenario.a\\]: primitive 'seqlock' needs a payload that is trivially copyable"
  "missing.toml|missing.toml: cannot read")
set(out "${WORK_DIR}/config_error_out.json")
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 file)
  list(GET parts 1 expected)
  file(REMOVE "${out}")
  execute_process(COMMAND ${EMULATOR} "${RCUBENCH}" --config "${DATA_DIR}/${file}"
                          "--benchmark_out=${out}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "${file}: exit status ${rc}, want 2\n${stderr}")
  endif()
  if(NOT stderr MATCHES "^rcubench: error: [^\n]*${expected}")
    message(FATAL_ERROR "${file}: error message\n  ${stderr}does not match\n  ${expected}")
  endif()
  string(REGEX MATCHALL "\n" lines "${stderr}")
  list(LENGTH lines n)
  if(NOT n EQUAL 1 OR NOT stdout STREQUAL "")
    message(FATAL_ERROR "${file}: want exactly one line on stderr and nothing on stdout, got:\n${stdout}${stderr}")
  endif()
  if(EXISTS "${out}")
    message(FATAL_ERROR "${file}: ${out} was written despite the error")
  endif()
endforeach()
# The command line too.
foreach(args "--primitives;rcu-memb,nope" "--primitives;a,,b" "--frobnicate")
  execute_process(COMMAND ${EMULATOR} "${RCUBENCH}" --config "${CONFIG_DIR}/smoke.toml" ${args}
                  RESULT_VARIABLE rc ERROR_VARIABLE stderr OUTPUT_QUIET)
  if(NOT rc EQUAL 2 OR NOT stderr MATCHES "^rcubench: error: ")
    message(FATAL_ERROR "'${args}': exit ${rc}, stderr: ${stderr}")
  endif()
endforeach()
# A --memory-series file that cannot be written: refused before the run, nothing written.
file(REMOVE "${out}")
execute_process(COMMAND ${EMULATOR} "${RCUBENCH}" --config "${CONFIG_DIR}/smoke.toml"
                        --memory-series "${WORK_DIR}/no-such-dir/memory.csv"
                        "--benchmark_out=${out}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT rc EQUAL 2 OR NOT stdout STREQUAL "" OR EXISTS "${out}" OR NOT stderr MATCHES
   "^rcubench: error: --memory-series: cannot write [^\n]*/no-such-dir/memory.csv.tmp: No such file or directory\n$")
  message(FATAL_ERROR "--memory-series to a missing directory: exit ${rc}, stdout '${stdout}', "
                      "stderr: ${stderr}")
endif()
# A primitive left out of every scenario by --primitives: the error says why.
execute_process(COMMAND ${EMULATOR} "${RCUBENCH}" --config "${CONFIG_DIR}/smoke.toml"
                        --primitives seqlock
                RESULT_VARIABLE rc ERROR_VARIABLE stderr OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT stderr MATCHES
   "^rcubench: error: [^\n]*no primitive fits any scenario \\(seqlock needs a payload that is trivially copyable[^\n]*the workloads' is not\\)\n$")
  message(FATAL_ERROR "'--primitives seqlock': exit ${rc}, stderr: ${stderr}")
endif()
message(STATUS "every bad configuration was refused cleanly")
