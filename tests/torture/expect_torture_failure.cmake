# cmake -P: runs `RCUTORTURE --mode smoke --primitive PRIMITIVE` (through EMULATOR if set)
# on a negative control and passes only if the checker caught it: exit status 1, a
# "!!! FAILURE PRIMITIVE: CHECK" line and a failing JSON verdict. Exit status 77 (the
# checker skips the primitive in this build) passes through as a skip.
# A negative control races by design. Under ThreadSanitizer (halt_on_error) a report of
# the race it plants would end the run with 66 before the checker has spoken, as it
# did once for broken-arc-swap-no-pay: what is tested here is the checker, so TSan
# reports nothing in these runs. (Other builds ignore the variable.)
if(DEFINED ENV{TSAN_OPTIONS})
  set(ENV{TSAN_OPTIONS} "$ENV{TSAN_OPTIONS} report_bugs=0")
endif()
execute_process(COMMAND ${EMULATOR} ${RCUTORTURE} --mode smoke --primitive ${PRIMITIVE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(rc EQUAL 77)
  return()  # The checker skips this primitive here; the test's SKIP_REGULAR_EXPRESSION says so.
endif()
if(rc EQUAL 0)
  message(FATAL_ERROR "rcutorture passed the negative control ${PRIMITIVE}: the check missed it")
endif()
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "rcutorture exited with ${rc} (want 1, a failed check):\n${err}")
endif()
string(FIND "${out}" "\n!!! FAILURE ${PRIMITIVE}: ${CHECK}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "no '!!! FAILURE ${PRIMITIVE}: ${CHECK}' line")
endif()
if(NOT out MATCHES "\n{\"primitive\":\"${PRIMITIVE}\"[^\n]*\"verdict\":\"fail\"}")
  message(FATAL_ERROR "no JSON summary with \"verdict\":\"fail\"")
endif()
message(STATUS "${PRIMITIVE}: caught by the ${CHECK} check")
