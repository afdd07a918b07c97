# cmake -P: writes OUT, a ctest include file with one `rcutorture --mode smoke` test per
# primitive that `RCUTORTURE --list` (run through EMULATOR if set) names, negative
# controls excepted (they have tests of their own).
execute_process(COMMAND ${EMULATOR} ${RCUTORTURE} --list
  RESULT_VARIABLE rc OUTPUT_VARIABLE listing ERROR_VARIABLE errors)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${RCUTORTURE} --list failed (${rc}):\n${errors}")
endif()
string(REPLACE ";" "," listing "${listing}")  # Descriptions are text, not CMake lists.
string(REPLACE "\n" ";" lines "${listing}")
set(command "")
foreach(word IN LISTS EMULATOR ITEMS "${RCUTORTURE}" --mode smoke --primitive)
  string(APPEND command " [==[${word}]==]")
endforeach()
set(content "# Written by discover_smoke_tests.cmake from `rcutorture --list`.\n")
set(count 0)
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^([a-z0-9][a-z0-9-]*) +([a-z-]+)")
    continue()
  endif()
  set(name "${CMAKE_MATCH_1}")
  if(CMAKE_MATCH_2 STREQUAL "negative-control")
    continue()
  endif()
  string(APPEND content
    "add_test([==[torture_smoke.${name}]==]${command} [==[${name}]==])\n"
    "set_tests_properties([==[torture_smoke.${name}]==] PROPERTIES"
    " SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION [==[!!! FAILURE]==] TIMEOUT 60"
    " LABELS torture)\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${RCUTORTURE} --list named no primitive:\n${listing}")
endif()
file(WRITE "${OUT}" "${content}")
