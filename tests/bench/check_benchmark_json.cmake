# cmake -P check: runs BENCH (through EMULATOR when cross-compiled) with JSON output to
# OUT, then fails unless the JSON holds at least one result, reports a release build of
# Google Benchmark and carries the run context keys, with rcubench_arch = EXPECT_ARCH.
file(REMOVE "${OUT}")
execute_process(
  COMMAND ${EMULATOR} "${BENCH}" --benchmark_min_time=0.01 --benchmark_format=json
          "--benchmark_out=${OUT}" --benchmark_out_format=json
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "benchmark exited with ${rc}: ${err}")
endif()
file(READ "${OUT}" json)

string(JSON build_type ERROR_VARIABLE e GET "${json}" context library_build_type)
if(NOT build_type STREQUAL "release")
  message(FATAL_ERROR "context.library_build_type is '${build_type}' (${e}), want 'release'")
endif()
foreach(key rcubench_arch rcubench_exec rcubench_compiler rcubench_build_type
            rcubench_commit rcubench_deps rcubench_membarrier)
  string(JSON value ERROR_VARIABLE e GET "${json}" context ${key})
  if(e OR value STREQUAL "")
    message(FATAL_ERROR "context.${key} missing or empty in ${OUT}")
  endif()
endforeach()
string(JSON arch GET "${json}" context rcubench_arch)
if(NOT arch STREQUAL EXPECT_ARCH)
  message(FATAL_ERROR "context.rcubench_arch is '${arch}', want '${EXPECT_ARCH}'")
endif()
string(JSON n LENGTH "${json}" benchmarks)
if(n LESS 1)
  message(FATAL_ERROR "no benchmark results in ${OUT}")
endif()
string(JSON iterations GET "${json}" benchmarks 0 iterations)
if(iterations LESS 1)
  message(FATAL_ERROR "first benchmark ran ${iterations} iterations")
endif()
string(JSON exec GET "${json}" context rcubench_exec)
message(STATUS "ok: ${n} result(s), arch ${arch}, exec ${exec}, library build ${build_type}")
