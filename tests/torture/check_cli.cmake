# cmake -P: rcutorture's command line (through EMULATOR if set). Bad input: exit status 2,
# nothing on stdout, one line on stderr naming the option and the value. --list: exit 0,
# the primitives and the negative controls.
function(expect_usage_error expected)
  execute_process(COMMAND ${EMULATOR} ${RCUTORTURE} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REPLACE ";" " " args "${ARGN}")
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "rcutorture ${args}: exit status ${rc}, want 2\n${out}${err}")
  endif()
  if(NOT out STREQUAL "")
    message(FATAL_ERROR "rcutorture ${args}: wrote to stdout:\n${out}")
  endif()
  if(NOT err STREQUAL "${expected}\n")
    message(FATAL_ERROR "rcutorture ${args}: stderr was\n${err}\nwant\n${expected}")
  endif()
endfunction()

expect_usage_error("rcutorture: --primitive: unknown primitive 'no-such' (see --list)"
                   --primitive no-such)
expect_usage_error("rcutorture: --readers: '0' is not a thread count from 1 to 256"
                   --readers 0)
expect_usage_error("rcutorture: --updaters: '-2' is not a thread count from 1 to 256"
                   --primitive mutex --updaters -2)
expect_usage_error("rcutorture: --duration: 'soon' is not a positive number of seconds (at most a week)"
                   --duration soon)
expect_usage_error("rcutorture: --mode: 'fast' is not smoke or soak" --mode=fast)
expect_usage_error("rcutorture: --seed: 'x' is not a non-negative integer" --seed x)
expect_usage_error("rcutorture: unknown option '--verbose' (see --help)" --verbose)

execute_process(COMMAND ${EMULATOR} ${RCUTORTURE} --list
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rcutorture --list: exit status ${rc}\n${err}")
endif()
foreach(name rcu-memb bare broken-no-grace-period broken-publish-before-init
    broken-batch-early-callback broken-batch-overflow-no-wait)
  if(NOT out MATCHES "(^|\n)${name} ")
    message(FATAL_ERROR "rcutorture --list does not list ${name}:\n${out}")
  endif()
endforeach()
if(NOT out MATCHES "\nbroken-no-grace-period +negative-control ")
  message(FATAL_ERROR "rcutorture --list does not mark the negative controls:\n${out}")
endif()
message(STATUS "usage errors and --list as expected")
