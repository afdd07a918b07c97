# cmake -P check: BUILD_DIR's target GOOD must build and target BAD must fail to, with an
# error matching EXPECT (so it fails for the reason meant, not for a typo).
function(build target)
  execute_process(COMMAND ${CMAKE_COMMAND} --build "${BUILD_DIR}" --target ${target}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(rc ${rc} PARENT_SCOPE)
  set(out "${out}" PARENT_SCOPE)
endfunction()

build(${GOOD})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the control ${GOOD} does not compile:\n${out}")
endif()
build(${BAD})
if(rc EQUAL 0)
  message(FATAL_ERROR "${BAD} compiled, but must not")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "${BAD} failed, but not with /${EXPECT}/:\n${out}")
endif()
message(STATUS "${BAD} does not compile, as meant")
