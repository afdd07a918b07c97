# cmake -P check: installs the build tree BUILD_DIR into a scratch prefix, builds
# tests/rcu/consumer (a separate project using find_package(rcubench)) with the same
# toolchain, compiling the example of src/rcu/README.md with the usage checks off and on,
# and runs both (through EMULATOR when cross-compiled). Fails on any step.
set(work "${BUILD_DIR}/install-check")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}/consumer")

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGV}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${work}/prefix")

# The README's one C++ code block becomes the consumer's source.
file(READ "${SOURCE_DIR}/src/rcu/README.md" readme)
string(REGEX MATCH "```cpp\n(.*)\n```\n\n## Using it" match "${readme}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "no ```cpp example found in src/rcu/README.md")
endif()
file(WRITE "${work}/consumer/readme_example.cc" "${CMAKE_MATCH_1}\n")
file(COPY "${SOURCE_DIR}/tests/rcu/consumer/CMakeLists.txt" DESTINATION "${work}/consumer")

run(${CMAKE_COMMAND} -S "${work}/consumer" -B "${work}/consumer-build" -G Ninja
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN_FILE}"
    "-Drcubench_DIR=${work}/prefix/lib/cmake/rcubench")
run(${CMAKE_COMMAND} --build "${work}/consumer-build")
foreach(example readme_example readme_example_checked)
  run(${EMULATOR} "${work}/consumer-build/${example}")
  if(NOT last_output MATCHES "limit 110\ncounter 1")
    message(FATAL_ERROR "README example (${example}) printed:\n${last_output}")
  endif()
endforeach()
message(STATUS "installed package found, README example built and ran:\n${last_output}")
