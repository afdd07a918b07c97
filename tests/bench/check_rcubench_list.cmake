# cmake -P check: `rcubench --list --cpus N` resolves the default configurations as
# expected on 1, 2, 4, 16 and 64 CPUs; a workload plans more threads than CPUs only where
# fixed counts reach the CPUs (one reader and one updater on one CPU), and says so; with
# no --cpus the affinity mask counts (taskset); a bad --cpus is one error. Runs through
# EMULATOR when cross-compiled.

cmake_policy(SET CMP0007 NEW)  # list(GET) keeps empty lines

# list_workloads(OUT CONFIG CPUS [PREFIX...]): runs rcubench --list (after PREFIX, e.g.
# taskset) and sets OUT to its workload lines with ";" turned into "|" (CMake lists) and
# the header as the first element; CPUS empty = no --cpus.
function(list_workloads out config cpus)
  set(cpus_args "")
  if(NOT cpus STREQUAL "")
    set(cpus_args --cpus ${cpus})
  endif()
  execute_process(COMMAND ${ARGN} ${EMULATOR} "${RCUBENCH}" --list --config "${config}"
                          ${cpus_args}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "--list --config ${config} ${cpus_args}: exit ${rc}: ${err}")
  endif()
  string(FIND "${text}" "\nworkloads, resolved for " at)
  if(at EQUAL -1)
    message(FATAL_ERROR "--list --config ${config} ${cpus_args}: no workloads header in\n${text}")
  endif()
  math(EXPR at "${at} + 1")
  string(SUBSTRING "${text}" ${at} -1 text)
  string(REPLACE ";" "|" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

# parse_workloads(LINES PREFIX): for each workload W sets PREFIX_W_readers,
# PREFIX_W_updaters, PREFIX_W_over (the oversubscribed line or ""), PREFIX_W_params, and
# PREFIX_names (the workloads in order).
macro(parse_workloads lines prefix)
  set(${prefix}_names "")
  set(_w "")
  foreach(line IN LISTS ${lines})
    if(line MATCHES "^  ([a-z-]+) ")
      set(_w ${CMAKE_MATCH_1})
      list(APPEND ${prefix}_names ${_w})
      set(${prefix}_${_w}_over "")
    elseif(line MATCHES "^      readers ([0-9, ]+)\\| updaters ([0-9, ]+)$")
      set(${prefix}_${_w}_readers "${CMAKE_MATCH_1}")
      set(${prefix}_${_w}_updaters "${CMAKE_MATCH_2}")
    elseif(line MATCHES "^      (oversubscribed .*)$")
      set(${prefix}_${_w}_over "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^      (updater_delay_us .*)$")
      set(${prefix}_${_w}_params "${CMAKE_MATCH_1}")
    endif()
  endforeach()
endmacro()

# The largest of "1, 2, 4".
function(largest out counts)
  string(REPLACE ", " ";" counts "${counts}")
  set(max 0)
  foreach(n IN LISTS counts)
    if(n GREATER max)
      set(max ${n})
    endif()
  endforeach()
  set(${out} ${max} PARENT_SCOPE)
endfunction()

# Expected resolutions of the default configs: "CPUS|workload|readers|updaters".
set(expected
  "1|read-side|1|0" "1|read-length|1|0" "1|reader-heavy|1|1" "1|update-fraction|1|1"
  "1|grace-periods|1|1" "1|updater-heavy|1|1" "1|payload|1|1" "1|backlog|1|1"
  "2|read-side|1, 2|0" "2|read-length|2|0" "2|update-fraction|1|1" "2|grace-periods|1|1"
  "2|updater-heavy|1|1" "2|payload|1|1"
  "4|read-side|1, 2, 4|0" "4|read-length|4|0" "4|reader-heavy|3|1" "4|update-fraction|3|1"
  "4|grace-periods|1, 2, 3|1" "4|updater-heavy|1|1, 2, 3" "4|payload|3|1" "4|backlog|1|1"
  "16|read-side|1, 2, 4, 8, 16|0" "16|read-length|16|0" "16|update-fraction|15|1"
  "16|grace-periods|1, 2, 4, 8, 15|1" "16|updater-heavy|1|1, 2, 4, 8, 15" "16|payload|15|1"
  "64|read-side|1, 2, 4, 8, 16, 32, 64|0" "64|read-length|64|0" "64|update-fraction|63|1"
  "64|grace-periods|1, 2, 4, 8, 16, 32, 63|1" "64|updater-heavy|1|1, 2, 4, 8, 16, 32, 63"
  "1|stalls|1|1" "2|stalls|1|1" "4|stalls|3|1" "16|stalls|15|1" "64|stalls|63|1"
  "1|stalls-paced|1|1" "2|stalls-paced|1|1" "4|stalls-paced|3|1" "64|stalls-paced|63|1")
set(checked 0)
foreach(config reader-heavy updater-heavy ci)
  foreach(cpus 1 2 4 16 64)
    list_workloads(lines "${CONFIG_DIR}/${config}.toml" ${cpus})
    list(GET lines 0 header)
    if(cpus EQUAL 1)
      set(want_header "workloads, resolved for 1 CPU (--cpus):")
    else()
      set(want_header "workloads, resolved for ${cpus} CPUs (--cpus):")
    endif()
    if(NOT header STREQUAL want_header)
      message(FATAL_ERROR "${config} on ${cpus} CPUs: header '${header}', want '${want_header}'")
    endif()
    parse_workloads(lines w)
    if(w_names STREQUAL "")
      message(FATAL_ERROR "${config} on ${cpus} CPUs: no workloads parsed")
    endif()
    foreach(name IN LISTS w_names)
      set(at "${config} on ${cpus} CPUs, ${name}")
      if(NOT DEFINED w_${name}_readers OR NOT DEFINED w_${name}_params)
        message(FATAL_ERROR "${at}: no thread-count or parameter line")
      endif()
      # The listing flags exactly the plans with more threads than CPUs...
      largest(r "${w_${name}_readers}")
      largest(u "${w_${name}_updaters}")
      math(EXPR threads "${r} + ${u}")
      if(threads GREATER cpus AND w_${name}_over STREQUAL "")
        message(FATAL_ERROR "${at}: ${threads} threads and no oversubscribed line")
      elseif(NOT threads GREATER cpus AND NOT w_${name}_over STREQUAL "")
        message(FATAL_ERROR "${at}: '${w_${name}_over}' with ${threads} threads")
      endif()
      # ... and the default configs plan none, but for one reader and one updater (fixed
      # counts) on one CPU.
      if(threads GREATER cpus AND NOT (cpus EQUAL 1 AND threads EQUAL 2))
        message(FATAL_ERROR "${at}: plans ${threads} threads (readers ${w_${name}_readers}, "
                            "updaters ${w_${name}_updaters})")
      endif()
      set(one_cpu_line "oversubscribed (more threads than 1 CPU): readers 1 + updaters 1")
      if(cpus EQUAL 1 AND threads EQUAL 2 AND NOT w_${name}_over STREQUAL one_cpu_line)
        message(FATAL_ERROR "${at}: oversubscribed line '${w_${name}_over}'")
      endif()
      # The sweeps do not depend on the CPUs.
      if(config STREQUAL "reader-heavy" AND name STREQUAL "update-fraction" AND
         NOT w_${name}_params MATCHES "^updater_delay_us 1, 10, 100, 1000, 10000 \\(swept\\)\\| ")
        message(FATAL_ERROR "${at}: parameters '${w_${name}_params}'")
      endif()
      # The stall is listed where there is a stall schedule, and only there.
      if(config STREQUAL "updater-heavy" AND name STREQUAL "stalls" AND
         NOT w_${name}_params MATCHES "\\| stall_us 0, 10000, 30000 \\(swept\\) \\(reader 0, every 60000 us\\)$")
        message(FATAL_ERROR "${at}: parameters '${w_${name}_params}'")
      elseif(config STREQUAL "updater-heavy" AND name STREQUAL "stalls-paced" AND
         NOT w_${name}_params MATCHES "^updater_delay_us 100\\| .*\\| stall_us 0, 10000, 30000 \\(swept\\) \\(reader 0, every 100000 us\\)$")
        message(FATAL_ERROR "${at}: parameters '${w_${name}_params}'")
      elseif(NOT name MATCHES "^stalls" AND w_${name}_params MATCHES "stall_us")
        message(FATAL_ERROR "${at}: parameters '${w_${name}_params}' name a stall")
      endif()
      if(config STREQUAL "ci")
        continue()  # ci.toml's scenarios of the same names are smaller.
      endif()
      foreach(e IN LISTS expected)
        string(REPLACE "|" ";" e "${e}")
        list(GET e 0 e_cpus)
        list(GET e 1 e_name)
        if(e_cpus EQUAL cpus AND e_name STREQUAL name)
          list(GET e 2 e_readers)
          list(GET e 3 e_updaters)
          if(NOT w_${name}_readers STREQUAL e_readers OR NOT w_${name}_updaters STREQUAL e_updaters)
            message(FATAL_ERROR "${at}: readers ${w_${name}_readers}, updaters "
                                "${w_${name}_updaters}; want readers ${e_readers}, "
                                "updaters ${e_updaters}")
          endif()
          math(EXPR checked "${checked} + 1")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
list(LENGTH expected n_expected)
if(NOT checked EQUAL n_expected)
  message(FATAL_ERROR "checked ${checked} of ${n_expected} expected resolutions: a workload is "
                      "missing from the default configs")
endif()

# Without --cpus the affinity mask counts: under taskset, one CPU of this process's mask.
# Not on a board (scripts/test --remote): taskset would pin the ssh client here, not the
# binary there.
if(DEFINED ENV{RCUBENCH_REMOTE_X86_64} OR DEFINED ENV{RCUBENCH_REMOTE_AARCH64} OR
   DEFINED ENV{RCUBENCH_REMOTE_RISCV64})
  message(STATUS "on a board: the affinity-mask check is left out")
else()
  file(READ /proc/self/status status)
  if(NOT status MATCHES "\nCpus_allowed_list:[ \t]*([0-9]+)")
    message(FATAL_ERROR "no Cpus_allowed_list in /proc/self/status")
  endif()
  find_program(TASKSET taskset REQUIRED)
  list_workloads(lines "${CONFIG_DIR}/reader-heavy.toml" "" ${TASKSET} -c ${CMAKE_MATCH_1})
  list(GET lines 0 header)
  if(NOT header STREQUAL "workloads, resolved for 1 CPU (this process's affinity mask):")
    message(FATAL_ERROR "under taskset -c ${CMAKE_MATCH_1}: header '${header}'")
  endif()
  parse_workloads(lines t)
  if(NOT t_read-side_readers STREQUAL "1" OR NOT t_update-fraction_readers STREQUAL "1")
    message(FATAL_ERROR "under taskset: read-side readers ${t_read-side_readers}, "
                        "update-fraction readers ${t_update-fraction_readers}; want 1 and 1")
  endif()
endif()

# A bad --cpus, or --cpus outside --list, is one error.
foreach(args "--list;--cpus;0" "--list;--cpus;two" "--list;--cpus;-4" "--list;--cpus;1025"
             "--list;--cpus" "--cpus;4")
  execute_process(COMMAND ${EMULATOR} "${RCUBENCH}" --config "${CONFIG_DIR}/smoke.toml" ${args}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
  if(NOT rc EQUAL 2 OR NOT stderr MATCHES "^rcubench: error: --cpus[^\n]*\n$" OR
     NOT stdout STREQUAL "")
    message(FATAL_ERROR "'${args}': exit ${rc}, stdout '${stdout}', stderr '${stderr}'")
  endif()
endforeach()
message(STATUS "ok: ${checked} resolutions on 1 .. 64 CPUs, oversubscription flagged, "
               "taskset honoured, bad --cpus refused")
