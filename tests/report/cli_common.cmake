# Shared by the check_cli_*.cmake scripts: a fresh WORK directory and two helpers.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# report(RC ARGS...): runs the tool, fails unless it exits RC; output in `out`, `err`.
function(report expected_rc)
  execute_process(COMMAND "${REPORT}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o
                  ERROR_VARIABLE e)
  if(NOT rc EQUAL expected_rc)
    message(FATAL_ERROR "rcubench-report ${ARGN}: exit ${rc}, want ${expected_rc}\n${o}\n${e}")
  endif()
  set(out "${o}" PARENT_SCOPE)
  set(err "${e}" PARENT_SCOPE)
endfunction()

# expect(TEXT PATTERN...): every PATTERN (a regex) is found in TEXT.
function(expect text)
  foreach(pattern IN LISTS ARGN)
    if(NOT text MATCHES "${pattern}")
      message(FATAL_ERROR "missing '${pattern}' in:\n${text}")
    endif()
  endforeach()
endfunction()
