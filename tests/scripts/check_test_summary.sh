#!/usr/bin/env bash
# scripts/test's summary end to end, from the host preset's build, with a stand-in ctest
# first on PATH (the real setup, configure and build run):
#   - a preset whose tests fail: exit 1, and the summary, the last lines a CI log keeps,
#     names each failing test and the first lines that say why;
#   - a preset whose tests pass: exit 0, the count in the summary, no "failed:" line.
#   check_test_summary.sh WORK
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/support/checks.sh"
work=$(fresh_dir "$1")
export RCUBENCH_LOG_DIR=$work/logs
arch=$(uname -m)

# The stand-in prints what ctest prints for a gtest failure and a cmake -P check's
# failure among passing tests, then exits as ctest does.
mkdir -p "$work/bin"
cat >"$work/bin/ctest" <<'SH'
#!/bin/sh
cat <<'LOG'
  1/3 Test #1: Engine.Fine ..........   Passed    0.01 sec
  2/3 Test #2: Engine.Flaky .........***Failed    0.20 sec
tests/workload/workload_test.cc:480: Failure
Expected: (r.memory[i].objects) >= (kept), actual: 3 vs 5
0.0251
  3/3 Test #3: report_cli_golden ....***Failed    0.30 sec
CMake Error at check_cli.cmake:12 (message):
  the summary line differs

33% tests passed, 2 tests failed out of 3

The following tests FAILED:
	  2 - Engine.Flaky (Failed)
	  3 - report_cli_golden (Failed)
Errors while running CTest
LOG
exit 8
SH
mkdir -p "$work/bin-pass"
cat >"$work/bin-pass/ctest" <<'SH'
#!/bin/sh
cat <<'LOG'
  1/2 Test #1: Engine.Fine ..........   Passed    0.01 sec
  2/2 Test #2: Engine.Flaky .........   Passed    0.20 sec

100% tests passed, 0 tests failed out of 2
LOG
SH
chmod +x "$work/bin/ctest" "$work/bin-pass/ctest"

run_test() {  # run_test BINDIR: scripts/test on the host arch alone, output in test.out
  (cd "$root" && PATH="$1:$PATH" scripts/test --arch "$arch" --no-sanitizers) >"$work/test.out" 2>&1
}

run_test "$work/bin"; check "failing tests: exit 1" 1 $?
tail -n 14 "$work/test.out" >"$work/tail.out"
has "the tail has the summary" "$work/tail.out" "^$arch +\(native\): 1 passed, 2 failed in"
has "the tail names the first failing test" "$work/tail.out" "^  \| failed: Engine.Flaky \(Failed\)$"
has "the tail names the second failing test" "$work/tail.out" "^  \| failed: report_cli_golden \(Failed\)$"
has "the tail says why the gtest failed" "$work/tail.out" "^  \| Expected: \(r.memory\[i\].objects\) >= \(kept\), actual: 3 vs 5$"
has "the tail says why the check failed" "$work/tail.out" "^  \|   the summary line differs$"
has "the tail names the preset" "$work/tail.out" "^FAILED presets: $arch$"

run_test "$work/bin-pass"; check "passing tests: exit 0" 0 $?
has "passing: the count" "$work/test.out" "^$arch +\(native\): 2 passed, 0 failed in"
hasnt "passing: no failed line" "$work/test.out" "failed: "

checks_done
