# cmake -P check: plots/render.sh renders every plot of the sample CSV (both arches, SVG
# and PNG) and the trend plots of the sample history, none empty, nothing left over, the
# titles saying where the numbers come from; a missing gnuplot or report tool and bad input
# are one clear error each, with nothing written.
if(NOT GNUPLOT)
  message(STATUS "SKIP: gnuplot not found")
  return()
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(render expected_rc)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc EQUAL expected_rc)
    message(FATAL_ERROR "${ARGN}: exit ${rc}, want ${expected_rc}\n${o}\n${e}")
  endif()
  set(err "${e}" PARENT_SCOPE)
endfunction()

# refused(DIR REGEX WHAT): the last render's error matches REGEX, and DIR holds nothing.
function(refused dir regex what)
  if(NOT err MATCHES "${regex}")
    message(FATAL_ERROR "${what}, without an error naming it: ${err}")
  endif()
  file(GLOB left "${dir}/*" "${dir}/.*")
  if(left)
    message(FATAL_ERROR "render.sh left files after ${what}: ${left}")
  endif()
endfunction()

# check_files(DIR NAME...): DIR holds exactly NAME.svg and NAME.png for each NAME,
# each non-empty, and a PNG or SVG signature at the start.
function(check_files dir)
  set(want)
  foreach(name IN LISTS ARGN)
    foreach(ext svg png)
      set(f "${dir}/${name}.${ext}")
      list(APPEND want "${name}.${ext}")
      if(NOT EXISTS "${f}")
        message(FATAL_ERROR "not rendered: ${f}")
      endif()
      file(SIZE "${f}" size)
      if(size EQUAL 0)
        message(FATAL_ERROR "empty: ${f}")
      endif()
      file(READ "${f}" head LIMIT 200 HEX)
      if(ext STREQUAL "png" AND NOT head MATCHES "^89504e470d0a1a0a")
        message(FATAL_ERROR "not a PNG: ${f}")
      endif()
      file(READ "${f}" head LIMIT 400)
      if(ext STREQUAL "svg" AND NOT head MATCHES "<svg")
        message(FATAL_ERROR "not an SVG: ${f}")
      endif()
    endforeach()
  endforeach()
  file(GLOB got RELATIVE "${dir}" "${dir}/*" "${dir}/.*")
  list(SORT got)
  list(SORT want)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "in ${dir}: got ${got}, want ${want}")
  endif()
endfunction()

set(env ${CMAKE_COMMAND} -E env "GNUPLOT=${GNUPLOT}" "RCUBENCH_REPORT=${REPORT}")
render(0 ${env} sh "${PLOTS}/render.sh" "${DATA}/sample.csv" "${WORK}/plots")
# The sample: x86_64 sweeps readers on the read side and updaters on the update side (one
# process, in-process repetitions); aarch64 (emulated) has a single point on the update side.
set(names x86_64-headline x86_64-read-side-reads x86_64-read-side-read-latency
          x86_64-update-side-reads x86_64-update-side-updates x86_64-update-side-backlog
          x86_64-update-side-gp-latency
          aarch64-headline aarch64-read-side-reads aarch64-read-side-read-latency
          aarch64-update-side-updates aarch64-update-side-backlog aarch64-update-side-gp-latency)
check_files("${WORK}/plots" ${names})
# Titles say native or emulated; the headline holds the main comparison and the floor;
# footers say what a point is.
file(READ "${WORK}/plots/aarch64-read-side-reads.svg" svg)
if(NOT svg MATCHES "aarch64 \\(emulated\\)" OR NOT svg MATCHES "timings are not hardware performance")
  message(FATAL_ERROR "the aarch64 plot does not say it is emulated")
endif()
file(READ "${WORK}/plots/x86_64-update-side-gp-latency.svg" svg)
if(NOT svg MATCHES "x86_64 \\(native\\)" OR NOT svg MATCHES "rcu-qsbr-defer")
  message(FATAL_ERROR "the x86_64 grace-period plot lacks its title or a primitive")
endif()
file(READ "${WORK}/plots/x86_64-headline.svg" svg)
foreach(want "rcu-memb" "rwlock-pthread" "bare \\(unsynchronised floor\\)"
        "in-process repetitions")
  if(NOT svg MATCHES "${want}")
    message(FATAL_ERROR "the x86_64 headline lacks '${want}'")
  endif()
endforeach()
if(svg MATCHES "rcu-memb-defer")
  message(FATAL_ERROR "the headline shows more than the main comparison's primitives")
endif()

# Zeros cannot go on a log scale: a workload whose deferred-free pair measured 0 updates/s
# (read-side has no updaters) is left out rather than failing the whole rendering.
file(READ "${DATA}/sample.csv" csv)
set(zero "20261128T040512Z-e994f8f3aaad,2026-11-28T04:05:12+00:00,e994f8f3aaad,x86_64,native,x,gcc 12.2.0,release,memb")
string(APPEND csv "${zero},rcu-memb,read-side,1,0,-,-,-,-,-,0,-,-,updates_per_s,0,1/s,-,-,-,-,-,-,-,-\n")
string(APPEND csv "${zero},rcu-memb-defer,read-side,1,0,-,-,-,-,-,0,-,-,updates_per_s,0,1/s,-,-,-,-,-,-,-,-\n")
file(WRITE "${WORK}/zeros.csv" "${csv}")
render(0 ${env} sh "${PLOTS}/render.sh" "${WORK}/zeros.csv" "${WORK}/zeros")
check_files("${WORK}/zeros" ${names})

render(0 ${env} sh "${PLOTS}/render.sh" --trend "${DATA}/history" "${WORK}/trend")
check_files("${WORK}/trend"
  trend-x86_64-read-side-rcu-memb-r1-u0-reads_per_s
  trend-x86_64-read-side-rwlock-pthread-r1-u0-reads_per_s
  trend-aarch64-read-side-rcu-memb-r1-u0-reads_per_s)
# The same runs recorded compact: the same plots.
file(GLOB old_runs "${DATA}/history/*.csv")
foreach(f IN LISTS old_runs)
  execute_process(COMMAND "${REPORT}" record --history "${WORK}/compact" "${f}"
                  RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "record ${f}: exit ${rc}")
  endif()
endforeach()
render(0 ${env} sh "${PLOTS}/render.sh" --trend "${WORK}/compact" "${WORK}/trend-compact")
check_files("${WORK}/trend-compact"
  trend-x86_64-read-side-rcu-memb-r1-u0-reads_per_s
  trend-x86_64-read-side-rwlock-pthread-r1-u0-reads_per_s
  trend-aarch64-read-side-rcu-memb-r1-u0-reads_per_s)

# Errors: no gnuplot, no input, no report tool, bad input.
render(2 ${CMAKE_COMMAND} -E env GNUPLOT=/nonexistent/gnuplot
       sh "${PLOTS}/render.sh" "${DATA}/sample.csv" "${WORK}/none")
if(NOT err MATCHES "gnuplot not found")
  message(FATAL_ERROR "no clear error without gnuplot: ${err}")
endif()
if(EXISTS "${WORK}/none" AND NOT IS_DIRECTORY "${WORK}/none")
  message(FATAL_ERROR "render.sh wrote output without gnuplot")
endif()
render(2 ${env} sh "${PLOTS}/render.sh" "${WORK}/missing.csv" "${WORK}/none")
# No report tool to reduce the CSV: one clear error.
render(2 ${CMAKE_COMMAND} -E env "GNUPLOT=${GNUPLOT}" RCUBENCH_REPORT=/nonexistent/report
       sh "${PLOTS}/render.sh" "${DATA}/sample.csv" "${WORK}/none")
if(NOT err MATCHES "rcubench-report not found")
  message(FATAL_ERROR "no clear error without the report tool: ${err}")
endif()
# gnuplot failing part-way through (a stand-in that draws only the first plot of the
# batch, 3 lines a plot, then fails): the error names the plot it stopped at, the second,
# and nothing is written.
file(WRITE "${WORK}/gnuplot-fails" "#!/bin/sh\nhead -n 3 \"$1\" >\"$1.first\"\n\"${GNUPLOT}\" \"$1.first\"\nexit 1\n")
file(CHMOD "${WORK}/gnuplot-fails" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
render(2 ${CMAKE_COMMAND} -E env "GNUPLOT=${WORK}/gnuplot-fails" "RCUBENCH_REPORT=${REPORT}"
       sh "${PLOTS}/render.sh" "${DATA}/sample.csv" "${WORK}/fails")
refused("${WORK}/fails" "render.sh: error: gnuplot failed on lines.gp \\(data='[^']*/x86_64-read-side-reads'\\)"
        "gnuplot failing on the second plot")
# Not a results CSV: the report tool's error, naming the file, and no plot written.
file(WRITE "${WORK}/bad.csv" "run_id,date\nx,y\n")
render(2 ${env} sh "${PLOTS}/render.sh" "${WORK}/bad.csv" "${WORK}/bad")
refused("${WORK}/bad" "render.sh: error: .*bad.csv" "bad input")
message(STATUS "ok: plots rendered")
