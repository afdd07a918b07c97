# cmake -P check: runs the sample Google Benchmark program (SAMPLE) with JSON output, then
# converts its JSON with the report tool (REPORT) and checks the rows: library-added keys
# ignored, aggregates kept, NaN skipped with a warning, run_name suffixes ignored, sweep
# parameters of the name in their columns.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${SAMPLE}" "--benchmark_out=${WORK}/sample.json"
                        --benchmark_out_format=json
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sample benchmark exited with ${rc}: ${err}")
endif()
file(READ "${WORK}/sample.json" json)
if(NOT json MATCHES "\"aggregate_name\": \"cv\"")
  message(FATAL_ERROR "the sample JSON has no cv aggregate; the check would prove nothing")
endif()

execute_process(COMMAND "${REPORT}" csv -o "${WORK}/sample.csv" "${WORK}/sample.json"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rcubench-report csv exited with ${rc}: ${err}")
endif()
file(STRINGS "${WORK}/sample.csv" lines)
list(LENGTH lines n)
list(GET lines 0 header)
if(NOT header STREQUAL "run_id,date,commit,arch,exec,cpu_model,compiler,build_type,flavor,primitive,workload,readers,updaters,params,updater_delay_us,read_work,payload_bytes,stall_us,repetition,process,aggregate,metric,value,unit,fingerprint,family,raw,headline,label,family_rank,role,schema")
  message(FATAL_ERROR "unexpected header: ${header}")
endif()

set(prefix "20261128T000000Z-0123456789ab,[^,]+,0123456789ab-dirty,x86_64,native,\"Test CPU, \"\"quoted\"\" model\",gcc 12.2.0,release")
# The fingerprint: FNV-1a 64 of "cpu_model=Test CPU, \"quoted\" model\ncompiler=gcc
# 12.2.0\ndeps=liburcu 0.13.2, benchmark 1.7.1, fmt 9.1.0\nkernel=6.1.0-test\nrunner=-\n"
# (docs/csv.md), its first 12 hex digits, worked out apart from the tool.
set(fingerprint b02706fccb6a)
# Some of the rows expected, in full.
set(expect
  # read-side: 3 iterations + mean, median, stddev, cv; real_time, cpu_time, 3 counters
  "memb,rcu-memb,read-side,1,0,-,-,-,-,-,0,-,-,reads_per_s,[0-9.e+]+,1/s"
  "memb,rcu-memb,read-side,1,0,-,-,-,-,-,2,-,-,read_p99_ns,7,ns"
  "memb,rcu-memb,read-side,1,0,-,-,-,-,-,1,-,-,update_retries,0,count"
  "memb,rcu-memb,read-side,1,0,-,-,-,-,-,-,-,median,real_time,[0-9.e+-]+,ns"
  "memb,rcu-memb,read-side,1,0,-,-,-,-,-,-,-,cv,read_p99_ns,0,fraction"
  "memb,rcu-memb-defer,update-side,0,1,-,2.5,3,128,-,1,-,-,backlog_peak_objects,12,objects"
  "memb,rcu-memb-defer,update-side,0,1,-,2.5,3,128,-,-,-,mean,gp_p50_ns,[0-9.e+]+,ns")
# What each primitive is, from the context: family, raw counterpart, headline, label, rank,
# role; then the results contract's version (contract/metrics.h).
set(described "(rcu,urcu-memb,yes,rcu-memb|rcu-defer,urcu-memb,no,rcu-memb-defer),0,-,1")
file(READ "${WORK}/sample.csv" csv)
foreach(pattern IN LISTS expect)
  string(REGEX MATCH "(^|\n)[^\n]*,${pattern},${fingerprint},${described}\n" found "${csv}")
  if(NOT found)
    message(FATAL_ERROR "no row matching '${pattern}' (described) in ${WORK}/sample.csv")
  endif()
  string(REGEX MATCH "(^|\n)${prefix},${pattern},${fingerprint},${described}\n" found "${csv}")
  if(NOT found)
    message(FATAL_ERROR "the row '${pattern}' lacks the run context: ${csv}")
  endif()
endforeach()
# Keys of the library that are no measurements never become metrics.
string(FIND "${csv}" "\n" header_end)
string(SUBSTRING "${csv}" ${header_end} -1 body)
foreach(not_metric iterations repetitions repetition_index threads family_index
                   per_family_instance_index label aggregate_unit time_unit)
  if(body MATCHES ",${not_metric},")
    message(FATAL_ERROR "'${not_metric}' became a metric")
  endif()
endforeach()
if(csv MATCHES ",cv,update_retries,")
  message(FATAL_ERROR "the NaN cv of update_retries should have been skipped")
endif()
if(NOT err MATCHES "sample.json: 1 non-finite cv value\\(s\\) skipped")
  message(FATAL_ERROR "no warning about the NaN counter: ${err}")
endif()
# read-side: 7 entries x 5 metrics - 1 NaN = 34; update-side: 2 + 4 aggregates = 6
# entries x 5 metrics = 30; plus the header.
if(NOT n EQUAL 65)
  message(FATAL_ERROR "${n} lines in the CSV, want 65")
endif()
message(STATUS "ok: real Google Benchmark JSON -> ${n} CSV lines")
