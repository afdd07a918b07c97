#!/bin/sh
# Renders the plots of a results CSV (docs/csv.md) as SVG and PNG, with gnuplot; what each
# plot shows: docs/plots.md.
#
#   plots/render.sh CSV OUTDIR [MEMORY_SERIES...]
#       every plot for every arch in CSV: <arch>-headline, then per workload
#       <arch>-<workload>-reads, -updates, -backlog, -held, -read-latency, -gp-latency (where
#       the CSV has the data for them); lines over a swept parameter, bars for one point.
#       MEMORY_SERIES: rcubench --memory-series files of the same run, for the stalls
#       workloads' -held-over-time plots
#   plots/render.sh --trend HISTORY_DIR OUTDIR [METRIC...]
#       a trend plot per series over the last 50 runs recorded in HISTORY_DIR (one CSV per
#       run, see `rcubench-report record`), each run judged as the gate's history mode
#       judges it, for METRIC... (default: reads_per_s updates_per_s)
#
# Files are rendered into a hidden directory inside OUTDIR and renamed into place, so
# OUTDIR never holds a partial plot. GNUPLOT names the gnuplot to use (default: gnuplot);
# RCUBENCH_REPORT the report tool, which reduces the CSV to the plots' tables (default:
# build/<host arch>/src/report/rcubench-report).
set -eu

die() { printf 'render.sh: error: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

trend=0
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then usage; exit 0; fi
if [ "${1:-}" = "--trend" ]; then trend=1; shift; fi
[ $# -ge 2 ] || { usage >&2; exit 2; }
input=$1
outdir=$2
shift 2

GNUPLOT=${GNUPLOT:-gnuplot}
command -v "$GNUPLOT" >/dev/null 2>&1 ||
  die "gnuplot not found (GNUPLOT=$GNUPLOT): install it (Debian: apt-get install gnuplot-nox)"

plotdir=$(cd "$(dirname "$0")" && pwd)
# Paths go into gnuplot string literals between single quotes (and file lists are split
# on blanks): refuse what would break them.
check_path() {
  case $1 in
    *"'"*|*" "*|*"	"*) die "path '$1' holds a quote or a blank; gnuplot cannot be given it" ;;
  esac
}

if [ $trend = 1 ]; then
  [ -d "$input" ] || die "$input: not a directory (want a history directory)"
  found=
  for f in "$input"/*.csv; do [ -f "$f" ] && found=1; done
  [ -n "$found" ] || die "$input: no run CSVs in this history directory"
  metrics=${*:-reads_per_s updates_per_s}
else
  [ -f "$input" ] || die "$input: no such file"
  check_path "$input"
fi
memory_args=
if [ $trend = 0 ]; then
  for m in "$@"; do
    [ -f "$m" ] || die "$m: no such memory-series file"
    check_path "$m"
    memory_args="$memory_args --memory $m"
  done
fi

mkdir -p "$outdir" || die "cannot create $outdir"
outdir=$(cd "$outdir" && pwd)
check_path "$outdir"
tmp=$outdir/.render.$$
rm -rf "$tmp"
mkdir "$tmp" || die "cannot create $tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The plots are queued, then drawn by one gnuplot process, each in a session of its own
# (as if by a process of its own: the same pictures). Starting a process per plot took 8
# times as long as the drawing, and a history's site draws hundreds of trends.
queue=$tmp/.queue
batch=$tmp/.batch.gp
tab=$(printf '\t')
: >"$queue"
# queue_plot SCRIPT OUT VARIABLES: draws OUT.svg and OUT.png with SCRIPT.
queue_plot() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$queue"; }
# Draws the queue, stopping at the first error, which names the plot it stopped at: the
# first one queued whose files are not all there.
draw_queued() {
  while IFS=$tab read -r script out vars; do
    printf "reset session\nplotdir='%s'; out='%s'; %s\nload '%s/%s'\n" \
      "$plotdir" "$out" "$vars" "$plotdir" "$script"
  done <"$queue" >"$batch"
  "$GNUPLOT" "$batch" && return
  while IFS=$tab read -r script out vars; do
    [ -s "$out.svg" ] && [ -s "$out.png" ] || die "gnuplot failed on $script ($vars)"
  done <"$queue"
  die "gnuplot failed on $batch"
}

# The report tool reduces a CSV to the plots' tables, and a history to one per series.
if [ -z "${RCUBENCH_REPORT:-}" ]; then
  RCUBENCH_REPORT=$(cd "$plotdir/.." && pwd)/build/$(uname -m)/src/report/rcubench-report
fi
[ -x "$RCUBENCH_REPORT" ] ||
  die "rcubench-report not found (RCUBENCH_REPORT=$RCUBENCH_REPORT):" \
    "build the host's preset or set RCUBENCH_REPORT"

if [ $trend = 1 ]; then
  # The report tool judges each run as the gate did and writes a table per series;
  # gnuplot draws what it lists.
  data=$tmp/.trend
  # shellcheck disable=SC2086  # the metrics are words
  if ! "$RCUBENCH_REPORT" trend-data "$input" "$data" $metrics 2>"$tmp/.log"; then
    why=$(sed -n 's/^rcubench-report: error: //p' "$tmp/.log" | head -n 1)
    die "${why:-rcubench-report could not read the history $input}"
  fi
  while read -r name; do
    queue_plot trend.gp "$tmp/$name" "data='$data/$name'"
  done <"$data/trends.txt"
  if [ ! -s "$data/trends.txt" ]; then
    # A history of instruction counts only has no reads/s: nothing to draw is no error.
    printf 'render.sh: no series of %s in %s: no trend plots\n' "$metrics" "$input"
    exit 0
  fi
  draw_queued
  rm -rf "$data" "$tmp/.log" "$queue" "$batch"
else
  # The report tool reduces the CSV to a table per plot (medians and quartiles of the
  # process samples) and decides the layout; gnuplot draws what it lists.
  data=$tmp/.data
  # shellcheck disable=SC2086  # the options are words (check_path refused blanks)
  if ! "$RCUBENCH_REPORT" plot-data "$input" "$data" $memory_args 2>"$tmp/.log"; then
    # Its own error line names the file and what is wrong with it.
    why=$(sed -n 's/^rcubench-report: error: //p' "$tmp/.log" | head -n 1)
    die "${why:-rcubench-report could not reduce $input}"
  fi
  sed 's/^rcubench-report: /render.sh: /' "$tmp/.log" >&2
  while read -r name kind; do
    case $kind in
      lines|bars) ;;
      *) die "$data/plots.txt: unknown plot kind '$kind' for $name" ;;
    esac
    queue_plot "$kind.gp" "$tmp/$name" "data='$data/$name'"
  done <"$data/plots.txt"
  draw_queued
  rm -rf "$data" "$tmp/.log" "$queue" "$batch"
fi

count=0
for f in "$tmp"/*; do
  [ -e "$f" ] || continue
  [ -s "$f" ] || die "gnuplot wrote an empty $(basename "$f")"
  mv -f "$f" "$outdir/" || die "cannot move $(basename "$f") into $outdir"
  count=$((count + 1))
done
[ $count -gt 0 ] || die "nothing to plot in $input"
printf 'render.sh: %d plot file(s) in %s\n' "$count" "$outdir"
