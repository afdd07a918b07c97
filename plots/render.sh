#!/bin/sh
# Renders the plots of a results CSV (docs/csv.md) as SVG and PNG, with gnuplot.
#
#   plots/render.sh CSV OUTDIR
#       every plot for every arch in CSV: <arch>-reads-<workload>,
#       <arch>-read-latency-<workload>, <arch>-updates-defer-<workload> and
#       <arch>-gp-latency-<workload> (where the CSV has the data for them)
#   plots/render.sh --trend HISTORY_DIR OUTDIR [METRIC...]
#       a trend plot per series over the runs recorded in HISTORY_DIR (one CSV per run,
#       see `rcubench-report record`), for METRIC... (default: reads_per_s updates_per_s)
#
# Files are rendered into a hidden directory inside OUTDIR and renamed into place, so
# OUTDIR never holds a partial plot. GNUPLOT names the gnuplot to use (default: gnuplot).
set -eu

die() { printf 'render.sh: error: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

trend=0
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then usage; exit 0; fi
if [ "${1:-}" = "--trend" ]; then trend=1; shift; fi
[ $# -ge 2 ] || { usage >&2; exit 2; }
input=$1
outdir=$2
shift 2
[ $trend = 1 ] || [ $# -eq 0 ] || die "unexpected arguments: $*"

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
  files=
  for f in "$input"/*.csv; do
    [ -f "$f" ] || continue
    check_path "$f"
    files="$files $f"
  done
  [ -n "$files" ] || die "$input: no run CSVs in this history directory"
  metrics=${*:-reads_per_s updates_per_s}
else
  [ -f "$input" ] || die "$input: no such file"
  check_path "$input"
fi

mkdir -p "$outdir" || die "cannot create $outdir"
outdir=$(cd "$outdir" && pwd)
check_path "$outdir"
tmp=$outdir/.render.$$
rm -rf "$tmp"
mkdir "$tmp" || die "cannot create $tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# gnuplot SCRIPT VARIABLES: runs one plot script, stopping at its first error.
run_gnuplot() {
  script=$1
  vars=$2
  "$GNUPLOT" -e "$vars; plotdir='$plotdir'" "$plotdir/$script" ||
    die "gnuplot failed on $script ($vars)"
}

# slice_csv ARCH PREFIX < results.csv: the iteration rows (aggregate "-") of ARCH for the
# metrics the plots draw, one file per workload, PREFIX<k>.csv (k = 1, 2, ... in order of
# first appearance), each with the header. Fields are split as CSV (a quoted field may
# hold commas), so the columns are found by name from the header.
slice_csv() {
  awk -v want_arch="$1" -v prefix="$2" '
    function split_csv(line, out,    n, i, c, field, quoted) {
      n = 0; field = ""; quoted = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (quoted) {
          if (c == "\"") {
            if (substr(line, i + 1, 1) == "\"") { field = field c; i++ } else quoted = 0
          } else field = field c
        } else if (c == "\"") quoted = 1
        else if (c == ",") { out[++n] = field; field = "" }
        else field = field c
      }
      out[++n] = field
      return n
    }
    BEGIN {
      split("reads_per_s updates_per_s read_p50_ns read_p99_ns read_p999_ns " \
            "gp_p50_ns gp_p90_ns gp_p99_ns gp_p999_ns gp_max_ns", m, " ")
      for (k in m) keep[m[k]] = 1
    }
    NR == 1 {
      n = split_csv($0, f)
      for (i = 1; i <= n; i++) col[f[i]] = i
      header = $0; next
    }
    {
      split_csv($0, f)
      if (f[col["arch"]] != want_arch || f[col["aggregate"]] != "-" || !(f[col["metric"]] in keep)) next
      w = f[col["workload"]]
      if (!(w in file)) {
        file[w] = prefix (++workloads) ".csv"
        print header > file[w]
      }
      print > file[w]
    }'
}

if [ $trend = 1 ]; then
  for term in svg png; do
    run_gnuplot trend.gp "files='${files# }'; metrics='$metrics'; outdir='$tmp'; term='$term'"
  done
else
  arches=$("$GNUPLOT" -e "csv='$input'" "$plotdir/arches.gp") ||
    die "gnuplot could not read $input"
  [ -n "$arches" ] || die "$input: no results (is it a results CSV? see docs/csv.md)"
  for arch in $arches; do
    # gnuplot reads the CSV once per curve: give it only one workload's iteration rows
    # of this arch and of the metrics the plots draw, not the whole run (every plot is
    # of one workload).
    slice_csv "$arch" "$tmp/.$arch.w" <"$input" || die "cannot filter $input for $arch"
    for slice in "$tmp/.$arch.w"*.csv; do
      [ -f "$slice" ] || continue
      for script in read_throughput.gp read_latency.gp update_defer.gp gp_latency.gp; do
        for term in svg png; do
          run_gnuplot "$script" "csv='$slice'; arch='$arch'; outdir='$tmp'; term='$term'"
        done
      done
      rm -f "$slice"
    done
  done
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
