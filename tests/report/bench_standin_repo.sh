#!/usr/bin/env bash
# Stands in for `scripts/bench --ab REF [--ab-b REV]` where check_ci_e2e.sh plays pushes
# on a throwaway repository (scripts/gate --against runs RCUBENCH_BENCH): no build and no
# measurement, but the same command line, run directory layout and exit codes. What each
# side "measures" comes from the file bench.txt of its revision (side A: REF; side B: REV,
# or the working tree of STANDIN_REPO), one primitive a line:
#
#   PRIMITIVE SPEED READ_INSNS     e.g.  rcu-memb 1.0 100
#
# reads/s = 1e8 x SPEED, in 16 process pairs with a small jitter of either sign (so that
# unchanged code is not significant, and 0.7 is flagged in every pair); read_insns exact,
# on every arch of --arch (3 repetitions). A primitive gone from bench.txt is a series
# gone missing. STANDIN_CPU names the CPU model (default "Stand-in CPU A"); with a report
# tool that writes machine fingerprints, timings carry one derived from it. STANDIN_FAIL=1
# is a failed build: exit 1, no run written. Arguments are appended to STANDIN_LOG, and
# a GIT_DIR in its environment (which scripts/bench must never get).
set -euo pipefail
printf '%s\n' "$*" >>"${STANDIN_LOG:-/dev/null}"
# scripts/bench runs git (it checks out its sides): a GIT_DIR handed down by `git bisect
# run` would point those commands at the bisection's own worktree.
[ -z "${GIT_DIR+set}" ] || printf 'GIT_DIR set: %s\n' "$GIT_DIR" >>"${STANDIN_LOG:-/dev/null}"
repo=${STANDIN_REPO:?STANDIN_REPO: the repository whose revisions are measured}
out='' ref='' rev_b='' arches='' timings=1 counts=1 primitives=''
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --ab) ref=$2; shift 2 ;;
    --ab-b) rev_b=$2; shift 2 ;;
    --arch) arches=$2; shift 2 ;;
    --primitives) primitives=$2; shift 2 ;;
    --config) shift 2 ;;
    --no-timings) timings=0; shift ;;
    --no-insn-counts) counts=0; shift ;;
    *) echo "bench stand-in: unexpected argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] && [ -n "$ref" ] || { echo "bench stand-in: needs --ab REF and --out DIR" >&2; exit 2; }
if [ "${STANDIN_FAIL:-0}" = 1 ]; then
  echo "error: build side B (working tree) x86_64 failed (exit 1); full log: build/logs/ab-b-x86_64-build.log" >&2
  exit 1
fi
a_sha=$(git -C "$repo" rev-parse --verify "$ref^{commit}")
if [ -n "$rev_b" ]; then
  b_sha=$(git -C "$repo" rev-parse --verify "$rev_b^{commit}")
  b_text=$(git -C "$repo" show "$b_sha:bench.txt")
else
  b_sha=$(git -C "$repo" rev-parse HEAD)
  b_text=$(cat "$repo/bench.txt")
fi
a_text=$(git -C "$repo" show "$a_sha:bench.txt")
host=$(uname -m)
cpu=${STANDIN_CPU:-Stand-in CPU A}
# The report tool's own CSV columns (they grow over time), read off a conversion.
header=$("$RCUBENCH_REPORT" csv "$(dirname "${BASH_SOURCE[0]}")/data/run/x86_64.json" 2>/dev/null | sed -n 1p)
hash12() { printf '%s' "$1" | sha1sum | cut -c1-12; }

# side TEXT SIDE SHA: the results.csv of one side.
side() {
  local stamp
  stamp=$(date -u +%Y%m%dT%H%M%S)
  awk -v header="$header" -v text="$1" -v side="$2" -v sha="${3:0:12}" -v stamp="$stamp" \
      -v date="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" -v cpu="$cpu" -v host="$host" \
      -v arches="$arches" -v timings="$timings" -v counts="$counts" -v prims="$primitives" \
      -v fp_time="$(hash12 "$cpu")" -v fp_count="$(hash12 counts)" -v nonce="$RANDOM$RANDOM" '
    function row(arch, exec, prim, workload, readers, updaters, rep, proc, metric, value, unit, fp,   i, v) {
      for (i = 1; i <= nc; i++) {
        v = "-"
        if (col[i] == "run_id") v = stamp "Z-" sha "-" side nonce
        else if (col[i] == "date") v = date
        else if (col[i] == "commit") v = sha
        else if (col[i] == "arch") v = arch
        else if (col[i] == "exec") v = exec
        else if (col[i] == "cpu_model") v = cpu
        else if (col[i] == "compiler") v = "gcc 12.2.0"
        else if (col[i] == "build_type") v = "release"
        else if (col[i] == "primitive") v = prim
        else if (col[i] == "workload") v = workload
        else if (col[i] == "readers") v = readers
        else if (col[i] == "updaters") v = updaters
        else if (col[i] == "repetition") v = rep
        else if (col[i] == "process") v = proc
        else if (col[i] == "metric") v = metric
        else if (col[i] == "value") v = value
        else if (col[i] == "unit") v = unit
        else if (col[i] == "fingerprint") v = fp
        else if (col[i] == "updater_delay_us" || col[i] == "read_work") v = 0
        else if (col[i] == "payload_bytes") v = 64
        printf "%s%s", v, (i < nc ? "," : "\n")
      }
    }
    BEGIN {
      nc = split(header, col, ",")
      print header
      np = split(prims, want, ",")
      for (i = 1; i <= np; i++) keep[want[i]] = 1
      n = split(text, lines, "\n")
      na = split(arches, arch, ",")
      for (i = 1; i <= n; i++) {
        if (split(lines[i], f, " ") < 3 || (np > 0 && !keep[f[1]])) continue
        if (timings) for (k = 0; k < 16 && (arches == "" || index("," arches ",", "," host ",")); k++) {
          # A per-pair machine state shared by both sides, and a jitter of either sign
          # on side B only.
          state = 1 + 0.3 * ((k * 5) % 7) / 7
          jitter = side == "b" ? ((k * 7) % 16 - 7.5) / 1000 : 0
          row(host, "native", f[1], "read-side", 1, 0, 0, k, "reads_per_s",
              sprintf("%.0f", 1e8 * f[2] * state * (1 + jitter)), "1/s", fp_time)
        }
        if (counts) for (j = 1; j <= na; j++) for (r = 0; r < 3; r++)
          row(arch[j], "qemu-insn-count", f[1], "read-path", 1, 0, r, "-", "read_insns", f[3],
              "instructions", fp_count)
      }
    }'
}

run=$out/$(date -u +%Y%m%dT%H%M%SZ)-${b_sha:0:12}-ab-${a_sha:0:12}
mkdir -p "$run/a" "$run/b"
side "$a_text" a "$a_sha" >"$run/a/results.csv"
side "$b_text" b "$b_sha" >"$run/b/results.csv"
status=0
"$RCUBENCH_REPORT" compare --paired --baseline "$run/a" --current "$run/b" >"$run/compare.txt" 2>&1 ||
  status=$?
[ "$status" -le 1 ] || { cat "$run/compare.txt" >&2; exit 1; }
exit "$status"
